"""Answers of ``/sparql`` kept in the API process, so that a repeated query is answered without a worker.

An entry is keyed by everything its bytes depend on: the dataset version it ran on, the query text, the protocol's
dataset parameters, the media types negotiated for both kinds of result (a SELECT and a CONSTRUCT may answer the
same ``Accept`` differently) and the row cap. The version is read from the store for every request, so a write,
also one made by another server on a remote engine, makes every older entry unreachable; entries of other versions
are dropped as soon as a new version is seen. Least recently used entries go first when the byte budget is full.
Only complete successful answers are kept (never an error, a timeout or a refusal).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

ENTRY_OVERHEAD = 512
"""Bytes counted per entry on top of its body and query text (the key, the headers, the bookkeeping)."""
MAX_ENTRY_SHARE = 8
"""An answer larger than the budget divided by this is not kept (one large answer would evict everything else)."""

Key = tuple[str, str, tuple[str, ...] | None, tuple[str, ...] | None, str | None, str | None, int]
"""(version, query, default graphs, named graphs, media for a result set, media for a graph, row cap)."""


@dataclass(frozen=True)
class Cached:
    """One answer as it was sent: status 200, body, media type and the endpoint's headers."""

    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD


class ResultCache:
    """A least-recently-used map from :data:`Key` to :class:`Cached` under a byte budget; ``max_bytes <= 0`` keeps
    nothing. Only touched from the event loop, so it needs no lock."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.entries: OrderedDict[Key, Cached] = OrderedDict()
        self.bytes = 0
        self.version: str | None = None
        self.hits = self.misses = self.evictions = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @staticmethod
    def _cost(key: Key, value: Cached) -> int:
        return value.size + len(key[1])

    def get(self, key: Key) -> Cached | None:
        """The entry for ``key``, now the most recently used, or None."""
        if not self.enabled:
            return None
        self._observe(key[0])
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: Key, value: Cached) -> bool:
        """Keep ``value`` unless it is too large or of an older version than one already seen; whether it was kept."""
        if not self.enabled:
            return False
        cost = self._cost(key, value)
        if self.version is None:
            self.version = key[0]
        if cost > self.max_bytes // MAX_ENTRY_SHARE or key[0] != self.version:
            return False
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= self._cost(key, old)
        self.entries[key] = value
        self.bytes += cost
        while self.bytes > self.max_bytes:
            k, v = self.entries.popitem(last=False)
            self.bytes -= self._cost(k, v)
            self.evictions += 1
        return True

    def _observe(self, version: str) -> None:
        """A request saw ``version`` in the store: entries of other versions are of no use now."""
        if version != self.version:
            self.version = version
            self.entries.clear()
            self.bytes = 0

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0

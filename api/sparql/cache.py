"""Answers of ``/sparql`` kept in the API process, so that a repeated query is answered without a worker.

An entry is keyed by everything its bytes depend on: the dataset version it ran on, the query text, the protocol's
dataset parameters, the media types negotiated for both kinds of result (a SELECT and a CONSTRUCT may answer the
same ``Accept`` differently) and the row cap. The version is read from the store for every request, so a write,
also one made by another server on a remote engine, makes every older entry unreachable; entries of other versions
are dropped as soon as a new version is seen. Least recently used entries go first when the byte budget is full.
Only complete successful answers are kept (never an error, a timeout or a refusal).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.cache import VersionedLRU

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


def _cost(key: Key, value: Cached) -> int:
    return value.size + len(key[1])


class ResultCache:
    """A least-recently-used map from :data:`Key` to :class:`Cached` under a byte budget (a
    :class:`~api.cache.VersionedLRU`: its rules apply, the version being ``key[0]``); ``max_bytes <= 0`` keeps
    nothing. Only touched from the event loop, so it needs no lock."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self._lru: VersionedLRU[Key, Cached] = VersionedLRU(
            _cost, self.max_bytes, max_entry_weight=self.max_bytes // MAX_ENTRY_SHARE
        )
        self.entries = self._lru.entries
        """The entries, least recently used first (read it, never change it)."""
        self.enabled = self.max_bytes > 0

    def get(self, key: Key) -> Cached | None:
        """The entry for ``key``, now the most recently used, or None."""
        return self._lru.get(key, key[0]) if self.enabled else None

    def put(self, key: Key, value: Cached) -> bool:
        """Keep ``value`` unless it is too large or of an older version than one already seen; whether it was kept."""
        return self._lru.put(key, key[0], value)

    def clear(self) -> None:
        self._lru.clear()

    @property
    def bytes(self) -> int:
        return self._lru.weight

    @property
    def version(self) -> str | None:
        return self._lru.version

    @property
    def hits(self) -> int:
        return self._lru.hits

    @property
    def misses(self) -> int:
        return self._lru.misses

    @property
    def evictions(self) -> int:
        return self._lru.evictions

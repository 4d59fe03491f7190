"""The GraphQL caches: whole responses keyed by (document hash, variables, operation, dataset version), and the
sorted lists that list connections page through; both are uses of :class:`api.cache.LockedVersionedLRU`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from api.cache import LockedVersionedLRU
from kg.compare import StudyGroup, Summary


def document_hash(query: str) -> str:
    """The sha256 of a document's text (also its persisted-query hash)."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def cache_key(
    doc_hash: str, variables: dict[str, Any] | None, operation: str | None, version: str, *variant: str
) -> str:
    """The key of one response: the same document, variables and operation on the same dataset version."""
    v = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "\x1f".join((doc_hash, v, operation or "", version, *variant))


def _body_weight(key: str, value: tuple[int, bytes]) -> int:
    return len(value[1])


def _list_weight(key: Any, value: tuple[str, ...] | int) -> int:
    return len(value) if isinstance(value, tuple) else 1  # a count weighs 1


class ResponseCache:
    """A bounded LRU of response bodies (at most ``maxsize`` entries and ``max_bytes`` of bodies) for one dataset
    version (a :class:`~api.cache.LockedVersionedLRU`: its rules apply). A body larger than an eighth of
    ``max_bytes`` is not kept: one huge answer must not flush the rest.

    ``get(key, version)`` is the cached (status, body) for ``key``, or None; ``clear()`` forgets everything (a write
    through this process). Both are the LRU's own methods, bound once so that a hit pays no extra call."""

    get: Callable[[str, str], tuple[int, bytes] | None]
    clear: Callable[[], None]

    def __init__(self, maxsize: int, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._lru: LockedVersionedLRU[str, tuple[int, bytes]] = LockedVersionedLRU(
            _body_weight, max_bytes, max_entries=maxsize, max_entry_weight=max_bytes // 8
        )
        self.get = self._lru.get
        self.clear = self._lru.clear

    def put(self, key: str, version: str, status: int, body: bytes) -> None:
        """Remember a response (evicting the least recently used beyond ``maxsize`` and ``max_bytes``)."""
        self._lru.put(key, version, (status, body))

    @property
    def size_bytes(self) -> int:
        return self._lru.weight

    @property
    def hits(self) -> int:
        return self._lru.hits

    @property
    def misses(self) -> int:
        return self._lru.misses

    def __len__(self) -> int:
        return len(self._lru)


class ListCache(LockedVersionedLRU[Any, tuple[str, ...] | int]):
    """The sorted item IRIs (or only the size) of the lists asked for recently, keyed by the list query and its
    bindings, for one dataset version: a list connection reads its whole list from the store once per version and
    cuts each later page out of it by bisection (no index in the store orders IRIs, so any page read from it
    costs the whole list). Bounded by the IRIs held (``max_items``; a count weighs 1; a list longer than that is not
    kept). A :class:`~api.cache.LockedVersionedLRU`: ``get(key, version)``, ``put(key, version, value)`` and
    ``clear()`` (the dataset changed while a request read it) follow its rules."""

    def __init__(self, max_items: int) -> None:
        super().__init__(_list_weight, max_items)

    @property
    def max_items(self) -> int:
        return self.max_weight

    @property
    def items(self) -> int:
        """The IRIs held (counts weigh 1)."""
        return self.weight


def _summary_weight(key: Any, value: Summary) -> int:
    return len(value.concepts) + len(value.studies_a) + len(value.studies_b) + 1


class ComparisonCache(LockedVersionedLRU[tuple[StudyGroup, StudyGroup], Summary]):
    """The comparisons (:func:`kg.compare.summarize`: both groups, every concept's status, strength and counts) of
    the current dataset version, keyed by the two groups, bounded by their rows (concepts and group studies): paging
    through a comparison's concepts or sides, or asking it again with other fields, runs its queries once. At
    100,000 studies a comparison takes about a minute; a page of its members, a second."""

    def __init__(self, max_rows: int) -> None:
        super().__init__(_summary_weight, max_rows)

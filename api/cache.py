"""One least-recently-used cache for one dataset version, shared by the API's caches.

The GraphQL response cache, the GraphQL kept lists and the ``/sparql`` result cache all keep answers computed on one
dataset version: :class:`VersionedLRU` holds the entries of the version the cache is at, bounded by a total weight
(bytes, IRIs, ...) and a number of entries, and evicts the least recently used first. Its rules:

- ``get(key, version)`` with a version other than the cache's drops everything and moves the cache to that version
  (any write changes the version, so every entry is stale); the first version seen is adopted.
- ``put(key, version, value)`` keeps an entry only at the cache's version: a put for another version (a request
  that read an older version and finished after a newer one was seen) is ignored, so a slow request cannot flush
  the entries of the current version. A cache that has seen no version yet adopts the put's.
- An entry heavier than ``max_entry_weight`` is not kept, so that one huge answer cannot evict all the others.
- A cache with ``max_weight <= 0`` or ``max_entries <= 0`` keeps nothing.

:class:`VersionedLRU` takes no lock (the event loop needs none, and a lock costs more than a hit); use
:class:`LockedVersionedLRU` where several threads may use one cache.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class VersionedLRU(Generic[K, V]):
    """A least-recently-used map from ``K`` to ``V`` holding the entries of one dataset version, bounded by the sum
    of ``weight(key, value)`` (``max_weight``) and the number of entries (``max_entries``); see the module's rules.

    ``weight`` is asked once per put (its answer is kept until the entry leaves).
    ``hits``, ``misses`` and ``evictions`` (entries pushed out by the bounds, not by a new version or ``clear``)
    count from creation. Not thread-safe: see :class:`LockedVersionedLRU`."""

    def __init__(
        self,
        weight: Callable[[K, V], int],
        max_weight: int,
        max_entries: int = sys.maxsize,
        max_entry_weight: int | None = None,
    ) -> None:
        self.weight_of = weight
        self.max_weight = max_weight
        self.max_entries = max_entries
        self.max_entry_weight = max_weight if max_entry_weight is None else min(max_entry_weight, max_weight)
        self.enabled = max_weight > 0 and max_entries > 0
        self.entries: OrderedDict[K, V] = OrderedDict()
        """The entries, least recently used first (read it, never change it)."""
        self._weights: dict[K, int] = {}  # each entry's weight, asked once: the entry may be costly to weigh
        self.weight = 0
        """The sum of the entries' weights."""
        self.version: str | None = None
        """The dataset version of the entries; None until one is seen."""
        self.hits = self.misses = self.evictions = 0

    def get(self, key: K, version: str) -> V | None:
        """The value kept for ``key`` at ``version``, now the most recently used, or None."""
        if version != self.version:  # any write changes the version: everything kept is stale
            self.entries.clear()
            self._weights.clear()
            self.weight = 0
            self.version = version
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: K, version: str, value: V) -> bool:
        """Keep ``value`` for ``key`` as the most recently used, evicting the least recently used beyond the bounds;
        whether it was kept (not when disabled, too heavy, or of another version than the cache's)."""
        if not self.enabled:
            return False
        if version != self.version:
            if self.version is not None:  # a request that read an older version: its answer is of no use now
                return False
            self.version = version
        weight = self.weight_of(key, value)
        if weight > self.max_entry_weight:  # one huge answer must not flush the rest
            return False
        entries, weights = self.entries, self._weights
        old = weights.get(key)
        if old is not None:
            del entries[key]
            self.weight -= old
        entries[key] = value
        weights[key] = weight
        self.weight += weight
        while self.weight > self.max_weight or len(entries) > self.max_entries:
            k, _ = entries.popitem(last=False)
            self.weight -= weights.pop(k)
            self.evictions += 1
        return True

    def clear(self) -> None:
        """Forget every entry (the version stays: a put at it is still kept)."""
        self.entries.clear()
        self._weights.clear()
        self.weight = 0

    def __len__(self) -> int:
        return len(self.entries)


# The unlocked methods, as plain functions: the locked ones call them without looking them up on the class.
_get, _put, _clear = VersionedLRU.get, VersionedLRU.put, VersionedLRU.clear


class LockedVersionedLRU(VersionedLRU[K, V]):
    """A :class:`VersionedLRU` that several threads may use at once: ``get``, ``put`` and ``clear`` hold a lock."""

    def __init__(
        self,
        weight: Callable[[K, V], int],
        max_weight: int,
        max_entries: int = sys.maxsize,
        max_entry_weight: int | None = None,
    ) -> None:
        super().__init__(weight, max_weight, max_entries, max_entry_weight)
        self._lock = threading.Lock()

    def get(self, key: K, version: str) -> V | None:
        with self._lock:
            return _get(self, key, version)

    def put(self, key: K, version: str, value: V) -> bool:
        with self._lock:
            return _put(self, key, version, value)

    def clear(self) -> None:
        with self._lock:
            _clear(self)

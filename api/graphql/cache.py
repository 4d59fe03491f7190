"""The response cache: whole GraphQL responses keyed by (document hash, variables, operation, dataset version)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any


def document_hash(query: str) -> str:
    """The sha256 of a document's text (also its persisted-query hash)."""
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def cache_key(
    doc_hash: str, variables: dict[str, Any] | None, operation: str | None, version: str, *variant: str
) -> str:
    """The key of one response: the same document, variables and operation on the same dataset version."""
    v = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "\x1f".join((doc_hash, v, operation or "", version, *variant))


class ResponseCache:
    """A bounded LRU of response bodies (at most ``maxsize`` entries and ``max_bytes`` of bodies); entries of older
    dataset versions are dropped when the version changes."""

    def __init__(self, maxsize: int, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self._data: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._version: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, version: str) -> tuple[int, bytes] | None:
        """The cached (status, body) for ``key``, or None."""
        with self._lock:
            if version != self._version:  # any write changes the version: everything cached is stale
                self._data.clear()
                self.size_bytes = 0
                self._version = version
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, version: str, status: int, body: bytes) -> None:
        """Remember a response (evicting the least recently used beyond ``maxsize``)."""
        if self.maxsize <= 0 or len(body) > self.max_bytes // 8:  # one huge answer must not flush the rest
            return
        with self._lock:
            if version != self._version:
                self._data.clear()
                self.size_bytes = 0
                self._version = version
            old = self._data.pop(key, None)
            if old is not None:
                self.size_bytes -= len(old[1])
            self._data[key] = (status, body)
            self.size_bytes += len(body)
            while len(self._data) > self.maxsize or self.size_bytes > self.max_bytes:
                _, (_, dropped) = self._data.popitem(last=False)
                self.size_bytes -= len(dropped)

    def clear(self) -> None:
        """Forget everything (a write through this process)."""
        with self._lock:
            self._data.clear()
            self.size_bytes = 0

    def __len__(self) -> int:
        return len(self._data)


class ListCache:
    """The sorted item IRIs (or only the size) of the lists asked for recently, keyed by the list query and its
    bindings, for one dataset version: a list connection reads its whole list from the store once per version and
    cuts each later page out of it by bisection (no index in the store orders IRIs, so any page read from it
    costs the whole list). Bounded by the IRIs held (``max_items``; a list longer than that is not kept)."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.items = 0
        self._data: OrderedDict[Any, tuple[str, ...] | int] = OrderedDict()
        self._version: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _weight(value: tuple[str, ...] | int) -> int:
        return len(value) if isinstance(value, tuple) else 1

    def _at(self, version: str) -> None:
        if version != self._version:  # any write changes the version: everything kept is stale
            self._data.clear()
            self.items = 0
            self._version = version

    def get(self, key: Any, version: str) -> tuple[str, ...] | int | None:
        """The sorted IRIs (or the count) kept for ``key`` at ``version``, or None."""
        with self._lock:
            self._at(version)
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Any, version: str, value: tuple[str, ...] | int) -> None:
        """Keep a list's sorted IRIs (or its count), evicting the least recently used beyond ``max_items``."""
        weight = self._weight(value)
        if weight > self.max_items:
            return
        with self._lock:
            self._at(version)
            old = self._data.pop(key, None)
            if old is not None:
                self.items -= self._weight(old)
            self._data[key] = value
            self.items += weight
            while self.items > self.max_items:
                _, dropped = self._data.popitem(last=False)
                self.items -= self._weight(dropped)

    def clear(self) -> None:
        """Forget everything (the dataset changed while a request read it)."""
        with self._lock:
            self._data.clear()
            self.items = 0

    def __len__(self) -> int:
        return len(self._data)

"""Automatic persisted queries (Apollo's protocol): documents registered by sha256, so GET URLs stay short."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from api.graphql.cache import document_hash

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class PersistedQueryError(ValueError):
    """The APQ extension is malformed or its hash does not match the document."""


class PersistedQueries:
    """A bounded LRU of sha256 -> document; a document is registered the first time a client sends it with its hash."""

    def __init__(self, maxsize: int = 1000) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha: str) -> str | None:
        """The document registered under ``sha``."""
        with self._lock:
            q = self._data.get(sha)
            if q is not None:
                self._data.move_to_end(sha)
            return q

    def register(self, sha: str, query: str) -> None:
        """Register ``query`` under ``sha`` after checking that it is the document's hash."""
        if document_hash(query) != sha.lower():
            raise PersistedQueryError("provided sha256Hash does not match the query")
        with self._lock:
            self._data[sha.lower()] = query
            self._data.move_to_end(sha.lower())
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)


def apq_hash(extensions: object) -> str | None:
    """The sha256 hash of an APQ ``extensions.persistedQuery`` (None when there is none)."""
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return None
    pq = extensions["persistedQuery"]
    if not isinstance(pq, dict) or pq.get("version") != 1 or not isinstance(pq.get("sha256Hash"), str):
        raise PersistedQueryError('extensions.persistedQuery must be {"version": 1, "sha256Hash": "<hex>"}')
    sha = pq["sha256Hash"].lower()
    if not SHA256_HEX.fullmatch(sha):
        raise PersistedQueryError("sha256Hash must be 64 hex digits")
    return sha

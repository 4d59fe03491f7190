"""Per-client bound on concurrent queries: past it, the endpoint answers 429 with ``Retry-After``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


class TooManyQueries(Exception):
    """The client already has the maximum number of queries running."""


class ClientLimiter:
    """Counts running queries per client key; only touched from the event loop, so it needs no lock."""

    def __init__(self, max_per_client: int) -> None:
        self.max_per_client = max(1, max_per_client)
        self.running: Counter[str] = Counter()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of the client's slots for the duration of a query, or raise TooManyQueries."""
        if self.running[client] >= self.max_per_client:
            raise TooManyQueries(client)
        self.running[client] += 1
        try:
            yield
        finally:
            self.running[client] -= 1
            if self.running[client] <= 0:
                del self.running[client]

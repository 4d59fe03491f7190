"""The dataset version as the store reports it, and the N-Quads snapshot of it that the SPARQL workers load.

Readers never wait for more than they need:

- the version is read on every query (so that a write, also one by another server on a remote engine, is seen at
  once); on the embedded store that read is a local lookup of a few tens of microseconds, done on the event loop;
  on a remote engine it is an HTTP request, made off the loop, and concurrent queries share one such read as long
  as it started after they arrived;
- a new snapshot is written once per version, by one background task at a time, off the event loop; queries that
  need it wait for that task (not for a lock held by another query), and a query whose version is already on disk
  never waits;
- a snapshot file stays on disk while a job sent with it may still load it (reference counts), so no query fails
  because a later write superseded its snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

SNAPSHOT_GRACE_S = 300.0
"""How long a snapshot handed out by the synchronous :meth:`Snapshot.current` is kept after it is superseded (its
caller holds no reference count)."""
DUMP_ATTEMPTS = 5
"""Dumps retried when a write lands between the version read and the dump (remote engines cannot be held back)."""


class SnapshotFailed(Exception):
    """The store could not be read or dumped (a remote engine down, a disk full)."""


def _inline_reader(store: Any) -> Callable[[], str] | None:
    """How to read the embedded store's version on the event loop: one index lookup of the version triple (what
    ``Store.version`` finds with a SPARQL query, at a tenth of the cost); None for other stores."""
    import pyoxigraph as ox

    from kg.store import DCTERMS_HAS_VERSION, OxigraphStore, dataset_iri, meta_graph

    if type(store).version is not OxigraphStore.version or not isinstance(getattr(store, "_store", None), ox.Store):
        return None if not isinstance(store, OxigraphStore) else lambda: str(store.version())
    engine: ox.Store = store._store
    pattern = (ox.NamedNode(dataset_iri()), ox.NamedNode(DCTERMS_HAS_VERSION), None, ox.NamedNode(meta_graph()))

    def read() -> str:
        for quad in engine.quads_for_pattern(*pattern):
            value = quad.object
            return value.value if isinstance(value, ox.Literal) else str(value)
        return "empty"

    return read


class _SingleFlight:
    """One blocking call at a time in a dedicated thread, shared by every caller that arrived before it started."""

    def __init__(self, fn: Callable[[], Any], executor: ThreadPoolExecutor) -> None:
        self.fn, self.executor = fn, executor
        self.started = 0  # calls started so far; a caller needs one numbered past the count when it arrived
        self._running: tuple[int, asyncio.Future[Any]] | None = None

    def ticket(self) -> int:
        """The number a call must have to start after now."""
        return self.started + 1

    async def run(self, ticket: int) -> Any:
        """The result of a call that started at or after ``ticket`` (joining one in flight when it qualifies)."""
        while True:
            running = self._running
            if running is not None and running[1].done():
                running = self._running = None
            if running is None:
                self.started += 1
                fut = asyncio.get_running_loop().run_in_executor(self.executor, self.fn)
                running = self._running = (self.started, fut)
            seq, fut = running
            if seq >= ticket:
                return await asyncio.shield(fut)
            with contextlib.suppress(Exception):  # an older call: wait for it to end, then start the next one
                await asyncio.shield(fut)


class Snapshot:
    """The dataset as an N-Quads file the workers load, written once per store version."""

    def __init__(self, store: Any, directory: Path | None = None) -> None:
        self.store = store
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix="egovkg-sparql-")
        self.directory = directory or Path(self._tmp.name)  # type: ignore[union-attr]
        self._latest: tuple[str, Path] | None = None  # one attribute, so that a reader never sees half an update
        self._inline = _inline_reader(store)
        self.inline = self._inline is not None
        self.dumps = 0  # snapshots written (for tests and metrics)
        self._refs: dict[Path, int] = {}
        self._leases: dict[Path, float] = {}
        self._superseded: set[Path] = set()
        self._lock = threading.Lock()  # guards the bookkeeping above against the dump thread
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="egovkg-sparql-snapshot")
        self._versions = _SingleFlight(self.store.version, self._executor)
        self._dumps = _SingleFlight(self.write, self._executor)

    @property
    def version(self) -> str | None:
        """The version of the newest snapshot written."""
        return self._latest[0] if self._latest else None

    @property
    def path(self) -> Path | None:
        """The file of the newest snapshot written."""
        return self._latest[1] if self._latest else None

    # -- the store's version ----------------------------------------------------------------------------------
    async def store_version(self) -> str:
        """The store's version now: read after this call started, so a write that ended before it is seen."""
        if self._inline is not None:
            return self._inline()
        try:
            return str(await self._versions.run(self._versions.ticket()))
        except Exception as e:  # noqa: BLE001 - any backend failure is reported as the endpoint being unavailable
            raise SnapshotFailed(f"the store's version could not be read: {e}") from e

    # -- snapshots ----------------------------------------------------------------------------------------------
    def latest(self) -> tuple[str, str]:
        """The newest snapshot written (a version and its path)."""
        latest = self._latest
        if latest is None:
            raise SnapshotFailed("no snapshot has been written yet")
        return latest[0], str(latest[1])

    async def ensure(self, seen: str) -> str:
        """Make sure the newest snapshot is at least as new as the store state in which ``seen`` was read; its
        version. Returns at once when the snapshot of ``seen`` is on disk; else waits for the one background dump
        (started after ``seen`` was read, so it holds every write that version includes)."""
        if self.version == seen:
            return seen
        ticket = self._dumps.ticket()
        try:
            await self._dumps.run(ticket)
        except Exception as e:  # noqa: BLE001
            raise SnapshotFailed(f"the dataset snapshot could not be written: {e}") from e
        return self.latest()[0]

    def current(self) -> tuple[str, str]:
        """Synchronously: the store's version now and the path of its snapshot (written when new). For start-up and
        scripts; the snapshot it hands out stays on disk for ``SNAPSHOT_GRACE_S`` after it is superseded."""
        self.write()
        version, path = self.latest()
        with self._lock:
            self._leases[Path(path)] = float("inf")
        return version, path

    def write(self) -> str:
        """Dump the store as it is now (version and content from the same state) and make it the newest snapshot."""
        with self.store.reading():  # holds this process's writes back, so the version read matches the dump
            for _ in range(DUMP_ATTEMPTS):
                version = str(self.store.version())
                latest = self._latest
                if latest is not None and version == latest[0] and latest[1].exists():
                    return version
                data = self.store.dump("nquads")
                # The embedded store is written by this process only, which ``reading`` holds back; a remote engine
                # may be written by another server meanwhile: then the dump is taken again.
                if self.inline or str(self.store.version()) == version:
                    break
            else:
                raise SnapshotFailed(f"the store changed during each of {DUMP_ATTEMPTS} dumps")
        path = self.directory / f"{version}.nq"
        tmp = path.with_name(f"{version}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        with self._lock:
            old = self.path
            if old is not None and old != path:
                self._superseded.add(old)
                now = time.monotonic()
                self._leases = {p: (now + SNAPSHOT_GRACE_S if t == float("inf") else t) if p != path else t
                                for p, t in self._leases.items()}
            self._superseded.discard(path)
            self._latest = (version, path)
            self.dumps += 1
            self._collect()
        return version

    # -- references ---------------------------------------------------------------------------------------------
    def acquire(self) -> tuple[str, str]:
        """The newest snapshot, counted as in use until :meth:`release` (a job may load it until then)."""
        with self._lock:  # the same lock as the dump thread's: the file cannot be deleted between the two lines
            version, path = self.latest()
            self._refs[Path(path)] = self._refs.get(Path(path), 0) + 1
        return version, path

    def release(self, path: str) -> None:
        """A job no longer needs ``path``; a superseded snapshot nobody uses is deleted."""
        with self._lock:
            p = Path(path)
            left = self._refs.get(p, 0) - 1
            if left > 0:
                self._refs[p] = left
            else:
                self._refs.pop(p, None)
            self._collect()

    def _collect(self) -> None:
        now = time.monotonic()
        for stale in list(self._superseded):
            if self._refs.get(stale, 0) == 0 and self._leases.get(stale, 0.0) <= now:
                stale.unlink(missing_ok=True)
                self._superseded.discard(stale)
                self._leases.pop(stale, None)

    def files(self) -> list[str]:
        """The snapshot files on disk (for tests)."""
        return sorted(p.name for p in self.directory.glob("*.nq"))

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._tmp:
            self._tmp.cleanup()

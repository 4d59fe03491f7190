"""Warm worker processes for the CPU-bound work a server must not do on its own GIL: the SHACL validation of a write
and the writing of the dumps.

A :class:`Worker` is one process (a ``ProcessPoolExecutor`` of one, started with ``spawn``: the server has threads
and an event loop) that runs an initializer once (say, parsing the shapes and the ontology) and then the calls sent
to it, one at a time. A worker that dies (killed, out of memory) is replaced at once by a new one, warmed the same
way, and the call it was running is tried once more on the new one; a call past its deadline kills the worker.
A worker exits by itself when the process that started it is gone.

The work itself, run inside a worker: :func:`validate_in_worker` (the results of ``kg.validate.validate_graph``)
and :func:`write_dump_set` (the files of ``kg.build.write_dumps``, plain and gzipped, with their checksums).
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import gzip
import hashlib
import logging
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerLost(RuntimeError):
    """The worker process died twice running one call, or ran past the call's deadline and was stopped."""


# -- inside a worker --------------------------------------------------------------------------------------------------
def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:  # the server is gone (even SIGKILLed): leave no orphan behind
            os._exit(0)


def _init(parent: int, nice: int, warm: Callable[[], None] | None) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="watch-parent").start()
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    if warm is not None:
        warm()


def _pid() -> int:
    return os.getpid()


def _use_base(base: str) -> None:
    # The worker serves whichever base IRI the caller has; the code it runs reads it from the environment.
    os.environ["EGOVKG_BASE_IRI"] = base


def warm_validation() -> None:
    """Parse the shapes and the ontology (once per process) and import pySHACL's machinery."""
    from rdflib import Graph

    from kg import config
    from kg.validate import validate_graph

    validate_graph(Graph(), base=config.base_iri())


def validate_in_worker(triples: list[tuple[Any, Any, Any]], base: str) -> list[Any]:
    """``validate_graph`` of the triples (with the ontology, against the shapes): its results (``kg.validate.Result``).

    The triples come as rdflib terms (pickled), so that blank nodes keep their labels and every result names the
    same nodes as it would in the caller's process."""
    from rdflib import Graph

    from kg.validate import validate_graph

    _use_base(base)
    g = Graph()
    for t in triples:
        g.add(t)
    return validate_graph(g, base=base).results


def write_dump_set(nquads: bytes, out_dir: str, base: str) -> dict[str, Any]:
    """Write the dumps of an N-Quads snapshot of the store with ``kg.build.write_dumps`` (the code of ``egovkg build``
    and ``egovkg export``), each also gzipped, into ``out_dir``; return the snapshot's version and, per file, its
    format, media type, size and SHA-256, plain and gzipped."""
    import pyoxigraph as ox

    from kg.build import write_dumps
    from kg.build_info import DUMP_FILES
    from kg.store import OxigraphStore

    _use_base(base)
    out = Path(out_dir)
    out.mkdir()  # not its parents: if the server has removed its dumps directory meanwhile, write nothing
    store = OxigraphStore()
    store._store.load(nquads, format=ox.RdfFormat.N_QUADS)
    write_dumps(store, out)
    files = {}
    for fmt, (name, media) in DUMP_FILES.items():
        data = (out / name).read_bytes()
        gz = gzip.compress(data, mtime=0)
        (out / (name + ".gz")).write_bytes(gz)
        files[name] = {"format": fmt, "media": media, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                       "gzip_bytes": len(gz), "gzip_sha256": hashlib.sha256(gz).hexdigest()}
    (out / "SHA256SUMS").unlink(missing_ok=True)  # the server lists the plain and gzipped files itself
    return {"version": store.version(), "files": files}


# -- in the server ----------------------------------------------------------------------------------------------------
class Worker:
    """One warm worker process, replaced when it dies; calls from threads (:meth:`call`) or coroutines (:meth:`acall`).

    ``nice`` lowers the worker's scheduling priority (background work that should yield the CPU to the server and
    its query workers); ``warm`` runs once in each new process before its first call.
    """

    def __init__(self, name: str, warm: Callable[[], None] | None = None, nice: int = 0) -> None:
        self.name = name
        self.warm = warm
        self.nice = nice
        self.replaced = 0
        self._lock = threading.Lock()
        self._ex: cf.ProcessPoolExecutor | None = None
        self._closed = False

    def _executor(self) -> cf.ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise WorkerLost(f"the {self.name} worker is shut down")
            if self._ex is None:
                self._ex = cf.ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"), initializer=_init,
                                                  initargs=(os.getpid(), self.nice, self.warm))
            return self._ex

    def start(self) -> None:
        """Start the process now (and warm it), rather than at the first call."""
        with contextlib.suppress(BrokenProcessPool, RuntimeError, WorkerLost):
            self._executor().submit(_pid)

    def pid(self) -> int | None:
        """The worker's process id, if it runs (for monitoring and tests)."""
        ex = self._ex
        procs = getattr(ex, "_processes", None) or {}
        return next((p.pid for p in list(procs.values()) if p.is_alive()), None)

    def _lost(self, ex: cf.ProcessPoolExecutor) -> None:
        """``ex`` has lost its process: drop it and start a warm replacement."""
        with self._lock:
            if self._ex is not ex:
                return  # another caller has replaced it already
            self._ex = None
            self.replaced += 1
        log.warning("the %s worker process died; starting another", self.name)
        ex.shutdown(wait=False, cancel_futures=True)
        self.start()

    def _kill(self, ex: cf.ProcessPoolExecutor) -> None:
        for p in list((getattr(ex, "_processes", None) or {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                p.kill()
        self._lost(ex)

    def call(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """``fn(*args)`` in the worker, waiting in this thread (which holds no GIL meanwhile); the call's own
        exceptions are raised here."""
        for attempt in range(2):
            ex = self._executor()
            try:
                return ex.submit(fn, *args).result(timeout)
            except BrokenProcessPool as e:
                self._lost(ex)
                if attempt:
                    raise WorkerLost(f"the {self.name} worker died twice running one call") from e
            except cf.TimeoutError as e:
                self._kill(ex)
                raise WorkerLost(f"the {self.name} worker ran past {timeout:g} s and was stopped") from e
        raise AssertionError("unreachable")

    async def acall(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """``fn(*args)`` in the worker, awaited (the event loop and the thread pool stay free)."""
        for attempt in range(2):
            ex = self._executor()
            try:
                fut = ex.submit(fn, *args)
                return await asyncio.wait_for(asyncio.wrap_future(fut), timeout)
            except BrokenProcessPool as e:
                self._lost(ex)
                if attempt:
                    raise WorkerLost(f"the {self.name} worker died twice running one call") from e
            except TimeoutError as e:
                self._kill(ex)
                raise WorkerLost(f"the {self.name} worker ran past {timeout:g} s and was stopped") from e
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop the worker process (it finishes the call it is running)."""
        with self._lock:
            self._closed = True
            ex, self._ex = self._ex, None
        if ex is not None:
            ex.shutdown(wait=False, cancel_futures=True)


_shared: dict[str, Worker] = {}
_shared_lock = threading.Lock()


def shared(name: str) -> Worker:
    """The process-wide worker of a kind (``validation`` or ``dumps``), created on first use: every app of the
    process uses the same one, so a test run starts each once."""
    with _shared_lock:
        w = _shared.get(name)
        if w is None or w._closed:
            w = _shared[name] = {"validation": lambda: Worker("validation", warm=warm_validation),
                                 "dumps": lambda: Worker("dumps", nice=10)}[name]()
        return w


__all__ = ["Worker", "WorkerLost", "shared", "validate_in_worker", "warm_validation", "write_dump_set"]

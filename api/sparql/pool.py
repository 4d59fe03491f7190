"""A pool of worker processes that enforces a hard deadline per query by killing the worker and replacing it.

Oxigraph cannot interrupt a query in its own process, so every query runs in a worker; the event loop only waits
on the worker's pipe (no thread is tied up), and at the deadline the worker gets SIGKILL, which stops its CPU work
at once. A fresh worker takes its place in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from api.sparql import worker

log = logging.getLogger(__name__)

WORKER_MEMORY_LIMIT_MB = 2048
"""Address-space cap of a worker; a worker holding the KG uses about 100 MB."""


class QueryTimeout(Exception):
    """The query did not finish before its deadline; its worker was killed."""


class WorkerFailed(Exception):
    """The worker died while answering (e.g. out of memory)."""


@dataclass
class Outcome:
    """What a worker answered: a serialized result, or an HTTP error status with a message."""

    ok: bool
    status: int
    media: str | None = None
    body: bytes = b""
    truncated: bool = False
    rows: int = 0
    message: str = ""
    seconds: float = 0.0


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, memory_limit_mb: int | None) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=worker.main, args=(child, memory_limit_mb), daemon=True,
                                name="egovkg-sparql-worker")
        self.proc.start()
        child.close()
        self.conn: Connection = parent

    @property
    def pid(self) -> int:
        return int(self.proc.pid or 0)

    def kill(self) -> None:
        """Stop the process now (SIGKILL: its query's CPU work ends immediately)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.conn.close()


async def _readable(conn: Connection, timeout: float) -> None:
    """Wait until ``conn`` has data (or EOF) without blocking the event loop or a thread; TimeoutError otherwise."""
    if timeout <= 0:
        raise TimeoutError
    loop = asyncio.get_running_loop()
    fut: asyncio.Future[None] = loop.create_future()

    def ready() -> None:
        if not fut.done():
            fut.set_result(None)

    fd = conn.fileno()
    loop.add_reader(fd, ready)
    try:
        await asyncio.wait_for(fut, timeout)
    finally:
        loop.remove_reader(fd)
        # uvloop makes a watched descriptor non-blocking; Connection.recv/send need it blocking, or a message
        # larger than the pipe buffer fails half-read with EAGAIN.
        with contextlib.suppress(OSError):
            os.set_blocking(fd, True)


SNAPSHOT_GRACE_S = 300.0
"""How long a superseded snapshot is kept for the jobs queued with it (longer than any query deadline)."""


class Snapshot:
    """The dataset as an N-Quads file the workers load, rewritten whenever the store's version changes."""

    def __init__(self, store: Any, directory: Path | None = None) -> None:
        self.store = store
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix="egovkg-sparql-")
        self.directory = directory or Path(self._tmp.name)  # type: ignore[union-attr]
        self.version: str | None = None
        self.path: Path | None = None
        self._superseded: dict[Path, float] = {}
        self._lock = threading.Lock()

    def current(self) -> tuple[str, str]:
        """The current version and the path of its snapshot (written on first use of a version).

        Blocking (a dump of the whole store after a write): call it from a thread, not the event loop."""
        with self._lock:
            return self._current()

    def _current(self) -> tuple[str, str]:
        version = self.store.version()
        if version != self.version or self.path is None:
            path = self.directory / f"{version}.nq"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(self.store.dump("nquads"))
            tmp.replace(path)
            if self.path is not None:
                self._superseded[self.path] = time.monotonic()
            self.version, self.path = version, path
            # A superseded snapshot stays while a job queued with it may still load it (a job waits at most its
            # deadline); deleting it at the next change made workers crash on a missing file under frequent writes.
            for stale, since in list(self._superseded.items()):
                if stale != path and time.monotonic() - since > SNAPSHOT_GRACE_S:
                    stale.unlink(missing_ok=True)
                    del self._superseded[stale]
        return self.version, str(self.path)

    def close(self) -> None:
        if self._tmp:
            self._tmp.cleanup()


class WorkerPool:
    """``size`` worker processes; :meth:`run` sends a job to a free one and waits at most until the deadline.

    When every worker is busy (say, with expensive queries), the pool starts extra workers, up to ``max_size``, so
    that a cheap query waits for a process start (a fraction of a second) rather than for a deadline; a worker
    beyond ``size`` is retired when it finishes while another is idle. A new worker loads the current snapshot
    before it takes a job.
    """

    def __init__(self, size: int, start_timeout: float = 60.0,
                 memory_limit_mb: int | None = WORKER_MEMORY_LIMIT_MB, max_size: int | None = None,
                 snapshot: Snapshot | None = None) -> None:
        self.size = max(1, size)
        self.max_size = max(self.size, max_size if max_size is not None else 2 * self.size)
        self.snapshot = snapshot
        self._starting = 0
        self.memory_limit_mb = memory_limit_mb
        self.start_timeout = start_timeout
        self._ctx = mp.get_context("spawn")  # no fork: the server has threads and an event loop
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.killed = 0
        self.closed = False

    async def start(self) -> None:
        """Start the workers and wait until they are ready."""
        self._starting += self.size
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    def pids(self) -> list[int]:
        """The process ids of the live workers (for monitoring and tests)."""
        return [w.pid for w in self._all]

    async def _spawn(self) -> None:
        # Started from the event loop's thread, which lives as long as the server: a worker asks Linux to kill it
        # when the thread that started it ends (PR_SET_PDEATHSIG), and a pool thread may end long before the
        # server. Starting a process (fork + exec) takes a few milliseconds.
        try:
            w = _Worker(self._ctx, self.memory_limit_mb)
        except BaseException:
            self._starting -= 1
            raise
        self._all.add(w)
        self._starting -= 1
        try:
            await _readable(w.conn, self.start_timeout)
            msg = w.conn.recv()
            if msg[0] != "ready":
                raise WorkerFailed(f"unexpected first message {msg!r}")
            if self.snapshot is not None:
                version, path = await asyncio.to_thread(self.snapshot.current)
                w.conn.send({"warm": True, "version": version, "snapshot": path})
                await _readable(w.conn, self.start_timeout)
                msg = w.conn.recv()
                if msg[0] != "loaded":
                    raise WorkerFailed(f"unexpected answer to loading {msg!r}")
        except (TimeoutError, EOFError, OSError, WorkerFailed) as e:
            log.error("SPARQL worker %s failed to start: %s", w.pid, e)
            self._discard(w)
            if not self.closed and len(self._all) + self._starting < self.size:
                await asyncio.sleep(1.0)
                self._replace()
            return
        if self.closed:
            self._discard(w)
        else:
            self._idle.put_nowait(w)

    def _discard(self, w: _Worker) -> None:
        self._all.discard(w)
        w.kill()
        # Reap the process off the event loop, so that no zombie is left.
        t = asyncio.get_running_loop().run_in_executor(None, w.proc.join, 5)
        del t

    def _replace(self) -> None:
        """Start one worker in the background; it joins the idle queue when ready."""
        self._starting += 1
        task = asyncio.get_running_loop().create_task(self._spawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _refill(self) -> None:
        """Replace a lost worker when the pool is below its size."""
        if not self.closed and len(self._all) + self._starting < self.size:
            self._replace()

    def _retire(self, w: _Worker) -> None:
        """Let an idle worker go: ask it to exit, then make sure it has."""
        with contextlib.suppress(OSError):
            w.conn.send(None)
        self._discard(w)

    async def run(self, job: dict[str, Any], timeout: float) -> Outcome:
        """Answer ``job`` on a worker within ``timeout`` seconds (waiting for a free worker counts) or raise
        QueryTimeout."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + timeout
        if self._idle.empty() and len(self._all) + self._starting < self.max_size:
            self._replace()  # every worker is busy: start an extra one rather than wait for a deadline
        try:
            w = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError as e:
            raise QueryTimeout("no worker became free before the deadline") from e
        try:
            w.conn.send(job)
            await _readable(w.conn, deadline - loop.time())
            msg = await asyncio.to_thread(w.conn.recv)
        except TimeoutError as e:
            self.killed += 1
            self._discard(w)
            self._refill()
            raise QueryTimeout(f"the query ran past the {timeout:g} s deadline and was stopped") from e
        except asyncio.CancelledError:
            # The client went away: stop the work it asked for.
            self._discard(w)
            self._refill()
            raise
        except (EOFError, OSError, BrokenPipeError) as e:
            w.proc.join(0.5)
            log.warning("SPARQL worker %s failed answering a query (exit code %s): %r", w.pid, w.proc.exitcode, e)
            self._discard(w)
            self._refill()
            raise WorkerFailed("the query needed more memory than a worker may use, or crashed its worker") from e
        if len(self._all) > self.size and not self._idle.empty():
            self._retire(w)  # an extra worker, started while all were busy, no longer needed
        else:
            self._idle.put_nowait(w)
        seconds = loop.time() - started
        if msg[0] == "ok":
            _, media, body, truncated, rows = msg
            return Outcome(True, 200, media, body, truncated, rows, seconds=seconds)
        _, status, message = msg
        return Outcome(False, status, message=message, seconds=seconds)

    async def close(self) -> None:
        """Stop every worker."""
        self.closed = True
        for t in list(self._tasks):
            t.cancel()
        for w in list(self._all):
            with contextlib.suppress(OSError):
                w.conn.send(None)
            self._discard(w)
        self._all.clear()

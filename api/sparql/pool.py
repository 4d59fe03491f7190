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
import pickle
import signal
import socket
import struct
from dataclasses import dataclass
from typing import Any

from api.sparql import worker
from api.sparql.snapshot import Snapshot

log = logging.getLogger(__name__)

EXTRA_WORKER_LINGER_S = 10.0
"""How long workers started beyond the pool's size stay after the pool was last saturated."""
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
    version: str | None = None
    """The snapshot version the query ran on."""


class _Worker:
    """One worker process and the parent's end of its socket pair, read and written without blocking.

    The framing is that of ``multiprocessing.connection`` (a 4-byte big-endian length, then a pickle), so the worker
    keeps using ``Connection.recv``/``send``; the parent reads the socket from the event loop directly: a reply that
    is already there costs one ``recv`` call, and no thread is involved.
    """

    def __init__(self, ctx: Any, memory_limit_mb: int | None) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=worker.main, args=(child, memory_limit_mb), daemon=True,
                                name="egovkg-sparql-worker")
        self.proc.start()
        child.close()
        self.sock = socket.socket(fileno=os.dup(parent.fileno()))
        parent.close()
        self.sock.setblocking(False)
        self._buf = bytearray()
        self.version: str | None = None  # the snapshot version the worker holds

    @property
    def pid(self) -> int:
        return int(self.proc.pid or 0)

    async def send(self, obj: Any) -> None:
        """Send one message (a job, or None to ask the worker to exit)."""
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        await asyncio.get_running_loop().sock_sendall(self.sock, struct.pack("!i", len(data)) + data)

    async def recv(self) -> Any:
        """Read one message; EOFError when the worker is gone."""
        loop = asyncio.get_running_loop()
        while len(self._buf) < 4:
            await self._more(loop)
        size = struct.unpack_from("!i", self._buf)[0]
        start = 4
        if size == -1:  # a message of 2 GiB or more
            while len(self._buf) < 12:
                await self._more(loop)
            size, start = struct.unpack_from("!Q", self._buf, 4)[0], 12
        end = start + size
        if len(self._buf) < end:  # a large result: read the rest straight into a buffer of the right size
            body = bytearray(size)
            got = len(self._buf) - start
            body[:got] = self._buf[start:]
            self._buf = bytearray()
            view = memoryview(body)
            while got < size:
                n = await loop.sock_recv_into(self.sock, view[got:])
                if not n:
                    raise EOFError("the worker closed its socket")
                got += n
            return pickle.loads(body)
        msg = pickle.loads(memoryview(self._buf)[start:end])
        del self._buf[:end]
        return msg

    async def _more(self, loop: asyncio.AbstractEventLoop) -> None:
        chunk = await loop.sock_recv(self.sock, 1 << 16)
        if not chunk:
            raise EOFError("the worker closed its socket")
        self._buf += chunk

    def kill(self) -> None:
        """Stop the process now (SIGKILL: its query's CPU work ends immediately)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()


class WorkerPool:
    """``size`` worker processes; :meth:`run` sends a job to a free one and waits at most until the deadline.

    When every worker is busy (say, with expensive queries), the pool starts extra workers, up to ``max_size``, so
    that a cheap query waits for a process start (a fraction of a second) rather than for a deadline; workers beyond
    ``size`` are retired once the pool has not been saturated for ``EXTRA_WORKER_LINGER_S``. A new worker loads the
    newest snapshot before it takes a job.
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
        self.jobs = 0  # queries sent to a worker
        self.spawned = 0  # worker processes started
        self._last_saturated = 0.0
        self._trim_handle: asyncio.TimerHandle | None = None
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
        self.spawned += 1
        self._all.add(w)
        self._starting -= 1
        try:
            async with asyncio.timeout(self.start_timeout):
                msg = await w.recv()
                if msg[0] != "ready":
                    raise WorkerFailed(f"unexpected first message {msg!r}")
                if self.snapshot is not None:
                    await self._load(w)
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

    async def _load(self, w: _Worker) -> None:
        """Have ``w`` load the newest snapshot before it takes a job."""
        assert self.snapshot is not None
        version, path = self.snapshot.acquire()
        try:
            await w.send({"warm": True, "version": version, "snapshot": path})
            msg = await w.recv()
        finally:
            self.snapshot.release(path)
        if msg[0] != "loaded":
            raise WorkerFailed(f"unexpected answer to loading {msg!r}")
        w.version = version

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

    def _saturated(self) -> None:
        """Every worker is busy: start an extra one (up to ``max_size``) rather than let a cheap query wait for a
        deadline, and look again in ``EXTRA_WORKER_LINGER_S`` whether the extras are still needed."""
        loop = asyncio.get_running_loop()
        self._last_saturated = loop.time()
        if len(self._all) + self._starting < self.max_size:
            self._replace()
        if self._trim_handle is None and not self.closed:
            self._trim_handle = loop.call_later(EXTRA_WORKER_LINGER_S, self._trim)

    def _trim(self) -> None:
        """Retire idle workers beyond ``size`` once the pool has not been saturated for ``EXTRA_WORKER_LINGER_S``.

        Retiring an extra worker as soon as it is idle made a busy pool start and stop processes back to back (a
        start costs a second of CPU: the interpreter, pyoxigraph and the snapshot), which under a steady load of
        cheap queries took more CPU than the queries."""
        self._trim_handle = None
        if self.closed:
            return
        loop = asyncio.get_running_loop()
        quiet = loop.time() - self._last_saturated
        if quiet < EXTRA_WORKER_LINGER_S:
            self._trim_handle = loop.call_later(EXTRA_WORKER_LINGER_S - quiet, self._trim)
            return
        while len(self._all) > self.size and not self._idle.empty():
            self._retire(self._idle.get_nowait())
        if len(self._all) > self.size:  # extras still busy: look again later
            self._trim_handle = loop.call_later(EXTRA_WORKER_LINGER_S, self._trim)

    def _retire(self, w: _Worker) -> None:
        """Let an idle worker go (SIGKILL: it holds nothing but a copy of the snapshot)."""
        self._discard(w)

    async def run(self, job: dict[str, Any], timeout: float) -> Outcome:
        """Answer ``job`` on a worker within ``timeout`` seconds (waiting for a free worker counts) or raise
        QueryTimeout. The job runs on the newest snapshot at the moment a worker takes it (``Outcome.version``)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + timeout
        if self._idle.empty():
            self._saturated()
        try:
            async with asyncio.timeout_at(deadline):
                w = await self._idle.get()
        except TimeoutError as e:
            raise QueryTimeout("no worker became free before the deadline") from e
        version = path = None
        try:
            async with asyncio.timeout_at(deadline):
                if self.snapshot is not None:
                    # The newest snapshot, not the one of the version the request saw: it is at least as new, and a
                    # worker that already holds it does not load an older one again.
                    version, path = self.snapshot.acquire()
                    job = {**job, "version": version, "snapshot": path}
                self.jobs += 1
                await w.send(job)
                msg = await w.recv()
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
        except (EOFError, OSError) as e:
            await asyncio.sleep(0.05)  # let the process finish dying, to log its exit code
            log.warning("SPARQL worker %s failed answering a query (exit code %s): %r", w.pid, w.proc.exitcode, e)
            self._discard(w)
            self._refill()
            raise WorkerFailed("the query needed more memory than a worker may use, or crashed its worker") from e
        finally:
            if path is not None:
                self.snapshot.release(path)  # type: ignore[union-attr]
        w.version = version
        self._idle.put_nowait(w)
        seconds = loop.time() - started
        if msg[0] == "ok":
            _, media, body, truncated, rows = msg
            return Outcome(True, 200, media, body, truncated, rows, seconds=seconds, version=version)
        _, status, message = msg
        return Outcome(False, status, message=message, seconds=seconds, version=version)

    async def close(self) -> None:
        """Stop every worker."""
        self.closed = True
        if self._trim_handle is not None:
            self._trim_handle.cancel()
        for t in list(self._tasks):
            t.cancel()
        for w in list(self._all):
            self._discard(w)
        self._all.clear()

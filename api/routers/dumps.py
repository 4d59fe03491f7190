"""``/dumps/``: the whole knowledge graph as Turtle, N-Triples, JSON-LD, TriG and N-Quads, with checksums.

The files are written by the same code as ``egovkg build`` and ``egovkg export`` (``kg.build.write_dumps``), once per
dataset version, each also gzipped. Each answer carries ``ETag`` (its SHA-256), ``Last-Modified`` (when that set of
dumps was written), ``Repr-Digest`` and ``X-Dataset-Version`` (the version the file holds); a client that accepts
gzip gets the precompressed file.

**Written out of the request path.** The dumps of a version are written by a worker process (``kg.workers``: the
serializers hold the GIL for most of a second, which the server's readers need), fed with an N-Quads snapshot of the
store, into a directory of their own; the server serves the files from there. At most one set is written at a time,
and versions are coalesced: after a burst of writes, only the store's latest version is written. A request never
waits in a thread of the pool: it awaits the set on the event loop.

Two sets are started at least ``MIN_INTERVAL_S`` apart, so that a stream of writes costs one set per interval.

**What a request sees while a newer version is being written.** A request is answered with the dumps of the version
the dataset has when it arrives, or of a later one, if they can be had within ``DUMP_WAIT_S``: it waits for them
that long at most, and not at all when they cannot be ready by then (judged by how long the last set took to write,
and when the next may start). Otherwise it gets the newest complete set, whole and consistent (every file,
checksum, ETag, ``Last-Modified``, listing entry and VoID checksum of one set), with its version in
``X-Dataset-Version`` and in the listing (``version``, beside ``datasetVersion`` and ``current``), and
``X-Dumps-Pending: <dataset version>`` saying that a newer set is on its way. So a client that has just written sees
its write in the dumps at once when they are written within the wait, and otherwise a few seconds later (poll until
``X-Dataset-Version`` is the version its write answered with). Before the first set is written, a request waits up
to ``FIRST_WAIT_S`` and then gets 503 with ``Retry-After``. A write through the API starts writing the new version's
dumps at once (once the app has served dumps), so that they are usually ready before anyone asks.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import math
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from api.deps import StoreDep
from api.sparql import negotiation as n
from api.templates import templates
from kg import config, workers
from kg.build_info import DUMP_FILES
from kg.store import Store

log = logging.getLogger(__name__)
CHECKSUMS = "SHA256SUMS"
DUMP_WAIT_S = 1.0
"""How long a request waits for the dumps of the dataset's current version before it gets the newest complete set
(short: a waiting request holds one of the server's work slots, ``api/middleware/limits.py``)."""
MIN_INTERVAL_S = 5.0
"""The least time between the starts of two sets (a stream of writes costs one set per interval)."""
FIRST_WAIT_S = 120.0
"""How long a request waits when no set has been written yet (then 503)."""
SUPERSEDED_KEEP_S = 600.0
"""How long the files of a superseded set stay on disk, for the answers still sending them."""
GENERATION_TIMEOUT_S = 900.0
"""How long writing one set may take before its worker is stopped."""


class DumpsUnavailable(Exception):
    """No set of dumps could be written in time (or writing them failed)."""


@dataclass
class DumpFile:
    """One dump file, plain and gzipped, on disk."""

    name: str
    format: str
    media: str
    path: Path
    size: int
    sha256: str
    gz_path: Path
    gz_size: int
    gz_sha256: str


@dataclass
class DumpSet:
    """The dumps of one dataset version: written together, served together."""

    version: str
    modified: float
    files: dict[str, DumpFile]
    directory: Path
    taken: float = 0.0
    """When (``time.monotonic``) the snapshot it was written from was taken."""

    def checksums(self) -> dict[str, tuple[int, str]]:
        """File name -> (bytes, SHA-256 hex), for the VoID/DCAT distributions."""
        return {f.name: (f.size, f.sha256) for f in self.files.values()}

    def sums_text(self) -> str:
        """A ``sha256sum -c`` file covering the plain and gzipped dumps."""
        lines = [f"{f.sha256}  {f.name}" for f in self.files.values()]
        lines += [f"{f.gz_sha256}  {f.name}.gz" for f in self.files.values()]
        return "\n".join(lines) + "\n"


@dataclass
class Served:
    """What a request gets: a complete set, and the dataset version when the request arrived."""

    dumps: DumpSet
    dataset_version: str

    @property
    def current(self) -> bool:
        return self.dumps.version == self.dataset_version


class DumpCache:
    """The dumps of the newest version written, and the background task that writes the next one.

    Lives on one event loop (the app's); a request awaits :meth:`get`, a write calls :meth:`nudge`."""

    def __init__(self, directory: Path | None = None, wait: float = DUMP_WAIT_S, first_wait: float = FIRST_WAIT_S,
                 worker: workers.Worker | None = None, min_interval: float = MIN_INTERVAL_S) -> None:
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix="egovkg-dumps-")
        self.directory = Path(directory or self._tmp.name)  # type: ignore[union-attr]
        self.wait = wait
        self.first_wait = first_wait
        self.min_interval = min_interval
        self._worker = worker
        self.current: DumpSet | None = None
        self.generations = 0
        """Sets written (for tests and monitoring)."""
        self.error: BaseException | None = None
        """Why the last attempt to write a set failed, if it did."""
        self._demand = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._superseded: list[tuple[DumpSet, float]] = []
        self._serial = 0
        self._started = -math.inf  # when the last set was started (time.monotonic)
        self._next_start = 0.0  # when the next set starts, while the writer waits out the interval
        self._last_seconds = 0.0  # how long the last set took to write

    @property
    def worker(self) -> workers.Worker:
        return self._worker or workers.shared("dumps")

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new loop (a test client started again): the old loop's task is gone
            self._loop, self._task, self._changed = loop, None, asyncio.Event()

    def _signal(self) -> None:
        ev, self._changed = self._changed, asyncio.Event()
        ev.set()

    def _running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _ready_by(self) -> float:
        """When (``time.monotonic``) the set being written, or about to be, should be ready."""
        if self._next_start:
            return self._next_start + self._last_seconds
        return self._started + self._last_seconds

    def _ensure_running(self, store: Store) -> None:
        self._demand += 1
        if not self._running():
            self._task = asyncio.get_running_loop().create_task(self._generate(store))

    def nudge(self, store: Store) -> None:
        """The dataset has changed: write the new version's dumps in the background (if dumps were ever asked for)."""
        self._bind()
        if self.current is not None:
            self._ensure_running(store)

    async def get(self, store: Store, wait: float | None = None) -> DumpSet:
        """The dumps to serve now (see the module's description)."""
        return (await self.serve(store, wait)).dumps

    async def serve(self, store: Store, wait: float | None = None) -> Served:
        """The dumps to serve now and the dataset version they are served at; raise DumpsUnavailable if none."""
        self._bind()
        asked = time.monotonic()
        version = await run_in_threadpool(store.version)
        cur = self.current
        if cur is not None and cur.version == version:
            return Served(cur, version)
        self._ensure_running(store)
        deadline = asked + (self.wait if wait is None else wait) if cur is not None else asked + self.first_wait
        while True:
            cur = self.current
            if cur is not None and (cur.version == version or cur.taken >= asked):
                return Served(cur, version)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._running() or (cur is not None and self._ready_by() > deadline):
                if cur is not None:
                    return Served(cur, version)  # the newest complete set; its version says which
                raise DumpsUnavailable(f"the dumps are not written yet{f' ({self.error})' if self.error else ''}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def _generate(self, store: Store) -> None:
        """Write sets until the newest one is of the store's version and nobody asked for a newer one meanwhile."""
        try:
            while True:
                delay = self._started + self.min_interval - time.monotonic()
                if delay > 0:
                    self._next_start = time.monotonic() + delay
                    self._signal()  # the waiting requests judge again whether to wait
                    try:
                        await asyncio.sleep(delay)
                    finally:
                        self._next_start = 0.0
                demand = self._demand
                taken = self._started = time.monotonic()
                nquads = await run_in_threadpool(store.dump, "nquads")
                self._serial += 1
                out = self.directory / f"set-{self._serial:06d}"
                try:
                    result = await self.worker.acall(workers.write_dump_set, nquads, str(out), config.base_iri(),
                                                     timeout=GENERATION_TIMEOUT_S)
                except BaseException:
                    shutil.rmtree(out, ignore_errors=True)
                    raise
                del nquads
                self._last_seconds = time.monotonic() - taken
                self.generations += 1
                self.error = None
                self._publish(result, out, taken)
                self._signal()
                if self._demand == demand:
                    break  # nobody asked for a newer version while this one was written
                if await run_in_threadpool(store.version) == self.current.version:  # type: ignore[union-attr]
                    break
        except asyncio.CancelledError:
            raise
        except Exception as e:  # a worker that died twice, or a failure in the serializers: say so, serve the last
            log.exception("writing the dumps failed")
            self.error = e
        finally:
            self._signal()

    def _publish(self, result: dict, out: Path, taken: float) -> None:
        files = {name: DumpFile(name, f["format"], f["media"], out / name, f["bytes"], f["sha256"],
                                out / (name + ".gz"), f["gzip_bytes"], f["gzip_sha256"])
                 for name, f in result["files"].items()}
        old = self.current
        if old is not None and old.version == result["version"]:
            # The same version again (the store did not change): keep the set already served, and its Last-Modified.
            old.taken = max(old.taken, taken)
            shutil.rmtree(out, ignore_errors=True)
            return
        # Last-Modified goes forward by at least a second from set to set (it has whole seconds), so that an
        # If-Modified-Since of one set never matches the next.
        modified = time.time() if old is None else max(time.time(), int(old.modified) + 1)
        self.current = DumpSet(result["version"], modified, files, out, taken)
        now = time.monotonic()
        if old is not None:
            self._superseded.append((old, now))
        keep = []
        for s, since in self._superseded:
            if now - since > SUPERSEDED_KEEP_S:
                shutil.rmtree(s.directory, ignore_errors=True)
            else:
                keep.append((s, since))
        self._superseded = keep

    def close(self) -> None:
        """Stop writing and remove the files (at app shutdown)."""
        if self._running():
            self._task.cancel()  # type: ignore[union-attr]
        if self._tmp is not None:
            self._tmp.cleanup()


def dump_cache(app: FastAPI) -> DumpCache:
    """The app's dump cache (created on first use)."""
    cache = getattr(app.state, "dump_cache", None)
    if cache is None:
        cache = app.state.dump_cache = DumpCache()
    return cache


def unavailable(e: DumpsUnavailable) -> PlainTextResponse:
    """503 while no set of dumps can be served."""
    return PlainTextResponse(f"The dumps are being written ({e}); try again shortly.\n", status_code=503,
                             headers={"Retry-After": "10", "Cache-Control": "no-store"})


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0].lower() in ("gzip", "x-gzip", "*"):
            q = next((f.partition("=")[2] for f in fields[1:] if f.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        return etag in [t.strip().removeprefix("W/") for t in inm.split(",")] or inm.strip() == "*"
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            return parsedate_to_datetime(ims).timestamp() >= int(modified)
        except (TypeError, ValueError):
            return False
    return False


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(int(ts), tz=UTC)


def _file_response(request: Request, body: bytes | Path, sha: str, media: str, dumps: Served,
                   encoding: str | None, vary: bool, filename: str) -> Response:
    etag = f'"{sha}"'
    modified = dumps.dumps.modified
    headers = {"ETag": etag, "Last-Modified": format_datetime(_utc(modified), usegmt=True),
               "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(sha)).decode()}:",
               "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "public, max-age=300",
               "X-Dataset-Version": dumps.dumps.version}
    if not dumps.current:
        headers["X-Dumps-Pending"] = dumps.dataset_version
        headers["Cache-Control"] = "public, max-age=5"  # a newer set is on its way
    if vary:
        headers["Vary"] = "Accept-Encoding"
    if encoding:
        headers["Content-Encoding"] = encoding
    if _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    if isinstance(body, Path):
        return FileResponse(body, media_type=media, headers=headers)
    return Response(body, media_type=media, headers=headers)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Remove the app's dump files at shutdown."""
    try:
        yield
    finally:
        cache = getattr(app.state, "dump_cache", None)
        if cache is not None:
            app.state.dump_cache = None
            cache.close()


router = APIRouter(prefix="/dumps", tags=["dumps"], lifespan=lifespan)


@router.get("", include_in_schema=False)
def dumps_no_slash(request: Request) -> RedirectResponse:
    """The listing lives at ``/dumps/``."""
    return RedirectResponse(str(request.url.replace(path=request.url.path + "/")), status_code=301)


@router.get("/", summary="The list of dump files, with sizes and SHA-256 checksums")
async def dumps_index(request: Request, store: StoreDep) -> Response:
    """List the dumps as HTML (browsers) or JSON: the files of one set, and its version."""
    try:
        served = await dump_cache(request.app).serve(store)
    except DumpsUnavailable as e:
        return unavailable(e)
    dumps = served.dumps
    root = request.scope.get("root_path", "")
    items = [{"name": f.name, "format": f.format, "mediaType": f.media, "bytes": f.size, "sha256": f.sha256,
              "url": f"{root}/dumps/{f.name}", "gzipUrl": f"{root}/dumps/{f.name}.gz", "gzipBytes": f.gz_size,
              "gzipSha256": f.gz_sha256} for f in dumps.files.values()]
    headers = {"Vary": "Accept", "X-Dataset-Version": dumps.version}
    if not served.current:
        headers["X-Dumps-Pending"] = served.dataset_version
    media = n.negotiate(request.headers.get("accept"), ["application/json", n.HTML])
    if request.query_params.get("format") == "json" or media != n.HTML:
        return JSONResponse({"version": dumps.version, "datasetVersion": served.dataset_version,
                             "current": served.current, "checksums": f"{root}/dumps/{CHECKSUMS}", "files": items},
                            headers=headers)
    resp = templates.TemplateResponse(request, "dumps.html", {"items": items, "version": dumps.version,
                                                              "dataset_version": served.dataset_version,
                                                              "current": served.current,
                                                              "checksums": f"{root}/dumps/{CHECKSUMS}",
                                                              "root_path": root})
    resp.headers.update(headers)
    return resp


@router.api_route("/{name}", methods=["GET", "HEAD"],
                  summary="One dump file (gzip on request), or the checksums")
async def dump_file(name: str, request: Request, store: StoreDep) -> Response:
    """Serve a dump: ``egovkg.ttl`` (gzipped when the client accepts it), ``egovkg.ttl.gz``, or ``SHA256SUMS``."""
    base = name[:-3] if name.endswith(".gz") else name
    if name != CHECKSUMS and base not in {n_ for n_, _ in DUMP_FILES.values()}:
        return PlainTextResponse(f"No dump named {name!r}; see /dumps/.\n", status_code=404)
    try:
        served = await dump_cache(request.app).serve(store)
    except DumpsUnavailable as e:
        return unavailable(e)
    dumps = served.dumps
    if name == CHECKSUMS:
        text = dumps.sums_text().encode()
        return _file_response(request, text, hashlib.sha256(text).hexdigest(), "text/plain; charset=utf-8",
                              served, None, False, name)
    if name.endswith(".gz") and name[:-3] in dumps.files:
        f = dumps.files[name[:-3]]
        return _file_response(request, f.gz_path, f.gz_sha256, "application/gzip", served, None, False, name)
    if name not in dumps.files:
        return PlainTextResponse(f"No dump named {name!r}; see /dumps/.\n", status_code=404)
    f = dumps.files[name]
    media = f.media + ("; charset=utf-8" if f.media.startswith("text/") or f.media in (n.NTRIPLES, n.NQUADS) else "")
    if _accepts_gzip(request):
        return _file_response(request, f.gz_path, f.gz_sha256, media, served, "gzip", True, name)
    return _file_response(request, f.path, f.sha256, media, served, None, True, name)

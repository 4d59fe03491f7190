"""``/dumps/``: the whole knowledge graph as Turtle, N-Triples, JSON-LD, TriG and N-Quads, with checksums.

The files are written by the same code as ``egovkg build`` and ``egovkg export`` (``kg.build.write_dumps``), once per
dataset version, into a temporary directory. Each answer carries ``ETag`` (its SHA-256), ``Last-Modified`` (when
that version was first served) and ``Repr-Digest``; a client that accepts gzip gets the precompressed file.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from api.deps import StoreDep
from api.sparql import negotiation as n
from api.templates import templates
from kg.build import write_dumps
from kg.build_info import DUMP_FILES
from kg.store import Store

router = APIRouter(prefix="/dumps", tags=["dumps"])
CHECKSUMS = "SHA256SUMS"


@dataclass
class DumpFile:
    """One dump file, plain and gzipped."""

    name: str
    format: str
    media: str
    data: bytes
    gz: bytes
    sha256: str = field(init=False)
    gz_sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.gz_sha256 = hashlib.sha256(self.gz).hexdigest()


@dataclass
class DumpSet:
    """The dumps of one dataset version."""

    version: str
    modified: float
    files: dict[str, DumpFile]

    def checksums(self) -> dict[str, tuple[int, str]]:
        """File name -> (bytes, SHA-256 hex), for the VoID/DCAT distributions."""
        return {f.name: (len(f.data), f.sha256) for f in self.files.values()}

    def sums_text(self) -> str:
        """A ``sha256sum -c`` file covering the plain and gzipped dumps."""
        lines = [f"{f.sha256}  {f.name}" for f in self.files.values()]
        lines += [f"{f.gz_sha256}  {f.name}.gz" for f in self.files.values()]
        return "\n".join(lines) + "\n"


class DumpCache:
    """Writes the dumps of the store's current version on first request and keeps them until the version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: DumpSet | None = None

    def get(self, store: Store) -> DumpSet:
        """The dumps of the store's current version."""
        version = store.version()
        with self._lock:
            if self._current is None or self._current.version != version:
                with tempfile.TemporaryDirectory(prefix="egovkg-dumps-") as tmp:
                    write_dumps(store, Path(tmp))
                    files = {}
                    for fmt, (name, media) in DUMP_FILES.items():
                        data = (Path(tmp) / name).read_bytes()
                        files[name] = DumpFile(name, fmt, media, data, gzip.compress(data, mtime=0))
                self._current = DumpSet(version, time.time(), files)
            return self._current


def dump_cache(app: FastAPI) -> DumpCache:
    """The app's dump cache (created on first use)."""
    cache = getattr(app.state, "dump_cache", None)
    if cache is None:
        cache = app.state.dump_cache = DumpCache()
    return cache


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


def _file_response(request: Request, body: bytes, sha: str, media: str, modified: float,
                   encoding: str | None, vary: bool, filename: str) -> Response:
    etag = f'"{sha}"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(_utc(modified), usegmt=True),
               "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(sha)).decode()}:",
               "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "public, max-age=300"}
    if vary:
        headers["Vary"] = "Accept-Encoding"
    if encoding:
        headers["Content-Encoding"] = encoding
    if _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


@router.get("", include_in_schema=False)
def dumps_no_slash(request: Request) -> RedirectResponse:
    """The listing lives at ``/dumps/``."""
    return RedirectResponse(str(request.url.replace(path=request.url.path + "/")), status_code=301)


@router.get("/", summary="The list of dump files, with sizes and SHA-256 checksums")
def dumps_index(request: Request, store: StoreDep) -> Response:
    """List the dumps as HTML (browsers) or JSON."""
    dumps = dump_cache(request.app).get(store)
    root = request.scope.get("root_path", "")
    items = [{"name": f.name, "format": f.format, "mediaType": f.media, "bytes": len(f.data), "sha256": f.sha256,
              "url": f"{root}/dumps/{f.name}", "gzipUrl": f"{root}/dumps/{f.name}.gz", "gzipBytes": len(f.gz),
              "gzipSha256": f.gz_sha256} for f in dumps.files.values()]
    media = n.negotiate(request.headers.get("accept"), ["application/json", n.HTML])
    if request.query_params.get("format") == "json" or media != n.HTML:
        return JSONResponse({"version": dumps.version, "checksums": f"{root}/dumps/{CHECKSUMS}", "files": items},
                            headers={"Vary": "Accept"})
    resp = templates.TemplateResponse(request, "dumps.html", {"items": items, "version": dumps.version,
                                                              "checksums": f"{root}/dumps/{CHECKSUMS}",
                                                              "root_path": root})
    resp.headers["Vary"] = "Accept"
    return resp


@router.api_route("/{name}", methods=["GET", "HEAD"],
                  summary="One dump file (gzip on request), or the checksums")
def dump_file(name: str, request: Request, store: StoreDep) -> Response:
    """Serve a dump: ``egovkg.ttl`` (gzipped when the client accepts it), ``egovkg.ttl.gz``, or ``SHA256SUMS``."""
    dumps = dump_cache(request.app).get(store)
    if name == CHECKSUMS:
        text = dumps.sums_text().encode()
        return _file_response(request, text, hashlib.sha256(text).hexdigest(), "text/plain; charset=utf-8",
                              dumps.modified, None, False, name)
    if name.endswith(".gz") and name[:-3] in dumps.files:
        f = dumps.files[name[:-3]]
        return _file_response(request, f.gz, f.gz_sha256, "application/gzip", dumps.modified, None, False, name)
    if name not in dumps.files:
        return PlainTextResponse(f"No dump named {name!r}; see /dumps/.\n", status_code=404)
    f = dumps.files[name]
    media = f.media + ("; charset=utf-8" if f.media.startswith("text/") or f.media in (n.NTRIPLES, n.NQUADS) else "")
    if _accepts_gzip(request):
        return _file_response(request, f.gz, f.gz_sha256, media, dumps.modified, "gzip", True, name)
    return _file_response(request, f.data, f.sha256, media, dumps.modified, None, True, name)

"""Researchers add, replace and remove studies over HTTP: ``POST /studies``, ``PUT /studies/{key}``,
``DELETE /studies/{key}``.

Writes are off unless the settings name a write token; then each request must carry it as a bearer token,
compared in constant time and never logged. Every answer that is not a write is a report: 4xx with each problem
located in the uploaded file (file, line, field, what was expected). ``dry_run=true`` validates without writing.

The SHACL validation of a write runs in a warm worker process (``kg.workers``: shapes and ontology parsed once), so
that a write does not hold the GIL that the server's readers need; the app's store is set to use it at start-up,
for these routes and the GraphQL mutations alike (the CLI validates in its own process). Writes through these
routes wait their turn on the event loop, one at a time, rather than each in a thread of the pool. A write whose
validation worker died twice, or ran past ``VALIDATION_TIMEOUT_S``, is answered 503 and writes nothing.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from rdflib import Graph

from api.config import Settings, get_settings
from kg import config, workers
from kg.ingest import IngestError, detect_format, read_input
from kg.ingest.draft import KEY_RE
from kg.validate import Result
from kg.write import Outcome, add_study, remove_study, use_validator, validator_of

VALIDATION_TIMEOUT_S = 300.0
"""How long the SHACL validation of one write may take in the worker before the worker is stopped (and the write
refused with 503)."""


def validate_in_worker(data: Graph) -> list[Result]:
    """The write validator the server uses: ``kg.validate.validate_graph`` in the shared validation worker."""
    return workers.shared("validation").call(workers.validate_in_worker, list(data), config.base_iri(),
                                             timeout=VALIDATION_TIMEOUT_S)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Validate the app's writes in the worker process; start it now when writes are on."""
    store = getattr(app.state, "store", None)
    settings = _settings_of(app)
    if store is not None:
        use_validator(store, validate_in_worker)
        if settings.write_token:
            workers.shared("validation").start()
    try:
        yield
    finally:
        if store is not None and validator_of(store) is validate_in_worker:
            use_validator(store, None)


router = APIRouter(prefix="/studies", tags=["studies"], lifespan=lifespan)

WRITES_OFF = "Writes are off on this server: no write token is configured (EGOVKG_WRITE_TOKEN)."
DryRun = Annotated[bool, Query(description="Validate and report; write nothing.")]
AcceptAll = Annotated[bool, Query(description="Align every mention without a concept to its best suggestion.")]
AcceptSome = Annotated[list[str] | None, Query(description="Align one mention: MENTION=CONCEPT (repeatable).")]
Agent = Annotated[str | None, Query(description="Who makes the write (for provenance and accepted alignments).")]


class Refusal(Exception):
    """A request refused before any work: status, message and headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _settings_of(app: FastAPI) -> Settings:
    return getattr(app.state, "settings", None) or get_settings()


def _settings(request: Request) -> Settings:
    return _settings_of(request.app)


def _gate(app: FastAPI) -> asyncio.Lock:
    """One write at a time per app: the others wait on the event loop, not in threads of the pool."""
    loop = asyncio.get_running_loop()
    gate = getattr(app.state, "write_gate", None)
    if gate is None or gate[0] is not loop:  # an asyncio lock belongs to one loop (a test client may start another)
        gate = app.state.write_gate = (loop, asyncio.Lock())
    return gate[1]


async def _run_write(request: Request, fn: Any, *args: Any, **kw: Any) -> JSONResponse:
    """Run a write (``add_study`` or ``remove_study``) in a thread, after the writes before it; answer its outcome."""
    try:
        async with _gate(request.app):
            o = await run_in_threadpool(fn, *args, **kw)
    except workers.WorkerLost as e:
        return JSONResponse({"written": False, "detail": f"The validation could not finish ({e}); nothing was "
                                                          "written. Try again."},
                            status_code=503, headers={"Cache-Control": "no-store", "Retry-After": "5"})
    cache = getattr(request.app.state, "dump_cache", None)
    if o.written and cache is not None:
        cache.nudge(request.app.state.store)  # start writing the new version's dumps
    return _answer(o)


def authorize(request: Request, settings: Settings) -> None:
    """Refuse unless writes are on and the request carries the write token (compared in constant time)."""
    if not settings.write_token:
        raise Refusal(403, WRITES_OFF)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise Refusal(401, "A bearer token is required: Authorization: Bearer <token>.",
                      {"WWW-Authenticate": 'Bearer realm="egovkg"'})
    if not hmac.compare_digest(given.strip().encode("utf-8"), settings.write_token.encode("utf-8")):
        raise Refusal(401, "The bearer token is not valid.",
                      {"WWW-Authenticate": 'Bearer realm="egovkg", error="invalid_token"'})


async def _upload(request: Request, settings: Settings) -> tuple[bytes, str, str | None]:
    """The uploaded file (multipart field ``file``, or the raw body), its name and media type, within the size limit."""
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64_000:
        raise Refusal(413, f"The upload is {int(declared):,} bytes; at most {limit:,} bytes are accepted.")
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=8)
        f = form.get("file")
        if f is None or isinstance(f, str):
            raise Refusal(422, "The form has no file field named 'file'.")
        data = await f.read(limit + 1)
        return data, f.filename or "upload", f.content_type
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refusal(413, f"The upload is larger than {limit:,} bytes.")
        chunks.append(chunk)
    name = request.query_params.get("filename") or "upload"
    return b"".join(chunks), name, ctype or None


def _accept(all_: bool, some: list[str] | None) -> bool | dict[str, str]:
    if not some:
        return all_
    pairs = [a.partition("=") for a in some]
    if any(not sep or not v for _, sep, v in pairs):
        raise Refusal(422, "accept takes MENTION=CONCEPT.")
    return {k.strip(): v.strip() for k, _, v in pairs}


def _answer(o: Outcome, created: int = 201) -> JSONResponse:
    status = {"exists": 409, "missing": 404, "referenced": 409, "invalid": 422}.get(o.status, 422)
    if o.conforms:
        status = 200 if o.dry_run or o.action != "add" else created
    headers = {"Cache-Control": "no-store"}
    if o.written and o.version_after:
        headers["X-Dataset-Version"] = o.version_after
        if o.action != "remove":
            headers["Location"] = f"/id/study/{o.key}"
    return JSONResponse(o.as_dict(), status_code=status, headers=headers)


def _refused(e: Refusal) -> JSONResponse:
    return JSONResponse({"written": False, "detail": e.message}, status_code=e.status,
                        headers={"Cache-Control": "no-store", **e.headers})


async def _write(request: Request, key: str | None, replace: bool, dry_run: bool, accept: bool | dict[str, str],
                 agent: str | None) -> JSONResponse:
    settings = _settings(request)
    authorize(request, settings)
    data, name, media = await _upload(request, settings)
    store = request.app.state.store
    who = agent or "api-client"
    if detect_format(name, media, data) is None:
        raise Refusal(415, "Cannot tell the form of the upload: send a .ttl study file, a .csv coding sheet or a .qdc "
                           "codebook (file name or Content-Type text/turtle, text/csv, application/xml).")
    try:
        parsed = await run_in_threadpool(read_input, data, name, store=store, who=who, media_type=media,
                                         max_bytes=settings.max_upload_bytes)
    except IngestError as e:
        return JSONResponse({"written": False, "conforms": False, "status": "invalid",
                             "results": [{"severity": "Violation", **p.as_dict()} for p in e.problems]},
                            status_code=413 if any("bytes" in p.message and p.expected and "at most" in p.expected
                                                   for p in e.problems) else 422,
                            headers={"Cache-Control": "no-store"})
    if key is not None and parsed.key != key:
        raise Refusal(422, f"{name}: the file describes study {parsed.key!r}, the URL names {key!r}.")
    return await _run_write(request, add_study, store, parsed, replace=replace, dry_run=dry_run, accept=accept,
                            who=who)


@router.post("", summary="Add a study (study file, CSV coding sheet or REFI-QDA codebook)", status_code=201)
async def post_study(request: Request, dry_run: DryRun = False, accept_suggestions: AcceptAll = False,
                     accept: AcceptSome = None, agent: Agent = None) -> Any:
    """Validate an uploaded study with what it refers to and add it in one transaction; 409 if it exists."""
    try:
        return await _write(request, None, False, dry_run, _accept(accept_suggestions, accept), agent)
    except Refusal as e:
        return _refused(e)


@router.put("/{key}", summary="Add or replace a study")
async def put_study(request: Request, key: str, dry_run: DryRun = False, accept_suggestions: AcceptAll = False,
                    accept: AcceptSome = None, agent: Agent = None) -> Any:
    """Validate an uploaded study and replace the study ``key`` with it (or add it) in one transaction."""
    try:
        return await _write(request, key, True, dry_run, _accept(accept_suggestions, accept), agent)
    except Refusal as e:
        return _refused(e)


@router.delete("/{key}", summary="Remove a study")
async def delete_study(request: Request, key: str, dry_run: DryRun = False, agent: Agent = None) -> Any:
    """Remove the study ``key`` in one transaction, unless other studies refer to it; its history stays."""
    try:
        authorize(request, _settings(request))
    except Refusal as e:
        return _refused(e)
    if not KEY_RE.fullmatch(key):  # no study has such a key, and it would make no valid graph IRI
        return _refused(Refusal(404, f"{key!r} is not a study key (lower-case letters and digits, joined by hyphens)."))
    return await _run_write(request, remove_study, request.app.state.store, key, dry_run=dry_run,
                            who=agent or "api-client")

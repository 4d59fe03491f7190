"""GraphQL mutations of the ingest feature: ``addStudy`` and ``validateStudy``.

The file travels as text (or base64) in the ``file`` input. Writes are off unless the settings name a write token;
the token is read from the request's ``Authorization: Bearer`` header, else from the ``token`` argument (for clients
that cannot set headers; pass it as a variable), compared in constant time and never logged or echoed. A refusal is a
report, not a GraphQL error (status ``forbidden`` or ``unauthorized``): an error would be logged with the document,
which may hold the token. An invalid study is a report too (``conforms: false`` and located results).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any

import strawberry
from fastapi.concurrency import run_in_threadpool

from api.graphql.errors import UserError
from kg.ingest import IngestError, read_input
from kg.write import Outcome, add_study

WRITES_OFF = "Writes are off on this server: no write token is configured (EGOVKG_WRITE_TOKEN)."


@strawberry.input(description="A study file: a .ttl study file, a .csv coding sheet or a .qdc REFI-QDA codebook.")
class StudyFileInput:
    filename: str = strawberry.field(description="The file's name; its extension tells the form (.ttl, .csv, .qdc).")
    content: str = strawberry.field(description="The file's content: text, or base64 when `base64` is true.")
    base64: bool = strawberry.field(default=False, description="Whether `content` is base64 (for exact bytes).")


@strawberry.input(description="Align one mention to a concept of your choice (a suggestion or any concept key).")
class AlignmentChoice:
    mention: str = strawberry.field(description="The mention's key as in the report, e.g. doe-2024.privacy.")
    concept: str = strawberry.field(description="The concept's key or IRI, e.g. privacy.")


@strawberry.type(description="One finding of a study validation: a problem of the file or a SHACL result, located "
                             "in the file.")
class StudyValidationResult:
    severity: str
    message: str
    file: str | None
    line: int | None
    field: str | None = strawberry.field(description="The column, header field or codebook code.")
    expected: str | None
    focus: str | None = strawberry.field(description="The focus node (IRI) of a SHACL result.")
    path: str | None
    value: str | None
    shape: str | None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StudyValidationResult:
        """Build from a report entry."""
        return cls(severity=d.get("severity") or "Violation", message=d.get("message") or "", file=d.get("file"),
                   line=d.get("line"), field=d.get("field"), expected=d.get("expected"), focus=d.get("focus"),
                   path=d.get("path"), value=d.get("value"), shape=d.get("shape"))


@strawberry.type(description="A concept suggested for a mention, by label and definition similarity.")
class ConceptCandidate:
    concept: str
    label: str
    score: float
    matched: str = strawberry.field(description="The label, alternative label or definition that matched.")


@strawberry.type(description="Concepts suggested for a mention without one, and the one accepted.")
class AlignmentSuggestion:
    mention: str
    label: str
    line: int | None
    accepted: str | None
    candidates: list[ConceptCandidate]


@strawberry.type(description="What a study write did or would do.")
class StudyWriteReport:
    action: str
    study: str | None
    graph: str | None
    dry_run: bool
    written: bool
    conforms: bool
    status: str
    version_before: str | None
    version_after: str | None
    results: list[StudyValidationResult]
    suggestions: list[AlignmentSuggestion]
    notes: list[str]

    @classmethod
    def from_outcome(cls, o: Outcome) -> StudyWriteReport:
        """Build from a write outcome."""
        d = o.as_dict()
        return cls(action=o.action, study=o.key, graph=o.graph, dry_run=o.dry_run, written=o.written,
                   conforms=o.conforms, status=o.status, version_before=o.version_before,
                   version_after=o.version_after, notes=o.notes,
                   results=[StudyValidationResult.from_dict(r) for r in d["results"]],
                   suggestions=[AlignmentSuggestion(
                       mention=s["mention"], label=s["label"], line=s["line"], accepted=s["accepted"],
                       candidates=[ConceptCandidate(**c) for c in s["candidates"]]) for s in d["suggestions"]])

    @classmethod
    def refusal(cls, action: str, status: str, message: str) -> StudyWriteReport:
        """A request refused before any work."""
        return cls(action=action, study=None, graph=None, dry_run=True, written=False, conforms=False, status=status,
                   version_before=None, version_after=None, notes=[], suggestions=[],
                   results=[StudyValidationResult.from_dict({"severity": "Violation", "message": message})])

    @classmethod
    def from_problems(cls, action: str, e: IngestError) -> StudyWriteReport:
        """Build from the problems that stopped the file being read."""
        return cls(action=action, study=None, graph=None, dry_run=True, written=False, conforms=False,
                   status="invalid", version_before=None, version_after=None, notes=[], suggestions=[],
                   results=[StudyValidationResult.from_dict({"severity": "Violation", **p.as_dict()})
                            for p in e.problems])


def _authorize(info: strawberry.Info, token: str | None, action: str) -> StudyWriteReport | None:
    """A refusal unless writes are on and the request carries the write token; None when authorized."""
    settings = info.context.settings
    if not settings.write_token:
        return StudyWriteReport.refusal(action, "forbidden", WRITES_OFF)
    request = getattr(info.context, "request", None)
    given = token
    if request is not None:
        scheme, _, cred = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and cred:
            given = cred.strip()
    if not given:
        return StudyWriteReport.refusal(action, "unauthorized", "A write token is required: send Authorization: "
                                        "Bearer <token> (or the token argument, as a variable).")
    if not hmac.compare_digest(given.encode("utf-8"), settings.write_token.encode("utf-8")):
        return StudyWriteReport.refusal(action, "unauthorized", "The write token is not valid.")
    return None


def _bytes(file: StudyFileInput) -> bytes:
    if not file.base64:
        return file.content.encode("utf-8")
    try:
        return base64.b64decode(file.content, validate=True)
    except (binascii.Error, ValueError) as e:
        raise UserError(f"{file.filename}: content is not valid base64 ({e}).") from e


async def _run(info: strawberry.Info, file: StudyFileInput, *, replace: bool, dry_run: bool,
               accept: bool | dict[str, str], agent: str | None, action: str) -> StudyWriteReport:
    store, settings = info.context.store, info.context.settings
    data = _bytes(file)  # read_input enforces the size limit, with a located message
    who = agent or "api-client"
    try:
        parsed = await run_in_threadpool(read_input, data, file.filename, store=store, who=who,
                                         max_bytes=settings.max_upload_bytes)
    except IngestError as e:
        return StudyWriteReport.from_problems(action, e)
    o = await run_in_threadpool(add_study, store, parsed, replace=replace, dry_run=dry_run, accept=accept, who=who)
    return StudyWriteReport.from_outcome(o)


@strawberry.type
class IngestMutation:
    @strawberry.mutation(description="Add (or with `replace`, replace) a study from a study file, CSV coding sheet or "
                                     "REFI-QDA codebook: validated with what it refers to and written in one "
                                     "transaction, with provenance. `dryRun` validates only.")
    async def add_study(self, info: strawberry.Info, file: StudyFileInput, replace: bool = False,
                        dry_run: bool = False, accept_suggestions: bool = False,
                        accept: list[AlignmentChoice] | None = None, agent: str | None = None,
                        token: str | None = None) -> StudyWriteReport:
        refused = _authorize(info, token, "add")
        if refused is not None:
            return refused
        choice: bool | dict[str, str] = {a.mention: a.concept for a in accept} if accept else accept_suggestions
        return await _run(info, file, replace=replace, dry_run=dry_run, accept=choice, agent=agent, action="add")

    @strawberry.mutation(description="Validate a study file without writing: conforms, each result located in the "
                                     "file, and concept suggestions for mentions without one.")
    async def validate_study(self, info: strawberry.Info, file: StudyFileInput, replace: bool = False,
                             token: str | None = None) -> StudyWriteReport:
        refused = _authorize(info, token, "validate")
        if refused is not None:
            return refused
        return await _run(info, file, replace=replace, dry_run=True, accept=False, agent=None, action="validate")

"""Validated, all-or-nothing writes of one study: add, replace, remove.

Each study lives in its own named graph (``graph/study/<key>``). A write is checked (the input's own problems,
that the study's nodes are its own, that what it refers to exists), validated against the shapes together with
the parts of the KG it refers to, and committed with :meth:`Store.replace_graphs`: one SPARQL Update, one
Oxigraph transaction, so a write killed at any moment leaves the store as before or as after.

Provenance: every write is a ``prov:Activity`` in a named graph of its own, ``graph/provenance/<activity>``,
committed in the same transaction as the study graph. Provenance graphs are never replaced, so the history of a
study (added, replaced, removed; by whom, when, from which file) outlives the study graph itself. Alignments
accepted from suggestions are ``egov:Interpretation`` nodes in the study graph attributed to who accepted them.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg import align, config
from kg.ingest import Parsed, query
from kg.ingest.draft import add_alignment, agent_iri, describe_agent, rebase_term
from kg.ingest.problems import Problem
from kg.namespaces import EGOV, ID, STUDY
from kg.store import Store
from kg.validate import Result, validate_graph

ACTIVITY = Namespace(str(ID) + "activity/")
SOURCE = Namespace(str(ID) + "source/")
_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()

Validator = Callable[[Graph], list[Result]]
"""Validates a data graph (the study with the parts of the KG it refers to) and returns every SHACL result."""
_validators: weakref.WeakKeyDictionary[Store, Validator] = weakref.WeakKeyDictionary()

# Nodes a study graph may describe besides its own (``<type>/<key>`` and ``<type>/<key>.<local>``).
_SHARED_TYPES = (EGOV.Country, PROV.Agent)
# Properties whose objects must be the study's own nodes: a study cannot claim another study's mentions.
_OWNED_OBJECTS = (EGOV.reportsFactor, EGOV.evidence, EGOV.interpretation, EGOV.usesMethod, EGOV.reportsStatistic,
                  EGOV.makesClaim, EGOV.makesRecommendation, EGOV.fieldwork)


def graph_iri(key: str) -> URIRef:
    """The named graph of a study."""
    return URIRef(f"{config.base_iri()}graph/study/{key}")


def study_iri(key: str) -> URIRef:
    """The IRI of a study."""
    return rebase_term(STUDY[key])


def validate_in_process(data: Graph) -> list[Result]:
    """pySHACL in this process (the CLI's way: it holds this process's GIL while it runs)."""
    return validate_graph(data).results


def use_validator(store: Store, validator: Validator | None) -> None:
    """Validate the writes to ``store`` with ``validator`` (``None``: in process again).

    The server installs a validator that runs pySHACL in a warm worker process (``kg.workers``), so that a write
    does not hold the GIL its readers need; the findings are the same, since the worker runs the same
    ``validate_graph`` on the same triples."""
    if validator is None:
        _validators.pop(store, None)
    else:
        _validators[store] = validator


def validator_of(store: Store) -> Validator:
    """The validator of writes to ``store``."""
    return _validators.get(store, validate_in_process)


def _lock(store: Store) -> threading.Lock:
    # Check-then-write must not interleave with another write to the same store in this process.
    with _locks_guard:
        return _locks.setdefault(id(store), threading.Lock())


@dataclass
class Finding:
    """One entry of a write report: a problem of the input or a SHACL result, located in the input."""

    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    expected: str | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    shape: str | None = None

    def text(self) -> str:
        """``file:line:field: severity: message (expected …) [focus path value]``."""
        where = ":".join(str(x) for x in (self.file, self.line, self.field) if x not in (None, ""))
        tail = f" (expected {self.expected})" if self.expected else ""
        node = " ".join(x for x in (self.focus, self.path and f"path {self.path}",
                                    self.value is not None and f"value {self.value}" or None) if x)
        return f"{where + ': ' if where else ''}{self.severity}: {self.message}{tail}{f' [{node}]' if node else ''}"

    @classmethod
    def of_problem(cls, p: Problem) -> Finding:
        """A parse problem as a finding."""
        return cls("Violation", p.message, p.file, p.line, p.field, p.expected)


@dataclass
class Suggestion:
    """Concepts suggested for a mention without one, and the one accepted (if any)."""

    mention: str
    label: str
    line: int | None
    candidates: list[align.Candidate]
    accepted: str | None = None


@dataclass
class Outcome:
    """What a write did or would do: the report, the suggestions and, if written, the new version."""

    action: str
    key: str
    graph: str
    dry_run: bool
    written: bool = False
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version_before: str | None = None
    version_after: str | None = None
    activity: str | None = None
    triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    status: str = "ok"  # ok | invalid | exists | missing | referenced

    @property
    def conforms(self) -> bool:
        """No violation was found."""
        return not any(f.severity == "Violation" for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready report."""
        return {
            "action": self.action, "study": self.key, "graph": self.graph, "dryRun": self.dry_run,
            "written": self.written, "conforms": self.conforms, "status": self.status,
            "results": [vars(f) for f in self.findings],
            "suggestions": [{"mention": s.mention, "label": s.label, "line": s.line, "accepted": s.accepted,
                             "candidates": [c.as_dict() for c in s.candidates]} for s in self.suggestions],
            "notes": self.notes, "versionBefore": self.version_before, "versionAfter": self.version_after,
            "activity": self.activity, "triples": self.triples, "seconds": self.seconds,
        }

    def text(self) -> str:
        """A readable report."""
        lines = [f"{self.action} {self.key}: " + (
            "written" if self.written else "conforms (dry run, nothing written)" if self.conforms and self.dry_run
            else "rejected, nothing written" if not self.conforms else "not written")]
        lines += [f.text() for f in self.findings]
        for s in self.suggestions:
            cands = "; ".join(f"{c.concept.rsplit('/', 1)[-1]} ({c.label}, {c.score:.2f})" for c in s.candidates)
            acc = f" -> accepted {s.accepted.rsplit('/', 1)[-1]}" if s.accepted else ""
            lines.append(f"suggestion for {s.label!r}{f' (line {s.line})' if s.line else ''}: {cands or 'none'}{acc}")
        lines += [f"note: {n}" for n in self.notes]
        if self.written:
            lines.append(f"dataset version {self.version_before} -> {self.version_after}")
        return "\n".join(lines)


def _exists(store: Store, key: str) -> bool:
    return bool(store.select(query("graph_exists"), {"g": graph_iri(key)}, union=False))


def _ownership(p: Parsed) -> list[Finding]:
    """Findings for nodes the study graph describes or claims that are not its own."""
    base = config.base_iri() + "id/"
    out = []
    shared = {s for t in _SHARED_TYPES for s in p.graph.subjects(RDF.type, rebase_term(t))}
    for s in sorted({s for s in p.graph.subjects() if isinstance(s, URIRef)}):
        own = str(s) == str(study_iri(p.key)) or (
            str(s).startswith(base) and str(s)[len(base):].split("/", 1)[-1].startswith(p.key + "."))
        if not own and s not in shared:
            line, fld = p.where(s)
            out.append(Finding("Violation", f"the file describes {s}, which is not a node of study {p.key!r}",
                               p.file, line, fld, f"nodes named {p.key}.<local> (study-owned) or the study itself",
                               focus=str(s)))
    for prop in _OWNED_OBJECTS:
        for claimer, o in p.graph.subject_objects(rebase_term(prop)):
            if isinstance(o, URIRef) and not str(o).rsplit("/", 1)[-1].startswith(p.key + "."):
                line, fld = p.where(claimer, str(prop))
                out.append(Finding("Violation", f"{claimer} claims {o}, which belongs to another study", p.file, line,
                                   fld, f"a node named {p.key}.<local>", focus=str(claimer), path=str(prop),
                                   value=str(o)))
    return out


def _references(store: Store, p: Parsed) -> tuple[list[Finding], set[URIRef]]:
    """Findings for referenced nodes the KG does not have; and the referenced nodes."""
    subjects = set(p.graph.subjects())
    refs = {o for o in p.graph.objects() if isinstance(o, URIRef) and o not in subjects}
    refs -= {o for o in refs if str(o).startswith(config.base_iri() + "ontology/")}
    ours = [o for o in refs if str(o).startswith(config.base_iri() + "id/")]
    known = {URIRef(r["s"]) for r in store.select(query("known_nodes", ours))} if ours else set()
    from kg.validate import ontology_graph

    onto = set(ontology_graph().subjects())
    out = []
    for o in sorted(o for o in ours if o not in known and o not in onto):
        for s, pr in sorted(p.graph.subject_predicates(o)):
            if pr == RDF.type:
                continue
            line, fld = p.where(s, str(pr))
            kind = str(o)[len(config.base_iri() + "id/"):].split("/", 1)[0]
            out.append(Finding("Violation", f"{kind} {str(o).rsplit('/', 1)[-1]!r} does not exist in the KG", p.file,
                               line, fld, f"an existing {kind} (see `egovkg query concept_labels` for concepts)",
                               focus=str(s), path=str(pr), value=str(o)))
    return out, refs


def _context(store: Store, p: Parsed, refs: set[URIRef]) -> Graph:
    """The parts of the KG the study refers to: their descriptions, their objects' descriptions, broader concepts."""
    ctx = Graph()
    level1 = sorted(r for r in refs if str(r).startswith(config.base_iri() + "id/"))
    if not level1:
        return ctx
    for t in store.construct(query("describe", level1)):
        ctx.add(t)
    concepts = [r for r in level1 if (r, RDF.type, rebase_term(EGOV.FactorConcept)) in ctx]
    if concepts:
        for t in store.construct(query("ancestors", concepts)):
            ctx.add(t)
    seen = set(level1) | set(p.graph.subjects())
    level2 = sorted({o for o in ctx.objects() if isinstance(o, URIRef) and o not in seen
                     and str(o).startswith(config.base_iri() + "id/")})
    if level2:
        for t in store.construct(query("describe", level2)):
            ctx.add(t)
    return ctx


def _shacl(p: Parsed, graph: Graph, ctx: Graph, validate: Validator) -> list[Finding]:
    """Validate the study with its context; keep the results about the study's own nodes, located in the input."""
    data = Graph()
    for t in graph:
        data.add(t)
    for t in ctx:
        data.add(t)
    own = {str(s) for s in graph.subjects()}
    out = []
    for r in validate(data):
        if r.focus not in own:
            continue  # a context node, described only partly here; the KG validated it when it was written
        line, fld = p.where(URIRef(r.focus), r.path)
        out.append(_finding(r, p.file, line, fld))
    return out


def _finding(r: Result, file: str, line: int | None, fld: str | None) -> Finding:
    return Finding(r.severity, r.message, file, line, fld, None, r.focus, r.path, r.value, r.shape)


def _suggest(store: Store, p: Parsed, graph: Graph, accept: bool | dict[str, str], who: str,
             findings: list[Finding]) -> list[Suggestion]:
    """Suggestions for every mention without a concept; accepted ones are added to ``graph`` as alignments."""
    out = []
    agent = agent_iri(who)
    used = False
    mentions = sorted(m for m in graph.subjects(RDF.type, rebase_term(EGOV.FactorMention)) if isinstance(m, URIRef))
    for m in mentions:
        if graph.value(m, rebase_term(EGOV.concept)) is not None:
            continue
        label = str(graph.value(m, rebase_term(EGOV.labelAsWritten)) or graph.value(m, RDFS.label) or "")
        desc = str(graph.value(m, DCTERMS.description) or "")
        s = Suggestion(str(m), label, p.where(m)[0], align.suggest(store, label, desc))
        local = str(m).rsplit("/", 1)[-1]
        choice = None
        if isinstance(accept, dict):
            wanted = accept.get(local) or accept.get(str(m)) or accept.get(local.split(".", 1)[-1])
            if wanted:
                choice = next((c for c in s.candidates if c.concept == wanted or c.concept.endswith("/" + wanted)),
                              None)
                if choice is None:
                    from kg.ingest.draft import concept_iri

                    choice = align.Candidate(str(rebase_term(concept_iri(wanted))), wanted, 0.0, "chosen by name")
        elif accept and s.candidates:
            choice = s.candidates[0]
        if choice is not None:
            just = (f"Suggested by egovkg (similarity {choice.score:.2f} to '{choice.matched[:120]}') and accepted "
                    f"by {who}." if choice.score else f"Chosen by {who} when adding the study.")
            add_alignment(graph, m, URIRef(choice.concept), just, agent)
            s.accepted = choice.concept
            used = True
        else:
            line, fld = p.where(m, str(EGOV.concept))
            names = ", ".join(c.concept.rsplit("/", 1)[-1] for c in s.candidates) or "none close"
            findings.append(Finding("Violation", f"factor {label!r} has no concept", p.file, line, fld,
                                    f"a concept key; suggested: {names} (accept with --accept-suggestions or the "
                                    "acceptSuggestions field)", focus=str(m), path=str(EGOV.concept)))
        out.append(s)
    if used:
        describe_agent(graph, agent, who)
    return out


def _subjects(store: Store, key: str) -> list[URIRef]:
    """The IRIs a study's graph describes."""
    return sorted(URIRef(r["s"]) for r in store.select(query("graph_subjects"), {"g": graph_iri(key)}, union=False))


def _referrers(store: Store, key: str, nodes: list[URIRef]) -> list[Finding]:
    """Findings for triples of other graphs that point at nodes this write takes away."""
    if not nodes:
        return []
    out = []
    for r in store.select(query("referrers", nodes), {"own": graph_iri(key)}, union=False):
        if "/graph/provenance/" in r["g"]:
            continue  # the history may name what it removed
        out.append(Finding("Violation", f"{r['s']} in graph {r['g']} refers to {r['o']}, which this write removes",
                            None, None, None, "no other study referring to it", focus=r["s"], path=r["p"],
                            value=r["o"]))
    return out


def _provenance(action: str, key: str, who: str, p: Parsed | None, started: datetime) -> tuple[URIRef, URIRef, Graph]:
    """The provenance graph of one write: the activity, its agent, the file it used, what it generated or removed."""
    stamp = started.strftime("%Y%m%dT%H%M%S%fZ")
    act = rebase_term(ACTIVITY[f"{stamp}-{uuid.uuid4().hex[:8]}"])
    gi = URIRef(f"{config.base_iri()}graph/provenance/{str(act).rsplit('/', 1)[-1]}")
    g = Graph()
    agent = rebase_term(agent_iri(who))
    g.add((act, RDF.type, PROV.Activity))
    g.add((act, RDFS.label, Literal(f"{action} study {key}", lang="en")))
    g.add((act, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    g.add((act, PROV.endedAtTime, Literal(datetime.now(UTC).isoformat(), datatype=XSD.dateTime)))
    g.add((act, PROV.wasAssociatedWith, agent))
    describe_agent(g, agent, who)
    study_graph = graph_iri(key)
    if action in ("replace", "remove"):
        g.add((act, PROV.invalidated, study_graph))
    if p is not None:
        src = rebase_term(SOURCE[p.sha256])
        g.add((act, PROV.used, src))
        g.add((src, RDF.type, PROV.Entity))
        g.add((src, DCTERMS.title, Literal(p.file)))
        g.add((src, DCTERMS.format, Literal({"turtle": "text/turtle", "csv": "text/csv",
                                             "qdc": "application/xml"}[p.fmt])))
        g.add((src, DCTERMS.identifier, Literal(f"sha256:{p.sha256}")))
        g.add((src, DCTERMS.extent, Literal(p.size, datatype=XSD.integer)))
        g.add((study_graph, PROV.wasGeneratedBy, act))
        g.add((study_graph, PROV.wasDerivedFrom, src))
        g.add((study_iri(key), PROV.wasGeneratedBy, act))
    return act, gi, g


def _next_version(before: str, activity: URIRef, graph: Graph | None) -> str:
    h = hashlib.sha256(f"{before}|{activity}|".encode())
    if graph is not None:
        h.update(str(len(graph)).encode())
    return h.hexdigest()[:16]


def add_study(store: Store, p: Parsed, *, replace: bool = False, dry_run: bool = False,
              accept: bool | dict[str, str] = False, who: str = "anonymous", shacl: bool = True,
              validator: Validator | None = None) -> Outcome:
    """Validate a parsed study and, unless ``dry_run`` or invalid, write it as one transaction with its provenance.

    ``shacl=False`` skips only the SHACL step (never the input's own checks): for the crash-safety test, whose
    kill points belong in the commit, and for data validated already. ``validator`` runs the SHACL step (default:
    the one installed for ``store`` with :func:`use_validator`, else pySHACL in this process); if it fails (say, its
    worker process died), nothing is written and its exception is raised.
    """
    validate = validator or validator_of(store)
    t0 = time.perf_counter()
    started = datetime.now(UTC)
    with _lock(store):
        exists = _exists(store, p.key)
        action = "replace" if exists and replace else "add"
        o = Outcome(action, p.key, str(graph_iri(p.key)), dry_run, notes=list(p.notes))
        o.version_before = store.version()
        if exists and not replace:
            line, fld = p.where(study_iri(p.key))
            o.findings.append(Finding("Violation", f"study {p.key!r} already exists", p.file, line, fld or "key",
                                      "a new study key, or replace it (--replace, PUT /studies/{id})"))
            o.status = "exists"
            return o
        graph = Graph()
        for t in p.graph:
            graph.add(t)
        o.findings += _ownership(p)
        ref_findings, refs = _references(store, p)
        o.findings += ref_findings
        o.suggestions = _suggest(store, p, graph, accept, who, o.findings)
        refs |= {URIRef(s.accepted) for s in o.suggestions if s.accepted}
        if exists:
            old = set(_subjects(store, p.key))
            o.findings += _referrers(store, p.key, sorted(old - set(graph.subjects())))
        t1 = time.perf_counter()
        if shacl:  # also when checks failed: every problem of a file is reported at once
            ctx = _context(store, p, refs)
            seen = {(f.focus, f.path) for f in o.findings if f.focus}
            seen |= {(focus, str(rebase_term(EGOV.interpretation))) for focus, path in seen
                     if path == str(rebase_term(EGOV.concept))}
            o.findings += [f for f in _shacl(p, graph, ctx, validate) if (f.focus, f.path) not in seen]
        o.seconds["validate"] = round(time.perf_counter() - t1, 4)
        o.triples = len(graph)
        if not o.conforms:
            o.status = "invalid"
            return o
        if dry_run:
            return o
        t2 = time.perf_counter()
        act, prov_graph, prov = _provenance(action, p.key, who, p, started)
        version = _next_version(o.version_before, act, graph)
        store.replace_graphs({str(graph_iri(p.key)): graph, str(prov_graph): prov}, version)
        o.seconds["commit"] = round(time.perf_counter() - t2, 4)
        o.written, o.version_after, o.activity = True, version, str(act)
        o.seconds["total"] = round(time.perf_counter() - t0, 4)
        return o


def remove_study(store: Store, key: str, *, dry_run: bool = False, who: str = "anonymous") -> Outcome:
    """Remove a study's graph in one transaction, unless other studies refer to its nodes."""
    started = datetime.now(UTC)
    with _lock(store):
        o = Outcome("remove", key, str(graph_iri(key)), dry_run)
        o.version_before = store.version()
        if not _exists(store, key):
            o.findings.append(Finding("Violation", f"study {key!r} does not exist", None, None, "key",
                                      "the key of a study in the KG"))
            o.status = "missing"
            return o
        nodes = _subjects(store, key)
        o.findings += _referrers(store, key, nodes)
        if not o.conforms:
            o.status = "referenced"
            return o
        if dry_run:
            return o
        act, prov_graph, prov = _provenance("remove", key, who, None, started)
        version = _next_version(o.version_before, act, None)
        store.replace_graphs({str(graph_iri(key)): None, str(prov_graph): prov}, version)
        o.written, o.version_after, o.activity = True, version, str(act)
        return o


__all__ = ["Finding", "Outcome", "Suggestion", "Validator", "add_study", "graph_iri", "remove_study", "study_iri",
           "use_validator", "validate_in_process", "validator_of"]

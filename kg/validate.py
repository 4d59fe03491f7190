"""Validate data against the SHACL shapes with pySHACL and report each result with where it comes from.

Two ways to validate, with the same results:

- **Whole graph** (:func:`validate_graph`, :func:`validate_dataset`, :func:`validate_files`): ontology and data in one
  rdflib graph, one pySHACL run. Right for the shipped KG and for a few files.
- **Partitioned** (:func:`validate_partitioned`, :func:`validate_data_dir`, :func:`validate_store`): the shared context
  (ontology, concepts, places: every graph that is not a study graph) stays loaded, and the study graphs are
  validated with it a chunk at a time, so memory is bounded by the chunk and time is linear in the number of
  studies. See :func:`validate_partitioned` for why its results are exactly those of the whole graph.

Cost. pySHACL evaluates each node shape focus node by focus node and each property shape value node by value node.
Three things made that slower than it needs to be. pySHACL hands a SPARQL-based constraint's query text to rdflib for
every focus node, and rdflib parses and translates it again each time (about 40 ms of the 50 ms a focus node took,
three quarters of all the time); and it looks up every predicate of a shape in a list of ~40 constraint parameters,
at each focus node: both are changed once, on import (:func:`_speed_up_pyshacl`). And it reads the same few hundred
patterns of the shapes graph again at every focus node: :class:`ReadMostlyGraph` keeps their answers. Besides,
``advanced=True`` (needed for the shapes' ``sh:SPARQLTarget`` targets) makes pySHACL copy the whole data graph in
case SHACL rules add to it; the shapes have no rules and the graph validated is always one built here for the
purpose, so it is validated in place.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import BNode, Node

from kg import sources

if TYPE_CHECKING:
    from kg.store import Store


class ShapesError(sources.SourceError):
    """The SHACL shapes themselves are malformed, so pySHACL could not validate anything."""


# -- pySHACL speed-ups ------------------------------------------------------------------------------------------------
def _speed_up_pyshacl() -> None:
    """Two small, contained changes of pySHACL's behaviour that keep its results and remove most of its cost.

    1. A SPARQL-based constraint's query is prepared (parsed and translated to algebra) once per query text, not once
       per focus node: pySHACL calls ``_validate_sparql_query(text, init_bindings, graph)``, which passes the text to
       rdflib's ``Graph.query``; rdflib evaluates a prepared query with the same ``initBindings`` exactly as it
       evaluates the text (``processor.query`` prepares the text and calls the same ``evalQuery``).
    2. The constraint parameters pySHACL looks each shape predicate up in (a list, compared term by term) answer
       membership from a set. pySHACL keeps that list in ``pyshacl.shape.CONSTRAINT_PARAMS``, a lazily filled
       module attribute; it is filled here with a list that also keeps a set.

    Each change is skipped when the pySHACL in use does not have the attribute it relies on, leaving pySHACL as it
    is (slower, same results).
    """
    try:
        from pyshacl import shape as shape_module
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
        from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
    except ImportError:  # pragma: no cover - a pySHACL reorganised beyond these names
        return

    run_query = getattr(SPARQLBasedConstraint, "_validate_sparql_query", None)
    if run_query is not None and not getattr(run_query, "_egovkg_prepared", False):

        def _validate_sparql_query(self, query, init_binds, target_graph):  # type: ignore[no-untyped-def]
            # pySHACL's oxigraph-backed graphs take query text only; rdflib graphs take a prepared query as well.
            native = isinstance(target_graph, Graph) and not hasattr(target_graph, "query_oxigraph")
            if native and isinstance(query, str):
                query = prepared_query(query)
            return run_query(self, query, init_binds, target_graph)

        _validate_sparql_query._egovkg_prepared = True  # type: ignore[attr-defined]
        SPARQLBasedConstraint._validate_sparql_query = _validate_sparql_query  # type: ignore[method-assign]

    if isinstance(getattr(shape_module, "CONSTRAINT_PARAMS", None), tuple) or not hasattr(shape_module, "Shape"):
        return
    shape_module.CONSTRAINT_PARAMS = (_ParameterList(ALL_CONSTRAINT_PARAMETERS),  # type: ignore[attr-defined]
                                      CONSTRAINT_PARAMETERS_MAP)


@lru_cache(maxsize=512)
def prepared_query(text: str):  # type: ignore[no-untyped-def]
    """A SPARQL query parsed and translated once (pySHACL's SPARQL constraints run the same text per focus node)."""
    return prepareQuery(text)


class _ParameterList(list):  # type: ignore[type-arg]
    """A list of constraint parameters whose ``in`` is a set lookup; ``copy`` and ``append`` keep the set."""

    def __init__(self, items: Iterable[Node] = ()) -> None:
        super().__init__(items)
        self._members = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def copy(self) -> _ParameterList:
        return _ParameterList(self)

    def append(self, item: Node) -> None:
        super().append(item)
        self._members.add(item)


_speed_up_pyshacl()


# -- results ----------------------------------------------------------------------------------------------------------
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Result:
    """One SHACL validation result."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None
    component: str | None
    source: str | None = None  # the file the focus node is described in

    def line(self) -> str:
        """A one-line human-readable form: file, focus node, path, message."""
        where = f"{self.source}: " if self.source else ""
        path = f" path {self.path}" if self.path else ""
        value = f" value {self.value}" if self.value is not None else ""
        return f"{where}{self.severity} at {self.focus}{path}{value}: {self.message} [{self.shape}]"


@dataclass
class Report:
    """The outcome of a validation: conforms, and every result."""

    conforms: bool
    results: list[Result]
    graph: Graph

    def text(self) -> str:
        """A readable report, one result per line."""
        if self.conforms:
            return "Conforms: no violations."
        return "\n".join([f"Does not conform: {len(self.results)} result(s)."] + [r.line() for r in self.results])


class ReadMostlyGraph(Graph):
    """A graph that keeps the answer to each triple pattern until it changes.

    pySHACL reads the shapes graph again at every focus node (a shape's predicates, each constraint's parameters,
    ``sh:in`` lists), always the same few hundred patterns of a graph that does not change while it validates:
    answering them from memory takes about a third off validation time. Any change empties the memory.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answers: dict[tuple[Node | None, Node | None, Node | None], list[Triple]] = {}

    def triples(self, triple):  # type: ignore[no-untyped-def,override]
        s, p, o = triple
        if not isinstance(p, (URIRef, type(None))):  # a property path: rdflib evaluates it; not remembered
            return super().triples(triple)
        answer = self._answers.get(triple)
        if answer is None:
            answer = self._answers[triple] = list(super().triples(triple))
        return iter(answer)

    def add(self, triple):  # type: ignore[no-untyped-def]
        self._answers.clear()
        return super().add(triple)

    def addN(self, quads):  # type: ignore[no-untyped-def]  # noqa: N802 - rdflib's name
        self._answers.clear()
        return super().addN(quads)

    def remove(self, triple):  # type: ignore[no-untyped-def]
        self._answers.clear()
        return super().remove(triple)


_shapes_cache: dict[str, Graph] = {}
_ontology_cache: dict[str, Graph] = {}


def shapes_graph(base: str | None = None) -> Graph:
    """The SHACL shapes (all files in ``shapes/``), parsed once per base."""
    from kg import config

    key = base or config.base_iri()
    if key not in _shapes_cache:
        g = ReadMostlyGraph()
        for p in sources.shapes_files():
            sources.parse_turtle(p, key, into=g)
        _shapes_cache[key] = g
    return _shapes_cache[key]


def ontology_graph(base: str | None = None) -> Graph:
    """The ontology (aggregator and modules), parsed once per base."""
    from kg import config

    key = base or config.base_iri()
    if key not in _ontology_cache:
        _ontology_cache[key] = sources.load_graph(sources.ontology_files(), key)
    return _ontology_cache[key]


def _s(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node)
    return node.n3() if not isinstance(node, URIRef) else str(node)


def _path(g: Graph, node: Node | None) -> str | None:
    """A SHACL property path in SPARQL's syntax (``^p`` for an inverse path), not as a blank node's label."""
    if node is None or isinstance(node, URIRef):
        return _s(node)
    inverse = g.value(node, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"^<{inverse}>"
    if g.value(node, RDF.first) is not None:
        return "/".join(_path(g, step) or "" for step in g.items(node))
    return _s(node)


def parse_report(results: Graph, locate: dict[Node, str] | None = None) -> list[Result]:
    """Read the top-level results of a report (nested ``sh:detail`` results are part of their parent)."""
    out = []
    top = {r for report in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(report, SH.result)}
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if top and r not in top:
            continue
        focus = results.value(r, SH.focusNode)
        severity = results.value(r, SH.resultSeverity)
        out.append(Result(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=_s(focus) or "",
            path=_path(results, results.value(r, SH.resultPath)),
            value=_s(results.value(r, SH.value)),
            message="; ".join(sorted(str(m) for m in results.objects(r, SH.resultMessage))) or "constraint violated",
            shape=_s(results.value(r, SH.sourceShape)),
            component=_s(results.value(r, SH.sourceConstraintComponent)),
            source=(locate or {}).get(focus) if focus is not None else None,
        ))
    return sorted(out, key=_order)


def _order(r: Result) -> tuple[str, str, str, str]:
    return (r.source or "", r.focus, r.path or "", r.message)


def _run_shacl(g: Graph, base: str | None, shapes: Sequence[str] | None = None) -> Graph:
    """Run pySHACL on a graph built for this validation (validated in place: pySHACL may add to it, never needed)."""
    kwargs: dict[str, Any] = {"use_shapes": list(shapes)} if shapes else {}
    conforms, results, text = shacl_validate(g, shacl_graph=shapes_graph(base), inference="none", advanced=True,
                                             allow_warnings=True, inplace=True, **kwargs)
    if not isinstance(results, Graph):
        # pySHACL returns (not raises) a ValidationFailure when the shapes cannot be used; never read it as a report.
        raise ShapesError(f"the SHACL shapes are malformed: {text}")
    return results


def _report(results: Graph, found: list[Result]) -> Report:
    violations = [r for r in found if r.severity == "Violation"]
    return Report(conforms=not violations, results=found, graph=results)


def validate_graph(data: Graph, locate: dict[Node, str] | None = None, base: str | None = None) -> Report:
    """Validate a data graph (merged with the ontology, for class and scheme lookups) against the shapes."""
    g = Graph()
    for t in ontology_graph(base):
        g.add(t)
    for t in data:
        g.add(t)
    results = _run_shacl(g, base)
    return _report(results, parse_report(results, locate))


def validate_dataset(ds: Dataset, files: dict[URIRef, Path] | None = None, base: str | None = None) -> Report:
    """Validate every named graph of a dataset together, locating each result in its source file."""
    merged = Graph()
    for t in ontology_graph(base):
        merged.add(t)
    locate: dict[Node, str] = {}
    for g in ds.graphs():
        src = str((files or {}).get(URIRef(g.identifier), g.identifier))
        for s, p, o in g:
            merged.add((s, p, o))
            locate.setdefault(s, src)
    results = _run_shacl(merged, base)
    return _report(results, parse_report(results, locate))


def validate_files(paths: list[Path], base: str | None = None, with_kg: bool = True) -> Report:
    """Validate Turtle files (with the shipped data they refer to, unless ``with_kg`` is False)."""
    src = sources.load_sources(base=base, include_ontology=False) if with_kg else sources.Sources(Dataset())
    ds, files = src.dataset, dict(src.files)
    for p in paths:
        gi = sources.graph_iri_for(p, base)
        ds.remove_graph(ds.graph(gi))
        sources.parse_turtle(p, base, into=ds.graph(gi))
        files[gi] = p
    return validate_dataset(ds, files, base)


# -- partitioned validation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphSource:
    """One named graph to validate: its IRI, where results are located (a file or the graph IRI), and a reader.

    ``read()`` yields the graph's triples as rdflib terms; it may be called twice (once to index, once to
    validate), so it reads the file or store again rather than holding the triples.
    """

    iri: URIRef
    where: str
    read: Callable[[], Iterator[Triple]]


def _file_triples(path: Path, base: str | None) -> Iterator[Triple]:
    """A Turtle file's triples as rdflib terms, parsed by pyoxigraph (isomorphic to rdflib's parse, twice as fast)."""
    from kg import config
    from kg.store import to_rdflib

    base = base or config.base_iri()
    try:
        text = config.rebase(path.read_text(encoding="utf-8"), base)
        # Fresh blank-node identifiers per parse, as rdflib's parser gives: a file's blank nodes are its own.
        quads = list(ox.parse(text, ox.RdfFormat.TURTLE, base_iri=base))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as e:
        raise sources.SourceError(f"{path}: {e}") from e
    cache: dict[object, Node] = {}

    def term(t: object) -> Node:
        # IRIs and literals repeat within a file (predicates, classes, concepts): convert each once.
        n = cache.get(t)
        if n is None:
            n = cache[t] = to_rdflib(t)
        return n

    for q in quads:
        yield term(q.subject), term(q.predicate), term(q.object)


def file_sources(paths: Iterable[Path], base: str | None = None) -> list[GraphSource]:
    """A graph source per Turtle file, in the named graph the build puts it in."""
    def reader(path: Path) -> Callable[[], Iterator[Triple]]:
        return lambda: _file_triples(path, base)

    return [GraphSource(sources.graph_iri_for(p, base), str(p), reader(p)) for p in paths]


def dataset_sources(ds: Dataset, files: dict[URIRef, Path] | None = None) -> list[GraphSource]:
    """A graph source per graph of an rdflib Dataset (as :func:`kg.sources.load_sources` gives the sources)."""

    def reader(g: Graph) -> Callable[[], Iterator[Triple]]:
        return lambda: iter(g)

    return [GraphSource(URIRef(str(g.identifier)), str((files or {}).get(URIRef(str(g.identifier)), g.identifier)),
                        reader(g)) for g in ds.graphs() if len(g)]


def _store_triples(store: Store, iri: str) -> Iterator[Triple]:
    g = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", union=False)
    yield from g


def store_sources(store: Store) -> list[GraphSource]:
    """A graph source per named graph of a store (its ontology and data graphs; not its version graph).

    Each graph is read with its own CONSTRUCT query, so a blank node is taken as local to its graph, as the Turtle
    file the graph was loaded from made it.
    """
    from kg.store import meta_graph

    def reader(iri: str) -> Callable[[], Iterator[Triple]]:
        return lambda: _store_triples(store, iri)

    return [GraphSource(URIRef(g), g, reader(g)) for g in sorted(store.named_graphs()) if g != meta_graph()]


def is_study_graph(iri: str, base: str | None = None) -> bool:
    """A study's own graph (``graph/study/<key>``): the unit the partitioned validation distributes."""
    from kg import config

    return str(iri).startswith(f"{base or config.base_iri()}graph/study/")


def global_shapes(base: str | None = None) -> dict[URIRef, frozenset[URIRef]]:
    """Shapes the partitioned validation checks on the whole data set, with the predicates their evaluation reads.

    ``egsh:TableRowShape`` is the only one: its focus nodes are the literal row numbers (``sh:targetObjectsOf
    egov:tableRow``) and it counts, through the inverse path, every study in the data set that has that row.
    Two studies sharing a row are two different study graphs, which need not be in the same chunk.
    """
    from kg import config

    b = base or config.base_iri()
    return {URIRef(f"{b}shapes/TableRowShape"): frozenset({URIRef(f"{b}ontology/tableRow")})}


# Predicates that a SPARQL-based constraint follows backwards, from the object to the subject: the focus study's
# mentions (``?value egov:reportedIn $this``) and the fieldwork's study (``?study egov:usesMethod/egov:fieldwork
# $this``). Paths written with sh:inversePath are read from the shapes themselves (see inverse_predicates).
SPARQL_INVERSE_PREDICATES = ("reportedIn", "usesMethod", "fieldwork")


def inverse_predicates(base: str | None = None) -> frozenset[URIRef]:
    """Every predicate some shape follows from object to subject: ``sh:inversePath`` and the SPARQL constraints'."""
    from kg import config

    sg = shapes_graph(base)
    b = base or config.base_iri()
    return frozenset({p for p in sg.objects(None, SH.inversePath) if isinstance(p, URIRef)}
                     | {URIRef(f"{b}ontology/{name}") for name in SPARQL_INVERSE_PREDICATES})


def object_target_predicates(base: str | None = None) -> frozenset[URIRef]:
    """Every predicate whose objects some shape targets (``sh:targetObjectsOf``)."""
    return frozenset(p for p in shapes_graph(base).objects(None, SH.targetObjectsOf) if isinstance(p, URIRef))


def _target_predicates(base: str | None) -> frozenset[URIRef]:
    sg = shapes_graph(base)
    return frozenset(p for t in (SH.targetSubjectsOf, SH.targetObjectsOf) for p in sg.objects(None, t)
                     if isinstance(p, URIRef))


class _Components:
    """Union-find over graph indexes; index 0 is the shared context."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the context (0) stays the root of its component, so "joined the context" is find(i) == 0
            if rb == 0:
                ra, rb = rb, ra
            self.parent[rb] = ra


def _key(node: Node) -> int | None:
    """A compact key of an IRI or blank node (hash collisions only merge partitions, which stays exact)."""
    if isinstance(node, URIRef):
        return hash(str(node))
    if isinstance(node, BNode):
        return hash("_:" + str(node))
    return None


@dataclass
class Partition:
    """How the partitioned validation split the data: study-graph groups, and what the global shapes read."""

    context: list[GraphSource]  # shared: non-study graphs, and study graphs tied to them
    groups: list[list[GraphSource]]  # study graphs that must be validated together
    global_triples: list[Triple]  # what the global shapes read, from every study graph


def partition(graphs: Sequence[GraphSource], base: str | None = None) -> Partition:
    """Split graphs into the shared context and groups of study graphs that can be validated apart.

    One pass over every study graph's triples (which are not kept): two study graphs are grouped when one describes
    (has as subject) a node the other mentions at all, and a study graph joins the context when it describes a node
    of the context, mentions a node the context mentions but does not describe, or points at a node of the context
    with a predicate some shape follows backwards (:func:`inverse_predicates`) or targets the objects of
    (:func:`object_target_predicates`). Memory: one integer key per described node (about 3 kB per study).
    """
    gshapes = global_shapes(base)
    global_preds = frozenset().union(*gshapes.values())
    # a triple with one of these predicates reads its object backwards, or makes its object a focus node
    backwards = inverse_predicates(base) | object_target_predicates(base)
    ctx_graphs = [g for g in graphs if not is_study_graph(g.iri, base)]
    studies = [g for g in graphs if is_study_graph(g.iri, base)]
    ctx_subjects: set[int] = set()
    ctx_objects: set[int] = set()
    for t in ontology_graph(base):
        ctx_subjects.add(_key(t[0]))  # type: ignore[arg-type]
    for g in ctx_graphs:
        for s, _p, o in g.read():
            ctx_subjects.add(_key(s))  # type: ignore[arg-type]
            k = _key(o)
            if k is not None:
                ctx_objects.add(k)
    ctx_objects -= ctx_subjects
    uf = _Components(len(studies) + 1)
    owner: dict[int, int] = {}  # described node -> the first study graph (index from 1) that describes it
    mentions: list[tuple[int, set[int]]] = []  # per study graph, the nodes it mentions but does not describe
    global_triples: list[Triple] = []
    for i, g in enumerate(studies, start=1):
        subjects: set[int] = set()
        objects: set[int] = set()
        for s, p, o in g.read():
            ks, ko = _key(s), _key(o)
            subjects.add(ks)  # type: ignore[arg-type]
            if ko is not None:
                objects.add(ko)
                if p in backwards and ko in ctx_subjects:
                    uf.union(0, i)
            if p in global_preds:
                global_triples.append((s, p, o))
        for k in subjects:
            if k in ctx_subjects or k in ctx_objects:
                uf.union(0, i)
            j = owner.setdefault(k, i)
            if j != i:
                uf.union(j, i)
        foreign = objects - subjects - ctx_subjects
        if foreign:
            mentions.append((i, foreign))
    for i, foreign in mentions:
        for k in foreign:
            # a node no graph describes has no triple to read: mentioning it ties nothing together
            owned_by = owner.get(k)
            if owned_by is not None:
                uf.union(owned_by, i)
    groups: dict[int, list[GraphSource]] = {}
    context = list(ctx_graphs)
    for i, g in enumerate(studies, start=1):
        root = uf.find(i)
        if root == 0:
            context.append(g)
        else:
            groups.setdefault(root, []).append(g)
    return Partition(context, list(groups.values()), global_triples)


def _load(into: Graph, graphs: Iterable[GraphSource], locate: dict[Node, str]) -> None:
    for g in graphs:
        for t in g.read():
            into.add(t)
            locate.setdefault(t[0], g.where)


@dataclass
class _Run:
    """What every chunk of one partitioned validation shares (inherited, not pickled, by forked workers)."""

    context: Graph  # the ontology and the context graphs
    context_nodes: set[Node]  # the nodes the context describes
    context_focus: frozenset[str]  # ... as results name them
    backwards: frozenset[URIRef]  # predicates some shape follows from object to subject
    target_predicates: frozenset[URIRef]  # sh:targetSubjectsOf and sh:targetObjectsOf predicates
    chunks: list[list[GraphSource]]
    base: str | None
    skip_shapes: frozenset[str]


_run: _Run | None = None


def _projection(run: _Run, into: Graph, start: Iterable[Node]) -> None:
    """Add the context triples a chunk's focus nodes can read: from the context nodes the chunk mentions, every
    triple reached forwards, and backwards through the predicates some shape follows backwards, until closed."""
    ctx, nodes, backwards = run.context, run.context_nodes, run.backwards
    todo = [n for n in set(start) if n in nodes]
    seen = set(todo)
    while todo:
        n = todo.pop()
        for t in ctx.triples((n, None, None)):
            into.add(t)
            o = t[2]
            if o in nodes and o not in seen:
                seen.add(o)
                todo.append(o)
        for p in backwards:
            for t in ctx.triples((None, p, n)):
                into.add(t)
                if t[0] not in seen:
                    seen.add(t[0])
                    todo.append(t[0])


class _ChunkGraph(Graph):
    """The graph a chunk is validated in, whose target selection does not see the nodes of the context.

    A chunk holds, besides its study graphs, the ontology and the part of the context its nodes read (concepts,
    places, ...); those nodes are validated once, with the whole context, so choosing them as focus nodes again would
    only cost time (as much as the chunk's own nodes, at 100,000 studies). Targets are chosen by the patterns
    ``(?x rdf:type C)`` and ``(?x p ?y)`` for a target predicate ``p``; for those, triples about context nodes are
    left out. No constraint of the shapes reads those patterns with the subject unbound: ``sh:class`` asks for the
    types of a known node, paths start from a known node.
    """

    def __init__(self, hidden: set[Node], target_predicates: frozenset[URIRef]) -> None:
        super().__init__()
        self._hidden = hidden
        self._target_predicates = target_predicates

    def triples(self, triple):  # type: ignore[no-untyped-def,override]
        s, p, o = triple
        if s is None and isinstance(p, URIRef) and (
                (p == RDF.type and o is not None) or (o is None and p in self._target_predicates)):
            hidden = self._hidden
            return (t for t in super().triples(triple) if t[0] not in hidden)
        return super().triples(triple)


def _validate_chunk(index: int) -> tuple[Counter[Result], bytes]:
    assert _run is not None
    run = _run
    g = _ChunkGraph(run.context_nodes, run.target_predicates)
    for t in ontology_graph(run.base):
        g.add(t)
    locate: dict[Node, str] = {}
    _load(g, run.chunks[index], locate)
    _projection(run, g, (n for t in list(g.triples((None, None, None))) for n in (t[0], t[2])))
    results = _run_shacl(g, run.base)
    # a node of the context is validated once, with the whole context (validate_partitioned)
    found = [r for r in parse_report(results, locate)
             if r.shape not in run.skip_shapes and r.focus not in run.context_focus]
    return Counter(found), (results.serialize(format="nt", encoding="utf-8") if found else b"")


def validate_partitioned(graphs: Sequence[GraphSource], base: str | None = None, chunk_size: int = 500,
                         jobs: int = 1, progress: Callable[[int, int], None] | None = None) -> Report:
    """Validate named graphs a chunk of study graphs at a time, with the same results as the whole graph.

    The shared context (the ontology and every graph that is not a study graph) is loaded once and validated once, on
    its own. Each chunk of about ``chunk_size`` study graphs is then validated, in ``jobs`` worker processes,
    together with the ontology and the part of the context it can read (:func:`_projection`), and its results about
    its own nodes are kept. Memory is the context plus a chunk, time is linear in the number of studies.

    Why the results are those of the whole graph. A shape evaluated at a focus node reads the triples of the nodes it
    reaches from that node: forwards (the triples whose subject is a reached node) and, through ``sh:inversePath``
    and a few SPARQL constraints, backwards (the triples whose object is a reached node); its targets read the
    triples with the target predicate or class. :func:`partition` keeps in one chunk every study graph that
    describes a node with every study graph that mentions it, and moves into the context any study graph that
    describes a node of the context, is mentioned by the context, or points at a node of the context with a
    predicate that a shape follows backwards or targets the objects of. So a node of the context reads only the
    context (and is validated with all of it), and every triple a node of a chunk reads is in the chunk or in the
    part of the context reachable from the chunk, forwards and backwards through those predicates, which is what
    the chunk is validated with.

    The one exception is a shape whose focus node is a literal reached backwards from several studies:
    ``egsh:TableRowShape`` (no two studies share a row number). It is checked once on the whole data set, on the
    only triples it reads (every ``egov:tableRow`` triple, collected while partitioning), and left out of the chunks
    and the context; see :func:`global_shapes`.

    The report's ``results`` count each result once (a node no graph describes but two chunks target, such as a
    cited document described nowhere, gets the same results in both); its ``graph`` holds the results graphs of the
    context, the chunks and the global shapes together.
    """
    global _run
    part = partition(graphs, base)
    ctx = Graph()
    for t in ontology_graph(base):
        ctx.add(t)
    ctx_locate: dict[Node, str] = {}
    _load(ctx, part.context, ctx_locate)
    gshapes = global_shapes(base)
    skip = frozenset(str(s) for s in gshapes) | _property_shapes(gshapes, base)
    chunks: list[list[GraphSource]] = []
    for group in part.groups:
        if not chunks or (len(chunks[-1]) + len(group) > chunk_size and chunks[-1]):
            chunks.append([])
        chunks[-1].extend(group)
    ctx_nodes = set(ctx.subjects(unique=True))
    merged: Counter[Result] = Counter()
    report = Graph()
    # the context, once (validated in place: it is not changed, and the chunks read it afterwards)
    results = _run_shacl(ctx, base)
    merged.update(r for r in parse_report(results, ctx_locate) if r.shape not in skip)
    report += results
    _run = _Run(ctx, ctx_nodes, frozenset(_s(n) or "" for n in ctx_nodes),
                inverse_predicates(base) | object_target_predicates(base), _target_predicates(base), chunks, base, skip)
    pool = None
    try:
        outcomes: Iterable[tuple[Counter[Result], bytes]]
        if jobs > 1 and len(chunks) > 1:
            pool = multiprocessing.get_context("fork").Pool(min(jobs, len(chunks)))
            outcomes = pool.imap(_validate_chunk, range(len(chunks)))
        else:
            outcomes = (_validate_chunk(i) for i in range(len(chunks)))
        for done, (found, nt) in enumerate(outcomes, start=1):
            merged |= found  # a multiset union: a node two chunks target but neither describes counts once
            if nt:
                report.parse(data=nt, format="nt")
            if progress:
                progress(done, len(chunks))
    finally:
        _run = None
        if pool is not None:
            pool.close()
            pool.join()
    # the global shapes, on the triples they read
    g = Graph()
    for t in part.global_triples:
        g.add(t)
    if len(g):
        results = _run_shacl(g, base, shapes=sorted(skip))
        # a row number is a literal, described in no file: like the whole graph's, its results name no file
        merged.update(r for r in parse_report(results) if r.shape in skip)
        report += results
    return _report(report, sorted(merged.elements(), key=_order))


def _property_shapes(shapes: Iterable[URIRef], base: str | None) -> frozenset[str]:
    sg = shapes_graph(base)
    return frozenset(str(p) for s in shapes for p in sg.objects(s, SH.property))


def validate_data_dir(data_dir: Path | None = None, base: str | None = None, with_kg: bool = True,
                      chunk_size: int = 500, jobs: int = 1,
                      progress: Callable[[int, int], None] | None = None) -> Report:
    """Validate a data directory laid out like ``kg/data``, partitioned: with the shipped KG unless ``with_kg`` is
    False, a file of the directory standing in for the shipped file of the same graph (as :func:`validate_files`)."""
    paths: list[Path] = []
    if with_kg:
        paths += sources.data_files()
    if data_dir is not None and not (with_kg and Path(data_dir).resolve() == _shipped_dir()):
        paths += sources.data_files(data_dir)
    by_graph = {s.iri: s for s in file_sources(paths, base)}  # later files replace earlier ones of the same graph
    return validate_partitioned(list(by_graph.values()), base, chunk_size, jobs, progress)


def _shipped_dir() -> Path:
    from kg import config

    return Path(config.DATA_DIR).resolve()


def validate_store(store: Store, base: str | None = None, chunk_size: int = 500, jobs: int = 1,
                   progress: Callable[[int, int], None] | None = None) -> Report:
    """Validate a store's named graphs (ontology and data), partitioned: a chunk of study graphs at a time."""
    return validate_partitioned(store_sources(store), base, chunk_size, jobs, progress)

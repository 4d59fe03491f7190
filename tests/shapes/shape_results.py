"""Helpers for the shape tests: read SHACL results back as comparable keys, and edit a dataset reversibly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import RDF, SH, Dataset, Graph, URIRef
from rdflib.term import Node

from kg.namespaces import SHAPES


class Inverse(NamedTuple):
    """An inverse property path (``sh:inversePath``), as read back from a results graph."""

    prop: URIRef


class Key(NamedTuple):
    """What a test asserts about one validation result: focus node, path, constraint component and source shape."""

    focus: Node
    path: URIRef | Inverse | tuple | None
    component: URIRef
    shape: URIRef

    def __str__(self) -> str:
        return f"focus={self.focus} path={self.path} component={_local(self.component)} shape={_local(self.shape)}"


def _local(iri: Node) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def path_key(g: Graph, node: Node | None) -> URIRef | Inverse | tuple | None:
    """A hashable form of a SHACL property path: an IRI, an Inverse, or a tuple for a sequence path."""
    if node is None or isinstance(node, URIRef):
        return node
    inverse = g.value(node, SH.inversePath)
    if inverse is not None:
        return Inverse(inverse)
    if g.value(node, RDF.first) is not None:
        return tuple(path_key(g, item) for item in g.items(node))
    raise AssertionError(f"unexpected path node {node!r} in the results graph")


def result_keys(results: Graph) -> set[Key]:
    """Every top-level sh:ValidationResult of a results graph as a Key (nested sh:detail results are left out)."""
    keys = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in results:
            continue
        keys.add(Key(results.value(r, SH.focusNode), path_key(results, results.value(r, SH.resultPath)),
                     results.value(r, SH.sourceConstraintComponent), results.value(r, SH.sourceShape)))
    return keys


def key(focus: Node, path: URIRef | Inverse | tuple | None, component: str, shape: str) -> Key:
    """An expected result: ``component`` is the short name ("MinCount"), ``shape`` the local name in egsh:."""
    return Key(focus, path, SH[f"{component}ConstraintComponent"], SHAPES[shape])


def _graph_iri(c: Graph | URIRef) -> URIRef:
    """Dataset.quads yields the graph's IRI (rdflib 7) or the graph itself (older releases)."""
    return c.identifier if isinstance(c, Graph) else c


def describe(keys: Iterable[Key]) -> str:
    """One result per line, sorted, for assertion messages."""
    return "\n".join(sorted(f"  {k}" for k in keys)) or "  (none)"


@dataclass
class Editor:
    """Reversible edits of a Dataset's named graphs: every add and remove is logged so ``undo`` restores the data."""

    ds: Dataset
    log: list[tuple[str, URIRef, tuple[Node, Node, Node]]] = field(default_factory=list)

    def graph(self, iri: URIRef) -> Graph:
        """The named graph ``iri`` (which must already exist: mutations edit the shipped files' graphs)."""
        assert any(g.identifier == iri for g in self.ds.graphs()), f"no named graph {iri}"
        return self.ds.graph(iri)

    def graph_of(self, subject: Node) -> URIRef:
        """The named graph that describes ``subject`` (the file where its rdf:type is stated)."""
        found = {_graph_iri(c) for _, _, _, c in self.ds.quads((subject, RDF.type, None, None))}
        assert len(found) == 1, f"{subject} is typed in {len(found)} graphs: {found}"
        return next(iter(found))

    def subjects(self, p: Node, o: Node) -> set[Node]:
        """Subjects of ``p o`` in any named graph."""
        return {s for s, _, _, _ in self.ds.quads((None, p, o, None))}

    def add(self, s: Node, p: Node, o: Node, graph: URIRef | None = None) -> None:
        """Add a triple to ``graph`` (default: the graph that describes ``s``)."""
        gi = graph or self.graph_of(s)
        g = self.graph(gi)
        if (s, p, o) not in g:
            g.add((s, p, o))
            self.log.append(("add", gi, (s, p, o)))

    def remove(self, s: Node | None, p: Node | None, o: Node | None) -> int:
        """Remove every triple matching the pattern from every graph; return how many were removed."""
        n = 0
        for qs, qp, qo, c in list(self.ds.quads((s, p, o, None))):
            gi = _graph_iri(c)
            self.ds.graph(gi).remove((qs, qp, qo))
            self.log.append(("remove", gi, (qs, qp, qo)))
            n += 1
        return n

    def set(self, s: Node, p: Node, o: Node) -> None:
        """Replace every value of ``p`` on ``s`` by ``o`` (in the graph that held the old value)."""
        graphs = {_graph_iri(c) for _, _, _, c in self.ds.quads((s, p, None, None))}
        assert len(graphs) == 1, f"{s} {p} is stated in {len(graphs)} graphs"
        self.remove(s, p, None)
        self.add(s, p, o, graph=graphs.pop())

    def undo(self) -> None:
        """Revert every logged edit, newest first."""
        for op, gi, t in reversed(self.log):
            g = self.ds.graph(gi)
            if op == "add":
                g.remove(t)
            else:
                g.add(t)
        self.log.clear()


__all__ = ["Editor", "Inverse", "Key", "describe", "key", "path_key", "result_keys"]

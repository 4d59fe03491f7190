"""Validate data against the SHACL shapes with pySHACL and report each result with where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg import sources


class ShapesError(sources.SourceError):
    """The SHACL shapes themselves are malformed, so pySHACL could not validate anything."""


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


_shapes_cache: dict[str, Graph] = {}
_ontology_cache: dict[str, Graph] = {}


def shapes_graph(base: str | None = None) -> Graph:
    """The SHACL shapes (all files in ``shapes/``), parsed once per base."""
    from kg import config

    key = base or config.base_iri()
    if key not in _shapes_cache:
        _shapes_cache[key] = sources.load_graph(sources.shapes_files(), key)
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
            path=_s(results.value(r, SH.resultPath)),
            value=_s(results.value(r, SH.value)),
            message="; ".join(sorted(str(m) for m in results.objects(r, SH.resultMessage))) or "constraint violated",
            shape=_s(results.value(r, SH.sourceShape)),
            component=_s(results.value(r, SH.sourceConstraintComponent)),
            source=(locate or {}).get(focus) if focus is not None else None,
        ))
    return sorted(out, key=lambda x: (x.source or "", x.focus, x.path or "", x.message))


def validate_graph(data: Graph, locate: dict[Node, str] | None = None, base: str | None = None) -> Report:
    """Validate a data graph (merged with the ontology, for class and scheme lookups) against the shapes."""
    g = Graph()
    for t in ontology_graph(base):
        g.add(t)
    for t in data:
        g.add(t)
    conforms, results, text = shacl_validate(g, shacl_graph=shapes_graph(base), inference="none",
                                             advanced=True, allow_warnings=True)
    if not isinstance(results, Graph):
        # pySHACL returns (not raises) a ValidationFailure when the shapes cannot be used; never read it as a report.
        raise ShapesError(f"the SHACL shapes are malformed: {text}")
    found = parse_report(results, locate)
    violations = [r for r in found if r.severity == "Violation"]
    return Report(conforms=bool(conforms) and not violations, results=found, graph=results)


def validate_dataset(ds: Dataset, files: dict[URIRef, Path] | None = None, base: str | None = None) -> Report:
    """Validate every named graph of a dataset together, locating each result in its source file."""
    merged = Graph()
    locate: dict[Node, str] = {}
    for g in ds.graphs():
        src = str((files or {}).get(g.identifier, g.identifier))
        for s, p, o in g:
            merged.add((s, p, o))
            locate.setdefault(s, src)
    return validate_graph(merged, locate, base)


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

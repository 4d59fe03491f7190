"""Read the source files (ontology, data) into an rdflib Dataset, one named graph per file."""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from kg import config
from kg.namespaces import BASE


class SourceError(ValueError):
    """A source file could not be parsed; the message names the file and line."""


@dataclass
class Sources:
    """The parsed sources: the dataset and, for each named graph, the file it came from."""

    dataset: Dataset
    files: dict[URIRef, Path] = field(default_factory=dict)


def graph_iri_for(path: Path, base: str | None = None) -> URIRef:
    """The named graph a data file goes into: ``graph/study/<key>`` for studies, ``graph/<stem>`` otherwise."""
    base = base or config.base_iri()
    if path.parent.name == "studies":
        return URIRef(f"{base}graph/study/{path.stem}")
    return URIRef(f"{base}graph/{path.stem}")


def ontology_files() -> list[Path]:
    """The ontology's Turtle files: the aggregator and its modules."""
    return [config.ONTOLOGY_DIR / "egovkg.ttl", *sorted((config.ONTOLOGY_DIR / "modules").glob("*.ttl"))]


def shapes_files() -> list[Path]:
    """The SHACL shapes files."""
    return sorted(config.SHAPES_DIR.glob("*.ttl"))


def data_files(data_dir: Path | None = None) -> list[Path]:
    """The curated data files: places, concepts and one file per study."""
    d = data_dir or config.DATA_DIR
    return sorted(d.glob("*.ttl")) + sorted((d / "studies").glob("*.ttl"))


def parse_turtle(path: Path, base: str | None = None, into: Graph | None = None) -> Graph:
    """Parse one Turtle file after rebasing its IRIs; raise SourceError naming the file and line on bad syntax."""
    g = into if into is not None else Graph()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(f"{path}: cannot read: {e}") from e
    try:
        g.parse(data=config.rebase(text, base), format="turtle", publicID=(base or config.base_iri()))
    except Exception as e:  # rdflib raises several parser exception types; all mean bad input
        raise SourceError(f"{path}: {e}") from e
    return g


def load_graph(paths: list[Path], base: str | None = None) -> Graph:
    """Parse several Turtle files into one graph."""
    g = Graph()
    for p in paths:
        parse_turtle(p, base, into=g)
    return g


def load_sources(data_dir: Path | None = None, base: str | None = None, include_ontology: bool = True) -> Sources:
    """Parse the ontology and data files into a Dataset with one named graph per file."""
    base = base or config.base_iri()
    ds = Dataset()
    files: dict[URIRef, Path] = {}
    if include_ontology:
        og = URIRef(f"{base}graph/ontology")
        g = ds.graph(og)
        for p in ontology_files():
            parse_turtle(p, base, into=g)
        files[og] = config.ONTOLOGY_DIR
    for p in data_files(data_dir):
        gi = graph_iri_for(p, base)
        parse_turtle(p, base, into=ds.graph(gi))
        files[gi] = p
    return Sources(ds, files)


__all__ = ["BASE", "SourceError", "Sources", "graph_iri_for", "load_sources", "load_graph", "parse_turtle"]

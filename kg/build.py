"""Build the knowledge graph: load ontology and data, validate against the shapes, fill a store, write dumps."""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from kg import config, sources, void
from kg.build_info import DUMP_FILES
from kg.store import Store, dataset_hash, open_store
from kg.validate import Report, validate_dataset

_RDFLIB = {"turtle": ("turtle", False), "ntriples": ("nt", False), "jsonld": ("json-ld", True),
           "trig": ("trig", True), "nquads": ("nquads", True)}
FORMATS = {fmt: (DUMP_FILES[fmt][0], *_RDFLIB[fmt]) for fmt in DUMP_FILES}
"""format -> (file name, rdflib format, whether it keeps the named graphs)."""


class BuildError(RuntimeError):
    """The sources do not conform to the shapes; carries the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.text())
        self.report = report


@dataclass
class Built:
    """A built knowledge graph: the dataset (ontology + data + description) and its validation report."""

    dataset: Dataset
    report: Report
    version: str


def build_dataset(data_dir: Path | None = None, base: str | None = None, validate: bool = True) -> Built:
    """Parse and validate the sources; add the dataset description. Raise BuildError when they do not conform."""
    src = sources.load_sources(data_dir, base)
    report = validate_dataset(src.dataset, src.files, base) if validate else Report(True, [], Graph())
    if not report.conforms:
        raise BuildError(report)
    version = dataset_hash(src.dataset)
    return Built(src.dataset, report, version)


def load_store(store: Store, built: Built | None = None) -> Store:
    """Fill a store with the built KG (replacing what it held) and its description graph."""
    built = built or build_dataset()
    store.load_dataset(built.dataset, built.version)
    return store


def ensure_store(spec: str) -> Store:
    """Open a store; if it holds no knowledge graph yet, build the shipped one into it (first start)."""
    store = open_store(spec)
    if store.version() == "empty":
        load_store(store)
    return store


def dataset_of(store: Store) -> Dataset:
    """The store's content as an rdflib Dataset (for serialization)."""
    ds = Dataset()
    ds.parse(data=store.dump("nquads"), format="nquads")
    return ds


def _lexical_label(serializer: TurtleSerializer, node: Node, position: int) -> str:
    """A node's Turtle label, writing a literal in shorthand only when the shorthand is its own lexical form.

    rdflib prints ``"33"^^xsd:decimal`` as ``33.0``, a different RDF term, so a dump would not be isomorphic to the KG.
    """
    if isinstance(node, Literal):
        plain = node._literal_n3(use_plain=True)
        if node.datatype is not None and plain != str(node) and not plain.startswith('"'):
            return node._literal_n3(qname_callback=lambda dt: serializer.get_pname(dt, False))
    return TurtleSerializer.label(serializer, node, position)


class _LexicalTurtleSerializer(TurtleSerializer):
    label = _lexical_label


class _LexicalTrigSerializer(TrigSerializer):
    label = _lexical_label


_WRITERS: dict[str, type[TurtleSerializer]] = {"turtle": _LexicalTurtleSerializer, "trig": _LexicalTrigSerializer}


def _write(graph: Graph, rdf_format: str, fmt: str) -> bytes:
    if fmt not in _WRITERS:
        data = graph.serialize(format=rdf_format)
        return data.encode("utf-8") if isinstance(data, str) else data
    buf = io.BytesIO()
    _WRITERS[fmt](graph).serialize(buf, encoding="utf-8")
    return buf.getvalue()


def serialize(ds: Dataset, fmt: str) -> bytes:
    """Serialize a dataset in one of FORMATS; triple formats get the union of all graphs."""
    _, rdf_format, quads = FORMATS[fmt]
    if quads:
        return _write(ds, rdf_format, fmt)
    union = Graph()
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return _write(union, rdf_format, fmt)


def write_dumps(store: Store, out_dir: Path, formats: list[str] | None = None, gz: bool = False) -> list[Path]:
    """Write the store's content in each format (and a SHA-256 checksum file) to ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ds = dataset_of(store)
    from kg.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, config.rebase(ns))
    written = []
    sums = []
    for fmt in formats or list(FORMATS):
        name = FORMATS[fmt][0]
        data = serialize(ds, fmt)
        path = out_dir / name
        if gz:
            path = out_dir / (name + ".gz")
            data = gzip.compress(data, mtime=0)
        path.write_bytes(data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {path.name}")
        written.append(path)
    (out_dir / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    return written


def build(
    out_dir: Path | None = None, data_dir: Path | None = None, store_spec: str = "memory:"
) -> tuple[Built, Store, list[Path]]:
    """The whole build: validate, load into a store, write the dumps and the VoID/DCAT description."""
    built = build_dataset(data_dir)
    store = load_store(open_store(store_spec), built)
    out = out_dir or config.DIST_DIR
    paths = write_dumps(store, out)
    void_path = out / "void.ttl"
    data = void.description(store).serialize(format="turtle").encode("utf-8")
    void_path.write_bytes(data)
    with (out / "SHA256SUMS").open("a") as sums:
        sums.write(f"{hashlib.sha256(data).hexdigest()}  {void_path.name}\n")
    return built, store, [*paths, void_path]


__all__ = ["BuildError", "Built", "FORMATS", "build", "build_dataset", "ensure_store", "load_store",
           "serialize", "write_dumps"]

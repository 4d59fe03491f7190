"""Researchers add their own studies: read a study file (Turtle), a CSV coding sheet or a REFI-QDA codebook into
one study graph, with every problem located in the input. :mod:`kg.write` validates and commits it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from kg import config
from kg.ingest import csvsheet, qdc, turtle
from kg.ingest.draft import FIELD_OF, Loc, to_graph
from kg.ingest.problems import Collector, IngestError, Problem
from kg.ingest.text import DEFAULT_MAX_BYTES, check_size, decode
from kg.ingest.vocab import norm
from kg.store import Store, to_ox

QUERIES_DIR = Path(__file__).parent / "queries"
NODES_MARKER = "# NODES"
FORMATS = {".ttl": "turtle", ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".qdc": "qdc", ".xml": "qdc"}
MEDIA_TYPES = {"text/turtle": "turtle", "application/x-turtle": "turtle", "text/csv": "csv",
               "text/tab-separated-values": "csv", "application/xml": "qdc", "text/xml": "qdc",
               "application/x-refi-qda-codebook": "qdc"}


@lru_cache(maxsize=32)
def _query_text(name: str, base: str) -> str:
    return config.rebase((QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8"), base)


def query(name: str, nodes: list[URIRef] | None = None) -> str:
    """The text of ``kg/ingest/queries/<name>.rq``, rebased, with its VALUES block filled with ``nodes``."""
    text = _query_text(name, config.base_iri())
    if nodes is not None:
        text = text.replace(NODES_MARKER, "\n".join(str(to_ox(n)) for n in nodes))
    return text


@dataclass
class Parsed:
    """One input read as one study: its key, graph, and where each node came from in the file."""

    key: str
    graph: Graph
    file: str
    fmt: str
    sha256: str
    size: int
    locs: dict[URIRef, Loc] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def where(self, node: Any, prop: str | None = None) -> tuple[int | None, str | None]:
        """The line and field (column) of a node, and of one of its properties if known."""
        loc = self.locs.get(node) if isinstance(node, URIRef) else None
        if loc is None:
            return None, None
        fld = loc.field
        if prop is not None and self.fmt != "turtle":
            name = FIELD_OF.get(prop)
            fld = f"{loc.field}: {name}" if loc.field and name else (name or loc.field)
        return loc.line, fld


def places(store: Store | None) -> dict[str, URIRef]:
    """Every name (normalized) of every known country and region, to resolve a header's country."""
    if store is None:
        return {}
    out: dict[str, URIRef] = {}
    for r in store.select(query("places")):
        out.setdefault(norm(str(r["name"])), URIRef(r["place"]))
        out.setdefault(norm(r["place"].rsplit("/", 1)[-1]), URIRef(r["place"]))
    return out


def detect_format(filename: str, media_type: str | None = None, data: bytes = b"") -> str | None:
    """The input form from the file name, else the media type, else a look at the content."""
    ext = Path(filename).suffix.lower()
    if ext in FORMATS:
        return FORMATS[ext]
    if media_type:
        mt = media_type.split(";")[0].strip().lower()
        if mt in MEDIA_TYPES:
            return MEDIA_TYPES[mt]
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return "qdc"
    if head.startswith((b"@prefix", b"PREFIX", b"#")):
        return "turtle"
    return None


def read_input(data: bytes, filename: str, *, store: Store | None = None, who: str = "anonymous",
               fmt: str | None = None, media_type: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Parsed:
    """Read one input as a study graph; raise IngestError with every located problem."""
    out = Collector(filename)
    if not check_size(data, out, max_bytes):
        out.raise_if_any()
    detected = fmt or detect_format(filename, media_type, data)
    if detected is None:
        out.add(None, "file name", f"cannot tell the form of {filename!r}",
                "a .ttl study file, a .csv coding sheet or a .qdc codebook")
        out.raise_if_any()
    fmt = str(detected)
    sha = hashlib.sha256(data).hexdigest()
    notes: list[str] = []
    if fmt == "qdc":
        book = qdc.parse(data, out)
        out.raise_if_any()
        assert book is not None
        if not qdc.is_study(book):
            out.add(None, "Codes", "this codebook is a factor scheme (no 'Study' code, no dimension codes), not a "
                    "study", "a study codebook: a 'Study' code with the header and dimension codes with factors")
            out.raise_if_any()
        draft = qdc.read_study(book, out, places(store))
    else:
        text = decode(data, out)
        out.raise_if_any()
        assert text is not None
        if fmt == "turtle":
            res = turtle.read(text, out)
            out.raise_if_any()
            assert res is not None
            key, g, locs = res
            return Parsed(key, g, filename, fmt, sha, len(data), locs)
        draft = csvsheet.read(text, out, places(store))
    out.raise_if_any()
    assert draft is not None
    g, locs = to_graph(draft, who)
    notes += draft.notes
    if draft.header.country_label:
        notes.append(f"country {draft.header.country_label!r} is new to the KG: it is described with the study")
    return Parsed(draft.header.key, g, filename, fmt, sha, len(data), locs, notes)


__all__ = ["DEFAULT_MAX_BYTES", "IngestError", "Parsed", "Problem", "detect_format", "places", "query", "read_input"]

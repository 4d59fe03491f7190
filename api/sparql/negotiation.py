"""HTTP content negotiation: ``Accept`` with q-values, and the ``format=`` parameter as an alternative."""

from __future__ import annotations

from dataclasses import dataclass

RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
TRIG = "application/trig"
NQUADS = "application/n-quads"
HTML = "text/html"

RESULT_TYPES = [RESULTS_JSON, RESULTS_XML, CSV, TSV]
"""Media types of SELECT and ASK results, in the server's order of preference."""
GRAPH_TYPES = [TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS]
"""Media types of CONSTRUCT and DESCRIBE results (TriG and N-Quads put the triples in the default graph)."""
RDF_TYPES = [TURTLE, JSONLD, NTRIPLES, RDFXML]
"""Media types of a resource description or of any other single graph the server publishes."""

ALIASES: dict[str, str] = {
    "json": RESULTS_JSON, "srj": RESULTS_JSON, "xml": RESULTS_XML, "srx": RESULTS_XML, "csv": CSV, "tsv": TSV,
    "turtle": TURTLE, "ttl": TURTLE, "ntriples": NTRIPLES, "nt": NTRIPLES, "n-triples": NTRIPLES,
    "jsonld": JSONLD, "json-ld": JSONLD, "rdfxml": RDFXML, "rdf": RDFXML, "rdf+xml": RDFXML, "owl": RDFXML,
    "trig": TRIG, "nquads": NQUADS, "nq": NQUADS, "n-quads": NQUADS, "html": HTML,
    "n3": TURTLE,  # Turtle is a subset of N3, so a client asking for N3 (as SPARQLWrapper does) can read it
}
"""Short names a client may give as ``format=``; a full media type is accepted too."""

EQUIVALENT: dict[str, str] = {
    "application/json": RESULTS_JSON, "application/xml": RESULTS_XML, "text/xml": RESULTS_XML,
    "application/x-turtle": TURTLE, "text/plain": NTRIPLES, "application/json+ld": JSONLD,
    "application/xhtml+xml": HTML, "text/n3": TURTLE, "text/rdf+n3": TURTLE, "application/n3": TURTLE,
    "application/turtle": TURTLE, "application/x-json+ld": JSONLD,
}
"""Media types that old clients send for one of ours (``application/xml`` for SPARQL XML, as SPARQLWrapper does)."""


@dataclass(frozen=True)
class Range:
    """One media range of an ``Accept`` header."""

    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media: str) -> int:
        """How specifically this range matches ``media``: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 not at all."""
        t, _, s = media.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


def parse_accept(header: str | None) -> list[Range]:
    """Parse an ``Accept`` header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, 0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        media = EQUIVALENT.get(media, media)
        if media == "*":
            media = "*/*"
        t, _, s = media.partition("/")
        q = 1.0
        for f in fields[1:]:
            k, _, v = f.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(v)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(t, s or "*", q, i))
    return ranges


def quality(ranges: list[Range], media: str) -> float:
    """The q-value the client gives ``media``: that of the most specific matching range (0 when none matches)."""
    best = (-1, 0.0)
    for r in ranges:
        m = r.matches(media)
        if m > best[0]:
            best = (m, r.q)
    return best[1] if best[0] >= 0 else 0.0


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers (ties go to the server's order), or None when it accepts none of them."""
    ranges = parse_accept(accept)
    scored = [(quality(ranges, o), -i, o) for i, o in enumerate(offers)]
    q, _, media = max(scored)
    return media if q > 0 else None


def from_format(value: str) -> str | None:
    """The media type a ``format=`` value names (a short name or a media type), or None when unknown.

    Several values may be given, comma-separated (SPARQLWrapper repeats ``format`` with a list of media types):
    the first one known wins.
    """
    for part in value.split(","):
        v = part.strip().lower()
        if v in ALIASES:
            return ALIASES[v]
        v = EQUIVALENT.get(v, v)
        if v in RESULT_TYPES or v in GRAPH_TYPES or v == HTML:
            return v
    return None


def choose(accept: str | None, fmt: str | None, offers: list[str]) -> str | None:
    """Pick the response type from ``format=`` (when given, it wins) or else from ``Accept``."""
    if fmt:
        media = from_format(fmt)
        # ``format=xml`` on a graph query means RDF/XML, on a result set SPARQL XML.
        if media == RESULTS_XML and RESULTS_XML not in offers and RDFXML in offers:
            media = RDFXML
        if media == RESULTS_JSON and RESULTS_JSON not in offers and JSONLD in offers and fmt.lower().startswith("json"):
            media = JSONLD
        return media if media in offers else None
    return negotiate(accept, offers)

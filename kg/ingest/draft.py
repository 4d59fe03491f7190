"""The study a coding sheet or a codebook describes, before it is RDF: a header and factor mentions, each with the
place in the input it came from. :func:`read_header` and :func:`read_mention` check the values and collect every
problem; :func:`to_graph` writes the study in the same shape as the curated study files of ``kg/data``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg import config
from kg.ingest.problems import Collector
from kg.ingest.vocab import Vocabularies, norm, slug, vocabularies
from kg.namespaces import AGENT, BASE, BIBO, CONCEPT, EGOV, ID, MENTION, PLACE, STUDY

EVIDENCE = Namespace(str(ID) + "evidence/")
INTERPRETATION = Namespace(str(ID) + "interpretation/")
METHOD = Namespace(str(ID) + "method/")
COLLECTION = Namespace(str(ID) + "collection/")

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
YEAR_RE = re.compile(r"^\d{4}$")
EVIDENCE_KINDS = ("interview", "passage")

HEADER_FIELDS = {
    # field: (required, aliases)
    "key": (True, ("study", "study key", "id")),
    "title": (True, ()),
    "citation": (True, ("reference", "bibliographic citation")),
    "year": (True, ("published", "issued")),
    "country": (True, ()),
    "focus": (True, ("research focus",)),
    "purpose": (True, ("purposes",)),
    "method": (True, ("methods", "method kind")),
    "authors": (False, ("author",)),
    "label": (False, ("short label", "short citation")),
    "venue": (False, ("journal",)),
    "doi": (False, ()),
    "region": (False, ()),
    "method section": (True, ("methods section", "method page")),
    "country code": (False, ("iso code", "country iso code")),
    "place justification": (False, ("country justification",)),
}
MENTION_FIELDS = {
    "study": (True, ("study key", "key")),
    "label": (True, ("label as written", "factor", "issue", "code")),
    "dimension": (True, ()),
    "role": (True, ()),
    "concept": (False, ("concept if known", "factor concept")),
    "quote": (False, ("evidence", "evidence quote")),
    "section": (False, ("section or page", "page")),
    "speaker": (False, ()),
    "kind": (False, ("evidence kind",)),
    "cell": (False, ("table cell", "original cell")),
    "description": (False, ()),
    "justification": (False, ()),
}
FIELD_OF = {
    # the input field a property of the graph comes from, to locate validation results
    str(EGOV.dimension): "dimension", str(EGOV.role): "role", str(EGOV.concept): "concept",
    str(EGOV.labelAsWritten): "label", str(RDFS.label): "label", str(EGOV.section): "section",
    str(EGOV.quote): "quote", str(EGOV.speaker): "speaker", str(EGOV.evidenceKind): "kind",
    str(EGOV.tableCell): "cell", str(DCTERMS.description): "description", str(EGOV.justification): "justification",
    str(DCTERMS.title): "title", str(DCTERMS.bibliographicCitation): "citation", str(DCTERMS.issued): "year",
    str(EGOV.country): "country", str(EGOV.region): "region", str(EGOV.researchFocus): "focus",
    str(EGOV.purpose): "purpose", str(EGOV.usesMethod): "method", str(EGOV.authors): "authors",
    str(EGOV.venue): "venue", str(BIBO.doi): "doi", str(EGOV.tableLabel): "label",
}


def canonical_field(name: str, fields: dict[str, tuple[bool, tuple[str, ...]]]) -> str | None:
    """The field a column heading or header name stands for, or None."""
    n = norm(name)
    for f, (_, aliases) in fields.items():
        if n == f or n in (norm(a) for a in aliases):
            return f
    return None


@dataclass
class Loc:
    """Where a value came from: line (row) and field (column)."""

    line: int | None
    field: str | None = None


@dataclass
class Header:
    """The study header, checked."""

    key: str
    values: dict[str, str]
    locs: dict[str, Loc]
    country: URIRef | None = None
    country_label: str | None = None
    region: URIRef | None = None
    focus: list[URIRef] = field(default_factory=list)
    purpose: list[URIRef] = field(default_factory=list)
    method: list[URIRef] = field(default_factory=list)


@dataclass
class Mention:
    """One factor mention, checked."""

    label: str
    dimension: URIRef
    role: URIRef
    loc: Loc
    concept: str | None = None
    quote: str | None = None
    section: str | None = None
    speaker: str | None = None
    kind: str | None = None
    cell: str | None = None
    description: str | None = None
    justification: str | None = None
    members_of: list[str] = field(default_factory=list)  # codebook sets the code belongs to


@dataclass
class Draft:
    """A study read from a sheet or codebook: header, mentions, and named sets of mentions."""

    header: Header
    mentions: list[Mention]
    sets: dict[str, Loc] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]


def read_header(values: dict[str, tuple[str, Loc]], out: Collector, places: dict[str, URIRef],
                voc: Vocabularies | None = None) -> Header | None:
    """Check a study header (field -> (value, location)); record each problem; None if the key is unusable."""
    voc = voc or vocabularies()
    first = min((loc.line for _, loc in values.values() if loc.line is not None), default=None)
    for f, (required, _) in HEADER_FIELDS.items():
        if required and not values.get(f, ("", None))[0].strip():
            out.add(values[f][1].line if f in values else first, f, f"the study header has no {f}",
                    _HEADER_HELP[f])
    vals = {f: v.strip() for f, (v, _) in values.items()}
    locs = {f: loc for f, (_, loc) in values.items()}
    key = vals.get("key", "")
    if key and not KEY_RE.match(key):
        out.add(locs["key"].line, "key", f"study key {key!r} is not a key",
                "lower-case letters and digits joined by hyphens, e.g. 'doe-2024'")
    year = vals.get("year", "")
    if year and not YEAR_RE.match(year):
        out.add(locs["year"].line, "year", f"year {year!r} is not a year", "four digits, e.g. 2024")
    elif year and not 1990 <= int(year) <= 2100:
        out.add(locs["year"].line, "year", f"year {year} is out of range", "a year from 1990 to 2100")
    doi = vals.get("doi", "")
    if doi and not DOI_RE.match(doi):
        out.add(locs["doi"].line, "doi", f"DOI {doi!r} is malformed", "a DOI such as 10.1016/j.giq.2013.06.002")
    h = Header(key=key, values=vals, locs=locs)
    for f, vocab, target in (("focus", voc.focus, h.focus), ("purpose", voc.purpose, h.purpose),
                             ("method", voc.method, h.method)):
        for v in _split(vals.get(f, "")):
            term = vocab.resolve(v)
            if term is None:
                out.add(locs[f].line, f, f"unknown {vocab.name} {v!r}", vocab.expected())
            elif term not in target:
                target.append(term)
    country = vals.get("country", "")
    if country:
        known = places.get(norm(country)) or places.get(norm(country.rsplit("/", 1)[-1]))
        if known is not None:
            h.country = known
        elif slug(country):
            h.country = URIRef(str(PLACE) + slug(country))
            h.country_label = country
            code = vals.get("country code", "")
            if not re.match(r"^[A-Z]{2}$", code):
                out.add(locs.get("country code", locs["country"]).line, "country code",
                        f"country {country!r} is new to the KG and needs its ISO code" if not code
                        else f"country code {code!r} is not an ISO 3166-1 code",
                        "a two-letter upper-case ISO 3166-1 code, e.g. DE (or an existing country: "
                        + ", ".join(sorted({str(v).rsplit('/', 1)[-1] for v in places.values()})) + ")")
        else:
            out.add(locs["country"].line, "country", f"country {country!r} has no letters", "a country name")
    region = vals.get("region", "")
    if region:
        h.region = places.get(norm(region))
        if h.region is None:
            out.add(locs["region"].line, "region", f"unknown region {region!r}",
                    "an existing region key or label, e.g. western")
    return h if key and KEY_RE.match(key) else None


_HEADER_HELP = {
    "key": "a study key such as 'doe-2024'",
    "title": "the study's title",
    "citation": "the full bibliographic citation",
    "year": "the year of publication",
    "country": "the country whose government the study examines",
    "focus": "a research focus, e.g. social-media-in-general or microblogging",
    "purpose": "one or more purposes separated by ';', e.g. transparency; public-participation",
    "method": "one or more method kinds separated by ';', e.g. semi-structured-interview",
    "method section": "the section or page where the study describes its method, e.g. 3",
}


def read_mention(values: dict[str, str], loc: Loc, out: Collector, voc: Vocabularies | None = None,
                 field_name: dict[str, str] | None = None) -> Mention | None:
    """Check one mention's values; record each problem (``field_name`` maps field -> the column as shown)."""
    voc = voc or vocabularies()
    col = field_name or {}
    v = {k: (x or "").strip() for k, x in values.items()}
    ok = True
    for f in ("label", "dimension", "role"):
        if not v.get(f):
            out.add(loc.line, col.get(f, f), f"the {f} is empty", _MENTION_HELP[f])
            ok = False
    dim = voc.dimension.resolve(v["dimension"]) if v.get("dimension") else None
    if v.get("dimension") and dim is None:
        out.add(loc.line, col.get("dimension", "dimension"), f"unknown dimension {v['dimension']!r}",
                voc.dimension.expected())
        ok = False
    role = voc.role.resolve(v["role"]) if v.get("role") else None
    if v.get("role") and role is None:
        out.add(loc.line, col.get("role", "role"), f"unknown role {v['role']!r}", voc.role.expected())
        ok = False
    if v.get("quote") and not v.get("section"):
        out.add(loc.line, col.get("section", "section"), "the quote has no section",
                "the section or page of the quote, e.g. 4.2.1 or p. 12")
        ok = False
    kind = v.get("kind", "").lower()
    if kind and kind not in EVIDENCE_KINDS:
        out.add(loc.line, col.get("kind", "kind"), f"unknown evidence kind {v['kind']!r}",
                " or ".join(EVIDENCE_KINDS))
        ok = False
    if kind and not v.get("quote"):
        out.add(loc.line, col.get("quote", "quote"), "an evidence kind is given but no quote", "the quote")
        ok = False
    concept = v.get("concept", "")
    if concept and not (KEY_RE.match(concept) or concept.startswith(str(CONCEPT))):
        out.add(loc.line, col.get("concept", "concept"), f"concept {concept!r} is not a concept key",
                "the key of a factor concept, e.g. digital-divide, or leave it empty for suggestions")
        ok = False
    if len(v.get("label", "")) > 300:
        out.add(loc.line, col.get("label", "label"), "the label is longer than 300 characters",
                "a factor label as the study writes it")
        ok = False
    if not ok or dim is None or role is None:
        return None
    return Mention(label=v["label"], dimension=dim, role=role, loc=loc, concept=concept or None,
                   quote=v.get("quote") or None, section=v.get("section") or None, speaker=v.get("speaker") or None,
                   kind=kind or None, cell=v.get("cell") or None, description=v.get("description") or None,
                   justification=v.get("justification") or None)


_MENTION_HELP = {
    "label": "the factor's label as the study writes it",
    "dimension": "a dimension, e.g. information",
    "role": "a role: external driver, external challenge, internal strength, internal weakness or issue",
}


def agent_iri(who: str) -> URIRef:
    """The PROV agent for a person or client name."""
    return AGENT[slug(who) or "anonymous"]


def concept_iri(value: str) -> URIRef:
    """A concept key or IRI as the concept's IRI."""
    return URIRef(value) if value.startswith(str(CONCEPT)) else CONCEPT[value]


def short_label(h: Header) -> str:
    """The study's short citation: the given label, or the first author's surname and the year."""
    if h.values.get("label"):
        return h.values["label"]
    authors = h.values.get("authors") or re.split(r"\(\d{4}\)", h.values.get("citation", ""), maxsplit=1)[0]
    surnames = re.findall(r"([^\W\d][\w'\-]*(?: [^\W\d][\w'\-]*)*), (?:[^\W\d]\.[ -]?)+", authors)
    if not surnames:
        surnames = [re.split(r"[,(]", authors, maxsplit=1)[0].strip() or h.key]
    names = surnames[0] if len(surnames) == 1 else " & ".join(surnames) if len(surnames) == 2 \
        else f"{surnames[0]} et al."
    return f"{names} ({h.values.get('year', '')})"


def to_graph(d: Draft, who: str) -> tuple[Graph, dict[URIRef, Loc]]:
    """The study as RDF, shaped like the curated study files; and where each node came from."""
    voc = vocabularies()
    g = Graph()
    h = d.header
    s = STUDY[h.key]
    locs: dict[URIRef, Loc] = {s: h.locs.get("key", Loc(None))}
    label = short_label(h)
    g.add((s, RDF.type, EGOV.Study))
    g.add((s, RDFS.label, Literal(label, lang="en")))
    g.add((s, EGOV.tableLabel, Literal(label)))
    g.add((s, DCTERMS.title, Literal(h.values["title"], lang="en")))
    g.add((s, DCTERMS.issued, Literal(h.values["year"], datatype=XSD.gYear)))
    g.add((s, DCTERMS.bibliographicCitation, Literal(h.values["citation"])))
    authors = h.values.get("authors") or re.split(r"\(\d{4}\)", h.values["citation"], maxsplit=1)[0].strip()
    g.add((s, EGOV.authors, Literal(authors.rstrip(". "))))
    for f, p in (("venue", EGOV.venue), ("doi", BIBO.doi)):
        if h.values.get(f):
            g.add((s, p, Literal(h.values[f])))
    for o in h.focus:
        g.add((s, EGOV.researchFocus, o))
    for o in h.purpose:
        g.add((s, EGOV.purpose, o))
    if h.country is not None:
        g.add((s, EGOV.country, h.country))
        if h.country_label:  # a country the KG does not know yet: described here, with the study
            g.add((h.country, RDF.type, EGOV.Country))
            g.add((h.country, RDFS.label, Literal(h.country_label, lang="en")))
            g.add((h.country, SKOS.definition, Literal(f"A country that is {h.country_label}.", lang="en")))
            g.add((h.country, SKOS.notation, Literal(h.values.get("country code", ""))))
            locs[h.country] = h.locs["country"]
    if h.region is not None:
        g.add((s, EGOV.region, h.region))
    agent = agent_iri(who)
    place_i = INTERPRETATION[f"{h.key}.place"]
    g.add((s, EGOV.interpretation, place_i))
    g.add((place_i, RDF.type, EGOV.Interpretation))
    for p in (EGOV.country, EGOV.region) if h.region is not None else (EGOV.country,):
        g.add((place_i, EGOV.interpretedProperty, p))
    g.add((place_i, EGOV.justification, Literal(
        h.values.get("place justification") or f"The study's coder gives its country as {h.values['country']}.",
        lang="en")))
    g.add((place_i, PROV.wasAttributedTo, agent))
    locs[place_i] = h.locs["country"]
    for kind in h.method:
        mi = METHOD[f"{h.key}.{kind.rsplit('/', 1)[-1]}"]
        g.add((s, EGOV.usesMethod, mi))
        g.add((mi, RDF.type, EGOV.Method))
        g.add((mi, RDFS.label, Literal(voc.method.labels[kind], lang="en")))
        g.add((mi, EGOV.methodKind, kind))
        g.add((mi, EGOV.section, Literal(h.values["method section"])))
        locs[mi] = h.locs["method"]
    agent_used = True
    seen: dict[str, int] = {}
    positions: dict[tuple[URIRef, URIRef], int] = {}
    mention_iri: dict[int, URIRef] = {}
    for i, m in enumerate(d.mentions):
        base = slug(m.label)[:80].strip("-") or "factor"
        seen[base] = seen.get(base, 0) + 1
        local = base if seen[base] == 1 else f"{base}-{seen[base]}"
        mi = MENTION[f"{h.key}.{local}"]
        mention_iri[i] = mi
        locs[mi] = m.loc
        pos = positions[(m.dimension, m.role)] = positions.get((m.dimension, m.role), 0) + 1
        g.add((s, EGOV.reportsFactor, mi))
        g.add((mi, RDF.type, EGOV.FactorMention))
        g.add((mi, RDFS.label, Literal(m.label, lang="en")))
        g.add((mi, EGOV.labelAsWritten, Literal(m.label)))
        g.add((mi, EGOV.reportedIn, s))
        g.add((mi, EGOV.dimension, m.dimension))
        g.add((mi, EGOV.role, m.role))
        pol = voc.polarity_of.get(m.role)
        if pol is not None:
            g.add((mi, EGOV.polarity, pol))
        # A role with polarity is a factor of the study's own Table 2 form (`egovkg tables table2 --study KEY`); an
        # issue is reported without polarity, as in a Table 1 cell.
        g.add((mi, EGOV.table, Literal("Table 2" if pol is not None else "Table 1")))
        g.add((mi, EGOV.positionInCell, Literal(pos)))
        if m.cell or pol is None:  # a Table 1 issue keeps its cell's text; a cell of one issue is the issue
            g.add((mi, EGOV.tableCell, Literal(m.cell or m.label)))
        if m.section:
            g.add((mi, EGOV.section, Literal(m.section)))
        if m.description:
            g.add((mi, DCTERMS.description, Literal(m.description, lang="en")))
        if m.quote:
            ev = EVIDENCE[f"{h.key}.{local}"]
            locs[ev] = m.loc
            g.add((mi, EGOV.evidence, ev))
            g.add((ev, RDF.type, EGOV.Evidence))
            g.add((ev, EGOV.evidenceKind, Literal(m.kind or ("interview" if m.speaker else "passage"))))
            g.add((ev, EGOV.section, Literal(m.section or "")))
            g.add((ev, EGOV.quote, Literal(m.quote, lang="en")))
            if m.speaker:
                g.add((ev, EGOV.speaker, Literal(m.speaker)))
            g.add((ev, PROV.wasDerivedFrom, s))
        if m.concept:
            add_alignment(g, mi, concept_iri(m.concept), m.justification or "Aligned by the study's coder.", agent)
            agent_used = True
    for name, loc in d.sets.items():
        ci = COLLECTION[f"{h.key}.{slug(name) or 'set'}"]
        locs[ci] = loc
        g.add((ci, RDF.type, SKOS.Collection))
        g.add((ci, SKOS.prefLabel, Literal(name, lang="en")))
        g.add((ci, PROV.wasDerivedFrom, s))
        for i, m in enumerate(d.mentions):
            if name in m.members_of:
                g.add((ci, SKOS.member, mention_iri[i]))
    if agent_used:
        describe_agent(g, agent, who)
    return rebase_graph(g), {rebase_term(k): v for k, v in locs.items()}


def add_alignment(g: Graph, mention: URIRef, concept: URIRef, justification: str, agent: URIRef) -> None:
    """Align a mention to a concept, recorded as an interpretation attributed to ``agent``."""
    ii = INTERPRETATION[str(mention).rsplit("/", 1)[-1]]
    g.add((mention, EGOV.concept, concept))
    g.add((mention, EGOV.interpretation, ii))
    g.add((ii, RDF.type, EGOV.Interpretation))
    g.add((ii, EGOV.interpretedProperty, EGOV.concept))
    g.add((ii, EGOV.justification, Literal(justification, lang="en")))
    g.add((ii, PROV.wasAttributedTo, agent))


def describe_agent(g: Graph, agent: URIRef, who: str) -> None:
    """Describe the PROV agent (not the curators', who are described with the concept scheme)."""
    if agent != AGENT.curators:
        g.add((agent, RDF.type, PROV.Agent))
        g.add((agent, RDFS.label, Literal(who)))


def rebase_term(t: URIRef) -> URIRef:
    """A canonical IRI under the configured base."""
    base = config.base_iri()
    return URIRef(base + str(t)[len(BASE):]) if base != BASE and str(t).startswith(BASE) else t


def rebase_graph(g: Graph) -> Graph:
    """The graph with every canonical IRI moved under the configured base (no-op for the canonical base)."""
    if config.base_iri() == BASE:
        return g
    out = Graph()
    for t in g:
        out.add(tuple(rebase_term(x) if isinstance(x, URIRef) else x for x in t))  # type: ignore[arg-type]
    return out

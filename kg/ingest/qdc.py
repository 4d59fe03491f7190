"""REFI-QDA codebooks (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``): import and export.

A *study codebook* has a top-level code named ``Study`` whose description holds the study header as
``field: value`` lines, and top-level codes named after the dimensions; under a dimension, codes named after a
role hold that role's factor codes (factor codes directly under a dimension are issues without polarity). Each
factor code is a factor mention; ``field: value`` lines in its description give concept, quote, section, speaker,
kind, cell and justification, the other lines its description. Sets become SKOS collections of the mentions.

Any other codebook is a *scheme codebook*: codes become factor concepts, code nesting becomes ``skos:broader``,
sets become collections. :func:`export` writes the factor scheme that way, with GUIDs derived from the IRIs
(:func:`guid`), so that a tool's export of it re-imports onto the same concepts.

Tools differ: a byte-order mark, ATLAS.ti's ``schemaLocation`` naming another namespace, flat dotted names
(``Information.Internal weakness.Lack of funds``) instead of nesting, and empty ``<Sets/>`` are all accepted.
XML is parsed without DTDs, entities or external references (defusedxml).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.ingest.draft import (
    COLLECTION,
    HEADER_FIELDS,
    MENTION_FIELDS,
    Draft,
    Loc,
    Mention,
    canonical_field,
    read_header,
    read_mention,
    rebase_graph,
)
from kg.ingest.problems import Collector
from kg.ingest.vocab import Vocabularies, norm, slug, vocabularies
from kg.namespaces import CONCEPT, EGOV, SCHEME

NS = "urn:QDA-XML:codebook:1.0"
GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
_KV_RE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*:\s*(.*)$")
MAX_CODES = 20_000
MAX_DEPTH = 32


def guid(iri: str) -> str:
    """The stable GUID of a node: a name-based UUID (version 5) of its IRI, upper-case as the tools write them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri)).upper()


@dataclass
class Code:
    """A code of the codebook, with the line it starts on."""

    name: str
    guid: str | None
    description: str
    line: int | None
    children: list[Code] = field(default_factory=list)


@dataclass
class CodeBook:
    """A parsed codebook: the code tree and the sets (name, line, member GUIDs)."""

    codes: list[Code]
    sets: list[tuple[str, int | None, list[str], str]]


class _Builder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        el = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(el)] = self.parser.parser.CurrentLineNumber
        return el


def _tag(el: ET.Element) -> tuple[str, str]:
    t = el.tag
    if t.startswith("{"):
        ns, _, local = t[1:].partition("}")
        return ns, local
    return "", t


def parse(data: bytes, out: Collector) -> CodeBook | None:
    """Parse codebook XML safely, recording every problem with its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as e:
        out.add(None, "DOCTYPE", f"refused: {type(e).__name__} ({e})", "a codebook without a DTD, entities or "
                "external references")
        return None
    except ET.ParseError as e:
        line, col = e.position
        out.add(line, f"column {col + 1}", f"not well-formed XML: {e}", "a REFI-QDA codebook")
        return None
    lines = builder.lines
    ns, local = _tag(root)
    if local != "CodeBook" or ns != NS:
        out.add(lines.get(id(root)), "CodeBook", f"the root element is {{{ns}}}{local}" if ns else
                f"the root element is {local}", f"<CodeBook xmlns=\"{NS}\">")
        return None
    # ATLAS.ti writes a schemaLocation naming the project namespace; it does not change what the file holds.
    codes_el = [c for c in root if _tag(c) == (NS, "Codes")]
    if len(codes_el) != 1:
        out.add(lines.get(id(root)), "Codes", f"the codebook has {len(codes_el)} <Codes> elements", "exactly one")
        return None
    guids: dict[str, int | None] = {}
    count = [0]

    def code(el: ET.Element, depth: int = 1) -> Code | None:
        line = lines.get(id(el))
        count[0] += 1
        if depth > MAX_DEPTH:
            out.add(line, "Code", f"codes are nested deeper than {MAX_DEPTH} levels", f"at most {MAX_DEPTH} levels")
            return None
        name = (el.get("name") or "").strip()
        g = (el.get("guid") or "").strip()
        ok = True
        if not name:
            out.add(line, "name", "a code has no name", "a non-empty name attribute")
            ok = False
        if not g:
            out.add(line, "guid", f"code {name!r} has no guid", "a guid attribute")
            ok = False
        elif not GUID_RE.match(g):
            out.add(line, "guid", f"code {name!r} has a malformed guid {g!r}",
                    "a GUID such as 3F2504E0-4F89-41D3-9A0C-0305E82C3301")
            ok = False
        elif g.strip("{}").upper() in guids:
            out.add(line, "guid", f"guid {g} of code {name!r} is used twice (first on line "
                    f"{guids[g.strip('{}').upper()]})", "a unique guid per code")
            ok = False
        else:
            guids[g.strip("{}").upper()] = line
        desc = ""
        kids = []
        for child in el:
            cns, cl = _tag(child)
            if cns != NS:
                continue
            if cl == "Description":
                desc = (child.text or "").strip()
            elif cl == "Code":
                k = code(child, depth + 1)
                if k is not None:
                    kids.append(k)
            else:
                out.add(lines.get(id(child)), cl, f"unexpected element <{cl}> in a code", "Description or Code")
        return Code(name, g.strip("{}").upper(), desc, line, kids) if ok else None

    codes = [c for c in (code(el) for el in codes_el[0] if _tag(el) == (NS, "Code")) if c is not None]
    if count[0] > MAX_CODES:
        out.add(None, "Codes", f"the codebook has {count[0]} codes", f"at most {MAX_CODES}")
    sets: list[tuple[str, int | None, list[str], str]] = []
    for sets_el in (c for c in root if _tag(c) == (NS, "Sets")):
        for s in sets_el:
            if _tag(s) != (NS, "Set"):
                continue
            set_line = lines.get(id(s))
            name = (s.get("name") or "").strip()
            if not name:
                out.add(set_line, "name", "a set has no name", "a non-empty name attribute")
            members = []
            desc = ""
            for m in s:
                if _tag(m) == (NS, "MemberCode"):
                    t = (m.get("targetGUID") or "").strip("{} ").upper()
                    if t not in guids:
                        out.add(lines.get(id(m)), "targetGUID", f"set {name!r} names code {t or '(none)'}, which the "
                                "codebook does not have", "the guid of a code of this codebook")
                    members.append(t)
                elif _tag(m) == (NS, "Description"):
                    desc = (m.text or "").strip()
            sets.append((name, set_line, members, desc))
    return CodeBook(codes, sets)


def _kv(description: str, fields: dict) -> tuple[dict[str, str], str]:
    """Split a description into ``field: value`` lines (known fields only) and the remaining text."""
    values: dict[str, str] = {}
    rest = []
    for ln in description.splitlines():
        m = _KV_RE.match(ln)
        f = canonical_field(m.group(1), fields) if m else None
        if m and f and f not in values:
            values[f] = m.group(2).strip()
        else:
            rest.append(ln)
    return values, "\n".join(rest).strip()


def _unflatten(codes: list[Code], voc: Vocabularies) -> list[Code]:
    """Nest flat dotted names (``Dimension.Role.Factor``, ``Dimension.Factor``), as tools without nesting write them."""
    out: list[Code] = []
    by_name: dict[str, Code] = {}
    for c in codes:
        by_name.setdefault(norm(c.name), c)
    for c in codes:
        parts = c.name.split(".")
        if len(parts) > 1 and voc.dimension.resolve(parts[0]) is not None:
            dim = by_name.get(norm(parts[0]))
            if dim is None:
                dim = by_name[norm(parts[0])] = Code(parts[0], None, "", c.line)
                out.append(dim)
            rest = ".".join(parts[1:])
            head = rest.split(".", 1)
            parent: Code = dim
            if len(head) > 1 and voc.role.resolve(head[0]) is not None:
                role = next((k for k in dim.children if norm(k.name) == norm(head[0])), None)
                if role is None:
                    role = Code(head[0], None, "", c.line)
                    dim.children.append(role)
                parent = role
                rest = head[1]
            parent.children.append(Code(rest, c.guid, c.description, c.line, c.children))
        elif c not in out:
            out.append(c)
    return out


def is_study(book: CodeBook) -> bool:
    """Whether a codebook describes a study (a ``Study`` code or dimension codes) rather than a factor scheme."""
    voc = vocabularies()
    return any(norm(c.name) == "study" or voc.dimension.resolve(c.name.split(".")[0]) is not None for c in book.codes)


def read_study(book: CodeBook, out: Collector, places: dict) -> Draft | None:
    """Read a study codebook into a Draft, recording every problem."""
    voc = vocabularies()
    codes = _unflatten(book.codes, voc)
    study = [c for c in codes if norm(c.name) == "study"]
    if len(study) != 1:
        out.add(None, "Study", f"the codebook has {len(study)} codes named 'Study'",
                "one top-level code 'Study' whose description holds the header as 'field: value' lines")
        return None
    values, _ = _kv(study[0].description, HEADER_FIELDS)
    header = {f: (v, Loc(study[0].line, f"Study/{f}")) for f, v in values.items()}
    h = read_header(header, out, places)
    mentions: list[Mention] = []
    by_guid: dict[str, int] = {}
    notes: list[str] = []

    def factor(c: Code, dim_name: str, role_name: str, trail: str) -> None:
        kv, text = _kv(c.description, MENTION_FIELDS)
        vals = {"label": c.name, "dimension": dim_name, "role": kv.get("role", role_name), **kv}
        vals.setdefault("description", text)
        if text and "description" in kv:
            vals["description"] = kv["description"] + "\n" + text
        m = read_mention(vals, Loc(c.line, f"{trail}/{c.name}"), out,
                         field_name={f: f"{trail}/{c.name}: {f}" for f in MENTION_FIELDS})
        if m is not None:
            if c.guid:
                by_guid[c.guid] = len(mentions)
            mentions.append(m)
        for k in c.children:  # codes under a factor: sub-factors, kept as mentions of the same cell
            notes.append(f"code {k.name!r} (line {k.line}) under factor {c.name!r} is read as its own mention")
            factor(k, dim_name, role_name, f"{trail}/{c.name}")

    for c in codes:
        if c is study[0]:
            continue
        if voc.dimension.resolve(c.name) is None:
            out.add(c.line, c.name, f"top-level code {c.name!r} is neither 'Study' nor a dimension",
                    voc.dimension.expected())
            continue
        for k in c.children:
            if voc.role.resolve(k.name) is not None:
                for f in k.children:
                    factor(f, c.name, k.name, f"{c.name}/{k.name}")
            else:
                factor(k, c.name, "issue", c.name)
    sets: dict[str, Loc] = {}
    for name, line, members, _ in book.sets:
        sets[name] = Loc(line, f"Set/{name}")
        for t in members:
            if t in by_guid:
                mentions[by_guid[t]].members_of.append(name)
    if not mentions and not out.problems:
        out.add(None, "Codes", "the codebook has no factor codes", "factor codes under dimension codes")
    if h is None or out.problems:
        return None
    return Draft(h, mentions, sets, notes)


def read_scheme(book: CodeBook, known: dict[str, URIRef], out: Collector) -> Graph | None:
    """Read a scheme codebook as factor concepts; codes whose GUID is that of a known concept keep its IRI."""
    g = Graph()
    scheme = SCHEME.factors
    iri_of: dict[str, URIRef] = {}
    name_of: dict[str, URIRef] = {}
    pending: list[tuple[URIRef, str, str, int | None]] = []

    def walk(c: Code, parent: URIRef | None) -> None:
        iri = known.get(c.guid or "") or CONCEPT[slug(c.name) or "concept"]
        if c.guid:
            iri_of[c.guid] = iri
        name_of.setdefault(norm(c.name), iri)
        g.add((iri, RDF.type, EGOV.FactorConcept))
        g.add((iri, SKOS.inScheme, scheme))
        g.add((iri, SKOS.prefLabel, Literal(c.name, lang="en")))
        definition = []
        for ln in c.description.splitlines():
            m = _KV_RE.match(ln)
            key = norm(m.group(1)) if m else ""
            if key in ("altlabel", "alt label", "also called"):
                g.add((iri, SKOS.altLabel, Literal(m.group(2).strip(), lang="en")))  # type: ignore[union-attr]
            elif key in ("broader", "related"):
                pending.append((iri, key, m.group(2).strip(), c.line))  # type: ignore[union-attr]
            else:
                definition.append(ln)
        if "\n".join(definition).strip():
            g.add((iri, SKOS.definition, Literal("\n".join(definition).strip(), lang="en")))
        if parent is None:
            g.add((iri, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, iri))
        else:
            g.add((iri, SKOS.broader, parent))
        for k in c.children:
            walk(k, iri)

    for c in _unflatten_scheme(book.codes):
        walk(c, None)
    for iri, kind, name, line in pending:
        target = name_of.get(norm(name))
        if target is None:
            out.add(line, kind, f"{kind} names {name!r}, which is not a code of this codebook", "a code name")
        else:
            g.add((iri, SKOS.broader if kind == "broader" else SKOS.related, target))
    for name, _line, members, desc in book.sets:
        ci = COLLECTION[f"factors.{slug(name) or 'set'}"]
        g.add((ci, RDF.type, SKOS.Collection))
        g.add((ci, SKOS.prefLabel, Literal(name, lang="en")))
        if desc:
            g.add((ci, SKOS.definition, Literal(desc, lang="en")))
        for t in members:
            if t in iri_of:
                g.add((ci, SKOS.member, iri_of[t]))
    return None if out.problems else rebase_graph(g)


def _unflatten_scheme(codes: list[Code]) -> list[Code]:
    """Nest flat dotted names in a scheme codebook: every dot is a level."""
    roots: list[Code] = []
    index: dict[tuple[str, ...], Code] = {}
    for c in codes:
        parts = tuple(p.strip() for p in c.name.split(".")) if 0 < c.name.count(".") < MAX_DEPTH else (c.name,)
        for depth in range(1, len(parts) + 1):
            path = parts[:depth]
            if path in index:
                continue
            node = Code(parts[depth - 1], c.guid if depth == len(parts) else None,
                        c.description if depth == len(parts) else "", c.line,
                        c.children if depth == len(parts) else [])
            index[path] = node
            (index[path[:-1]].children if depth > 1 else roots).append(node)
    return roots


def export(concepts: list[dict], collections: list[dict] | None = None, origin: str = "egovkg") -> bytes:
    """A codebook of the factor scheme: one code per concept nested under its first broader concept.

    ``concepts``: dicts with iri, label, definition, alt (list), broader (list of IRIs), related (list of IRIs).
    Further broader concepts and related concepts are written as ``broader:``/``related:`` description lines.
    """
    by_iri = {c["iri"]: c for c in concepts}
    children: dict[str | None, list[dict]] = {}
    for c in sorted(concepts, key=lambda c: c["label"].lower()):
        parents = sorted(b for b in c.get("broader", []) if b in by_iri)
        children.setdefault(parents[0] if parents else None, []).append(c)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<CodeBook xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{NS} Codebook.xsd" origin={quoteattr(origin)}>', "  <Codes>"]

    def write(c: dict, depth: int) -> None:
        pad = "  " * depth
        lines = [c.get("definition") or ""]
        lines += [f"altLabel: {a}" for a in sorted(c.get("alt", []))]
        parents = sorted(b for b in c.get("broader", []) if b in by_iri)
        lines += [f"broader: {by_iri[b]['label']}" for b in parents[1:]]
        lines += [f"related: {by_iri[r]['label']}" for r in sorted(c.get("related", [])) if r in by_iri]
        desc = "\n".join(x for x in lines if x)
        kids = children.get(c["iri"], [])
        out.append(f'{pad}<Code guid="{guid(c["iri"])}" name={quoteattr(c["label"])} isCodable="true">')
        if desc:
            out.append(f"{pad}  <Description>{escape(desc)}</Description>")
        for k in kids:
            write(k, depth + 1)
        out.append(f"{pad}</Code>")

    for c in children.get(None, []):
        write(c, 2)
    out.append("  </Codes>")
    if collections:
        out.append("  <Sets>")
        for s in collections:
            out.append(f'    <Set guid="{guid(s["iri"])}" name={quoteattr(s["label"])}>')
            for m in sorted(s.get("members", [])):
                out.append(f'      <MemberCode targetGUID="{guid(m)}"/>')
            out.append("    </Set>")
        out.append("  </Sets>")
    out.append("</CodeBook>")
    return ("\n".join(out) + "\n").encode("utf-8")

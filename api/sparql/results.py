"""Serialize query results capped at a number of rows, in every format the endpoint offers.

pyoxigraph serializes whole result sets only; to cap them (and say so) the endpoint reads at most ``cap + 1``
solutions and writes the SPARQL 1.1 result formats itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from api.sparql import negotiation as n

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SRX_NS = "http://www.w3.org/2005/sparql-results#"

_RDF_FORMATS = {n.TURTLE: ox.RdfFormat.TURTLE, n.NTRIPLES: ox.RdfFormat.N_TRIPLES, n.JSONLD: ox.RdfFormat.JSON_LD,
                n.RDFXML: ox.RdfFormat.RDF_XML, n.TRIG: ox.RdfFormat.TRIG, n.NQUADS: ox.RdfFormat.N_QUADS}


def take(items: Iterable, cap: int) -> tuple[list, bool]:
    """The first ``cap`` items, and whether there were more."""
    out: list = []
    it: Iterator = iter(items)
    for item in it:
        if len(out) == cap:
            return out, True
        out.append(item)
    return out, False


def _json_term(t: object) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject),  # type: ignore[dict-item]
                                            "predicate": _json_term(t.predicate), "object": _json_term(t.object)}}
    raise TypeError(f"unsupported term {t!r}")


def _xml_term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
                f"<object>{_xml_term(t.object)}</object></triple>")
    raise TypeError(f"unsupported term {t!r}")


def _csv_value(t: object) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value
    return str(t)


def select_to_bytes(variables: list[str], rows: list[ox.QuerySolution], media: str) -> bytes:
    """Write a (capped) SELECT result in one of the SPARQL 1.1 result formats."""
    if media == n.RESULTS_JSON:
        bindings = [{v: _json_term(row[v]) for v in variables if row[v] is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if media == n.RESULTS_XML:
        out = io.StringIO()
        out.write(f'<?xml version="1.0"?>\n<sparql xmlns="{SRX_NS}">\n<head>')
        out.write("".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.write("</head>\n<results>\n")
        for row in rows:
            out.write("<result>")
            for v in variables:
                if row[v] is not None:
                    out.write(f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>")
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode("utf-8")
    if media == n.CSV:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_value(row[v]) for v in variables])
        return out.getvalue().encode("utf-8")
    if media == n.TSV:
        # TSV cells are terms in Turtle/N-Triples syntax, which pyoxigraph's str() gives.
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if row[v] is None else str(row[v]) for v in variables) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"not a result format: {media}")


def boolean_to_bytes(value: bool, media: str) -> bytes:
    """Write an ASK result."""
    word = "true" if value else "false"
    if media == n.RESULTS_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media == n.RESULTS_XML:
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{SRX_NS}">\n<head/>\n'
                f"<boolean>{word}</boolean>\n</sparql>\n").encode()
    if media == n.CSV:
        return f"_askResult\r\n{word}\r\n".encode()
    if media == n.TSV:
        return f"?_askResult\n{word}\n".encode()
    raise ValueError(f"not a result format: {media}")


def graph_to_bytes(triples: list[ox.Triple], media: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Write a (capped) CONSTRUCT or DESCRIBE result; TriG and N-Quads hold it as the default graph."""
    fmt = _RDF_FORMATS[media]
    items: list = triples
    if media in (n.TRIG, n.NQUADS):
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    if prefixes and media in (n.TURTLE, n.TRIG, n.RDFXML, n.JSONLD):
        return cast(bytes, ox.serialize(items, format=fmt, prefixes=prefixes))  # bytes when given no output
    return cast(bytes, ox.serialize(items, format=fmt))

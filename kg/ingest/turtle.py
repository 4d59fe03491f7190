"""Read a study file: Turtle in the same human-editable form as ``kg/data/studies/<key>.ttl``."""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg import config
from kg.ingest.draft import KEY_RE, Loc
from kg.ingest.problems import Collector
from kg.namespaces import EGOV

_LINE_RE = re.compile(r"line (\d+)")


def read(text: str, out: Collector) -> tuple[str, Graph, dict[URIRef, Loc]] | None:
    """Parse a study file; return its study key, graph, and the line each subject is described on."""
    g = Graph()
    try:
        g.parse(data=config.rebase(text), format="turtle", publicID=config.base_iri())
    except Exception as e:  # rdflib raises several parser exception types; all mean bad input
        msg = str(e).strip().splitlines()
        m = _LINE_RE.search(str(e))
        out.add(int(m.group(1)) if m else None, None, f"not valid Turtle: {msg[-1] if msg else e}",
                "Turtle as in kg/data/studies/*.ttl")
        return None
    studies = sorted(s for s in g.subjects(RDF.type, EGOV.Study) if isinstance(s, URIRef))
    locs = _locate(text, g)
    if len(studies) != 1:
        found = ", ".join(str(s) for s in studies) or "none"
        out.add(locs[studies[1]].line if len(studies) > 1 and studies[1] in locs else None, "rdf:type",
                f"a study file describes exactly one egov:Study; found {found}", "one node typed egov:Study")
        return None
    study = studies[0]
    prefix = config.base_iri() + "id/study/"
    key = str(study)[len(prefix):] if str(study).startswith(prefix) else ""
    if not KEY_RE.match(key):
        out.add(locs.get(study, Loc(None)).line, "subject", f"the study IRI {study} is not study:<key>",
                f"an IRI {prefix}<key> with a lower-case hyphenated key")
        return None
    return key, g, locs


def _locate(text: str, g: Graph) -> dict[URIRef, Loc]:
    """The line on which each subject's description starts (its first appearance at the start of a line)."""
    names: dict[str, URIRef] = {}
    ns = [(p, str(n)) for p, n in g.namespaces()]
    for s in set(g.subjects()):
        if not isinstance(s, URIRef):
            continue
        names[f"<{s}>"] = s
        for p, n in ns:
            if str(s).startswith(n) and p:
                names[f"{p}:{str(s)[len(n):]}"] = s
    locs: dict[URIRef, Loc] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        head = line.split(None, 1)[0] if line.strip() else ""
        found = names.get(head)
        if found is not None and found not in locs:
            locs[found] = Loc(i, None)
    return locs

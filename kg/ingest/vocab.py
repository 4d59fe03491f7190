"""The controlled vocabularies an input may name (dimensions, roles, foci, purposes, method kinds), read from the
ontology, each resolvable by key, preferred label, alternative label or table heading, case-insensitively."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.namespaces import EGOV


def norm(text: str) -> str:
    """Lower-case, accents and punctuation folded to single spaces: the form names are compared in."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def slug(text: str) -> str:
    """A key as the data conventions write them: lower-case ASCII words joined by hyphens."""
    return norm(text).replace(" ", "-")


@dataclass
class Vocabulary:
    """One controlled vocabulary: its members and every name they answer to."""

    name: str
    members: list[URIRef] = field(default_factory=list)
    labels: dict[URIRef, str] = field(default_factory=dict)
    names: dict[str, URIRef] = field(default_factory=dict)

    def resolve(self, value: str) -> URIRef | None:
        """The member a key, label or IRI names, or None."""
        v = value.strip()
        if v.startswith(("http://", "https://")) and URIRef(v) in self.labels:
            return URIRef(v)
        n = norm(v)
        return self.names.get(n) or self.names.get(" ".join(_singular(w) for w in n.split()))

    def expected(self) -> str:
        """The accepted values, for a message: keys with their labels."""
        return "one of " + ", ".join(f"{_key(m)} ({self.labels[m]})" for m in self.members)


def _singular(word: str) -> str:
    """'interviews' -> 'interview', 'weaknesses' -> 'weakness' (coders write plurals)."""
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _key(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _vocabulary(g: Graph, name: str, cls: URIRef) -> Vocabulary:
    voc = Vocabulary(name)
    members = sorted(g.subjects(RDF.type, cls), key=lambda m: (str(g.value(m, SKOS.notation) or ""), str(m)))
    for m in members:
        if not isinstance(m, URIRef):
            continue
        voc.members.append(m)
        voc.labels[m] = str(g.value(m, SKOS.prefLabel) or _key(m))
        names = [_key(m), *(str(o) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation, EGOV.table1Heading,
                                            EGOV.table2Heading) for o in g.objects(m, p))]
        for n in names:
            voc.names.setdefault(norm(n), m)
    return voc


@dataclass
class Vocabularies:
    """Every vocabulary an input may name, and each role's polarity."""

    dimension: Vocabulary
    role: Vocabulary
    focus: Vocabulary
    purpose: Vocabulary
    method: Vocabulary
    polarity_of: dict[URIRef, URIRef]


@lru_cache(maxsize=4)
def vocabularies(base: str | None = None) -> Vocabularies:
    """The vocabularies of the ontology (parsed once per base)."""
    from kg.validate import ontology_graph

    g = ontology_graph(base)
    role = _vocabulary(g, "role", EGOV.Role)
    # Coders write the short forms too: "driver", "challenge", "strength", "weakness", "issue".
    for m in role.members:
        role.names.setdefault(norm(_key(m).split("-")[-1]), m)
    return Vocabularies(
        dimension=_vocabulary(g, "dimension", EGOV.Dimension),
        role=role,
        focus=_vocabulary(g, "research focus", EGOV.ResearchFocus),
        purpose=_vocabulary(g, "purpose", EGOV.Purpose),
        method=_vocabulary(g, "method kind", EGOV.MethodKind),
        polarity_of={r: p for r, p in ((r, g.value(r, EGOV.rolePolarity)) for r in role.members)
                     if isinstance(p, URIRef)},
    )

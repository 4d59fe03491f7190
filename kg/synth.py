"""Synthetic studies for scale tests: shapes-conformant Turtle, one file per study, aligned to the real concept scheme.

Distributions are modelled on the curated data and on the field: publication years rise towards the present,
countries follow how much each country is studied (the United States, China and the United Kingdom first, then a
long tail), about ten mentions per study, every dimension and role used, and concept reuse follows a Zipf law over
the real concepts ranked by how often the curated studies use them, plus a long tail of narrower synthetic
concepts. Everything is drawn from one ``random.Random(seed)``, so a seed always gives the same files.

Every synthetic node says what it is: titles start with "Synthetic study", and each file's first line states
that it is generated, not literature.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from kg import config
from kg.namespaces import BASE

EGOV = BASE + "ontology/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = """@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix egov:    <https://w3id.org/egovkg/ontology/> .
@prefix study:   <https://w3id.org/egovkg/id/study/> .
@prefix m:       <https://w3id.org/egovkg/id/mention/> .
@prefix ev:      <https://w3id.org/egovkg/id/evidence/> .
@prefix fc:      <https://w3id.org/egovkg/id/concept/> .
@prefix interp:  <https://w3id.org/egovkg/id/interpretation/> .
@prefix place:   <https://w3id.org/egovkg/id/place/> .
@prefix agent:   <https://w3id.org/egovkg/id/agent/> .
@prefix scheme:  <https://w3id.org/egovkg/id/scheme/> .
@prefix dim:     <https://w3id.org/egovkg/id/dimension/> .
@prefix role:    <https://w3id.org/egovkg/id/role/> .
@prefix pol:     <https://w3id.org/egovkg/id/polarity/> .
@prefix focus:   <https://w3id.org/egovkg/id/focus/> .
@prefix purpose: <https://w3id.org/egovkg/id/purpose/> .
"""

# (key, label, ISO code, region key or None, weight): weights follow how often each country is studied.
COUNTRIES = [
    ("united-states", "United States", "US", "western", 30),
    ("china", "China", "CN", None, 18),
    ("united-kingdom", "United Kingdom", "GB", "western", 8),
    ("south-korea", "South Korea", "KR", "east-asia", 5),
    ("australia", "Australia", "AU", "western", 4),
    ("netherlands", "Netherlands", "NL", "western", 4),
    ("spain", "Spain", "ES", "western", 3),
    ("germany", "Germany", "DE", "western", 3),
    ("canada", "Canada", "CA", "western", 3),
    ("italy", "Italy", "IT", "western", 2),
    ("mexico", "Mexico", "MX", "western", 2),
    ("brazil", "Brazil", "BR", "latin-america", 2),
    ("india", "India", "IN", "south-asia", 2),
    ("indonesia", "Indonesia", "ID", "south-east-asia", 2),
    ("south-africa", "South Africa", "ZA", "africa", 1),
    ("japan", "Japan", "JP", "east-asia", 1),
    ("saudi-arabia", "Saudi Arabia", "SA", "middle-east", 1),
    ("kenya", "Kenya", "KE", "africa", 1),
    ("chile", "Chile", "CL", "latin-america", 1),
    ("malaysia", "Malaysia", "MY", "south-east-asia", 1),
]
SHIPPED_PLACES = {"china", "united-states", "mexico", "western"}
REGIONS = {
    "east-asia": "East Asia",
    "latin-america": "Latin America",
    "south-asia": "South Asia",
    "south-east-asia": "South-East Asia",
    "africa": "Africa",
    "middle-east": "Middle East",
}
DIMENSIONS = [
    ("social-economic", 26),
    ("political-legal-policy", 17),
    ("organizational-managerial", 30),
    ("information", 14),
    ("technological", 13),
]
POLAR_ROLES = [
    ("external-driver", "external", 20),
    ("external-challenge", "external", 25),
    ("internal-strength", "internal", 20),
    ("internal-weakness", "internal", 35),
]
FOCI = [("social-media-in-general", 65), ("microblogging", 35)]
PURPOSES = [
    "general-purposes",
    "participatory-e-governance",
    "public-participation",
    "transparency",
    "government-netizen-relationship",
    "internet-politics-informatization",
    "disclosing-information",
    "public-services",
    "emergency-response",
    "government-citizen-interaction",
]
SURNAMES = [
    "Smith",
    "Wang",
    "Li",
    "Zhang",
    "Kim",
    "Garcia",
    "Müller",
    "Jones",
    "Chen",
    "Brown",
    "Nguyen",
    "Rossi",
    "Silva",
    "Khan",
    "Tanaka",
    "Okafor",
    "Dubois",
    "Novak",
    "Jansen",
    "Lopez",
    "Park",
    "Singh",
    "Cohen",
]
VENUES = [
    "Government Information Quarterly",
    "Information Polity",
    "Public Administration Review",
    "Electronic Government, an International Journal",
    "International Journal of Information Management",
    "Journal of Chinese Governance",
    "Proceedings of the Annual International Conference on Digital Government Research",
    "Social Science Computer Review",
    "Telematics and Informatics",
    "Transforming Government: People, Process and Policy",
]


@dataclass(frozen=True)
class Concept:
    """A factor concept a synthetic mention can be aligned to."""

    key: str
    label: str
    labels: tuple[str, ...]  # preferred and alternative labels: the ways a study may write it


def esc(text: str) -> str:
    """A Turtle string literal body."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def real_concepts(data_dir: Path | None = None) -> list[Concept]:
    """The real concept scheme, most used first (by the curated studies' mentions), then by key."""
    d = data_dir or config.DATA_DIR
    store = ox.Store()
    for p in [d / "concepts.ttl", *sorted((d / "studies").glob("*.ttl"))]:
        store.load(path=str(p), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    use: Counter[str] = Counter()
    for s in cast(ox.QuerySolutions, store.query(f"SELECT ?c WHERE {{ ?m <{EGOV}concept> ?c }}")):
        use[s["c"].value] += 1
    labels: dict[str, list[str]] = {}
    pref: dict[str, str] = {}
    q = f"""SELECT ?c ?p ?l WHERE {{ ?c a <{EGOV}FactorConcept> ; <{SKOS}prefLabel> ?p .
            OPTIONAL {{ ?c <{SKOS}altLabel> ?l }} }}"""
    for s in cast(ox.QuerySolutions, store.query(q)):
        c = s["c"].value
        pref[c] = s["p"].value
        labels.setdefault(c, [s["p"].value])
        if s["l"] is not None and s["l"].value not in labels[c]:
            labels[c].append(s["l"].value)
    prefix = BASE + "id/concept/"
    ranked = sorted(pref, key=lambda c: (-use[c], c))
    return [Concept(c.removeprefix(prefix), pref[c], tuple(labels[c])) for c in ranked]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    """Weights of ranks 1..n under a Zipf law with exponent ``s``."""
    return [1.0 / (k**s) for k in range(1, n + 1)]


class Synthesizer:
    """Draws synthetic studies; one instance per output directory."""

    def __init__(self, n_studies: int, seed: int, data_dir: Path | None = None, tail_share: float = 0.15) -> None:
        self.rng = random.Random(seed)
        self.n, self.seed, self.tail_share = n_studies, seed, tail_share
        self.real = real_concepts(data_dir)
        # The long tail: narrower concepts under the real ones, more of them as the corpus grows.
        n_tail = max(20, n_studies // 2)
        parents = self.rng.choices(self.real, weights=zipf_weights(len(self.real)), k=n_tail)
        self.tail = [
            (Concept(f"synth-{i:06d}", f"Synthetic factor {i} ({p.label.lower()})", (f"Synthetic factor {i}",)), p)
            for i, p in enumerate(parents, 1)
        ]
        # Cumulative weights, computed once: random.choices would sum 50,000 tail weights per draw at 100,000 studies.
        self.real_cw = list(accumulate(zipf_weights(len(self.real))))
        self.tail_cw = list(accumulate(zipf_weights(len(self.tail), 1.0)))

    # -- shared files ----------------------------------------------------------------------------------------
    def places_ttl(self) -> str:
        """Countries and regions the synthetic studies use that the shipped places do not define."""
        out = ["# Synthetic data generated by `egovkg synth`: places for scale tests, not curated.", PREFIXES]
        for key, label in REGIONS.items():
            out.append(
                f'place:{key} a egov:Region ;\n    rdfs:label "{esc(label)}"@en ;\n'
                f'    skos:definition "A region that groups the countries of {esc(label)} for comparison '
                f'(synthetic data)."@en ;\n'
                f"    prov:wasAttributedTo agent:curators .\n"
            )
        for key, label, code, region, _ in COUNTRIES:
            if key in SHIPPED_PLACES:
                continue
            reg = f" ;\n    egov:region place:{region}" if region else ""
            out.append(
                f'place:{key} a egov:Country ;\n    rdfs:label "{esc(label)}"@en ;\n    skos:notation "{code}"{reg} ;\n'
                f'    skos:definition "A country that is {esc(label)} (synthetic data)."@en .\n'
            )
        return "\n".join(out)

    def concepts_ttl(self) -> str:
        """The long-tail concepts, each narrower than a real concept of the scheme."""
        out = [
            "# Synthetic data generated by `egovkg synth`: long-tail factor concepts for scale tests, not curated.",
            PREFIXES,
        ]
        for c, parent in self.tail:
            out.append(
                f"fc:{c.key} a egov:FactorConcept ;\n    skos:inScheme scheme:factors ;\n"
                f"    skos:broader fc:{parent.key} ;\n"
                f'    skos:prefLabel "{esc(c.label)}"@en ;\n'
                f'    skos:definition "A synthetic factor consisting of a narrower case of '
                f'{esc(parent.label.lower())}, for scale tests."@en ;\n'
                f"    prov:wasAttributedTo agent:curators .\n"
            )
        return "\n".join(out)

    # -- studies ---------------------------------------------------------------------------------------------
    def _concept(self) -> Concept:
        if self.rng.random() < self.tail_share:
            return self.rng.choices(self.tail, cum_weights=self.tail_cw)[0][0]
        return self.rng.choices(self.real, cum_weights=self.real_cw)[0]

    def _year(self) -> int:
        # Publications on government social media grow roughly linearly from 2008 on.
        years = list(range(2008, 2026))
        return self.rng.choices(years, weights=[y - 2006 for y in years])[0]

    def study_ttl(self, i: int) -> tuple[str, str]:
        """The key and Turtle text of synthetic study ``i``."""
        r = self.rng
        key = f"synth-{i:06d}"
        year = self._year()
        country = r.choices(COUNTRIES, weights=[c[4] for c in COUNTRIES])[0]
        authors = ", ".join(f"{r.choice(SURNAMES)}, {chr(65 + r.randrange(26))}." for _ in range(r.randint(1, 4)))
        first = authors.split(",")[0]
        label = f"{first} et al. ({year}) [synthetic {i}]"
        focus = r.choices([f for f, _ in FOCI], weights=[w for _, w in FOCI])[0]
        purposes = r.sample(PURPOSES, r.choices([1, 2, 3], weights=[60, 30, 10])[0])
        venue = r.choice(VENUES)
        title = f"Synthetic study {i}: government social media in {country[1]}"
        table2 = r.random() < 0.5  # half report polar factors with evidence (like Table 2), half issues (like Table 1)
        n_mentions = max(1, min(30, round(r.gauss(10, 3))))
        mentions = []
        for j in range(1, n_mentions + 1):
            c = self._concept()
            dim = r.choices([d for d, _ in DIMENSIONS], weights=[w for _, w in DIMENSIONS])[0]
            mentions.append((f"{key}.m{j:02d}", c, r.choice(c.labels), dim))
        body = [
            f"# Synthetic study {i} generated by `egovkg synth --seed {self.seed}`: scale-test data, not literature.",
            PREFIXES,
        ]
        ids = " ,\n        ".join(f"m:{m[0]}" for m in mentions)
        body.append(
            f'study:{key} a egov:Study ;\n    rdfs:label "{esc(label)}"@en ;\n    egov:authors "{esc(authors)}" ;\n'
            f'    dcterms:title "{esc(title)}"@en ;\n    dcterms:issued "{year}"^^xsd:gYear ;\n'
            f'    dcterms:bibliographicCitation "{esc(authors)} ({year}). {esc(title)}. {esc(venue)}." ;\n'
            f'    egov:venue "{esc(venue)}" ;\n    egov:researchFocus focus:{focus} ;\n'
            f"    egov:purpose {', '.join('purpose:' + p for p in purposes)} ;\n"
            f"    egov:country place:{country[0]} ;\n    egov:interpretation interp:{key}.place ;\n"
            f"    egov:reportsFactor {ids} .\n"
        )
        body.append(
            f"interp:{key}.place a egov:Interpretation ;\n    egov:interpretedProperty egov:country ;\n"
            f'    egov:justification "Synthetic: the country drawn for this study."@en ;\n'
            f"    prov:wasAttributedTo agent:curators .\n"
        )
        cells: dict[str, list[str]] = {}
        for _mid, _c, written, dim in mentions:
            cells.setdefault(dim, []).append(written)
        positions: Counter[str] = Counter()
        for mid, c, written, dim in mentions:
            positions[dim] += 1
            lines = [
                f"m:{mid} a egov:FactorMention",
                f'rdfs:label "{esc(written[:1].upper() + written[1:])}"@en',
                f'egov:labelAsWritten "{esc(written)}"',
                f"egov:reportedIn study:{key}",
                f"egov:dimension dim:{dim}",
            ]
            if table2:
                role, pol, _ = r.choices(POLAR_ROLES, weights=[w for *_, w in POLAR_ROLES])[0]
                lines += [
                    f"egov:role role:{role}",
                    f"egov:polarity pol:{pol}",
                    'egov:table "Table 2"',
                    f"egov:positionInCell {positions[dim]}",
                    f'egov:section "4.{r.randint(1, 5)}"',
                    f'dcterms:description "Synthetic description of {esc(written.lower())} '
                    'as this study reports it."@en',
                    f"egov:evidence ev:{mid}",
                ]
            else:
                lines += [
                    "egov:role role:issue",
                    'egov:table "Table 1"',
                    f'egov:tableCell "{esc(", ".join(cells[dim]))}"',
                    f"egov:positionInCell {positions[dim]}",
                    f'egov:section "{r.randint(2, 5)}"',
                ]
            lines += [f"egov:concept fc:{c.key}", f"egov:interpretation interp:{mid}"]
            body.append(" ;\n    ".join(lines) + " .\n")
            body.append(
                f"interp:{mid} a egov:Interpretation ;\n    egov:interpretedProperty egov:concept ;\n"
                f'    egov:justification "Synthetic: the study names {esc(written.lower())}, '
                f'a form of {esc(c.label.lower())}."@en ;\n'
                f"    prov:wasAttributedTo agent:curators .\n"
            )
            if table2:
                kind = r.choice(["interview", "passage"])
                speaker = '\n    egov:speaker "a government social media manager" ;' if kind == "interview" else ""
                body.append(
                    f'ev:{mid} a egov:Evidence ;\n    egov:evidenceKind "{kind}" ;{speaker}\n'
                    f'    egov:section "4.{r.randint(1, 5)}" ;\n'
                    f'    egov:quote "Synthetic quote on {esc(written.lower())}."@en ;\n'
                    f"    prov:wasDerivedFrom study:{key} .\n"
                )
        return key, "\n".join(body)


def write(out_dir: Path, n_studies: int, seed: int = 0, data_dir: Path | None = None) -> list[Path]:
    """Write ``n_studies`` synthetic studies to ``out_dir/studies/`` plus their places and long-tail concepts."""
    syn = Synthesizer(n_studies, seed, data_dir)
    (out_dir / "studies").mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("synth-places.ttl", syn.places_ttl()), ("synth-concepts.ttl", syn.concepts_ttl())):
        p = out_dir / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    for i in range(1, n_studies + 1):
        key, text = syn.study_ttl(i)
        p = out_dir / "studies" / f"{key}.ttl"
        p.write_text(text, encoding="utf-8")
        written.append(p)
    return written


__all__ = ["COUNTRIES", "Concept", "Synthesizer", "real_concepts", "write", "zipf_weights"]

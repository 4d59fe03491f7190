"""The comparison view: two groups of studies, what both report and what only one reports, with studies and quotes.

The groups come from GET parameters (``a_place``, ``a_focus``, ``a_purpose``, ``a_from``, ``a_to``, ``a_studies``
and the same with ``b_``), so the URL of every comparison is its permalink. The comparison itself is
:func:`kg.compare.compare`; this module only adds labels, quotes and the CSV form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from api.pages.evidence import Quote, quotes_for
from api.pages.landing import StudySummary, studies
from api.pages.links import local_key
from kg import queries
from kg.compare import Comparison, ConceptComparison, GroupError, MentionRef, StudyGroup, compare, resolve_group
from kg.store import Store

FIELDS = ("place", "focus", "purpose", "from", "to", "studies")
"""The criteria of one group, as GET parameters ``a_<field>`` and ``b_<field>``."""

EXAMPLES: list[tuple[str, dict[str, str]]] = [
    ("China vs Western countries", {"a_place": "china", "b_place": "western"}),
    ("The source paper vs the Western studies it reviews", {"a_studies": "zheng-2013", "b_place": "western"}),
    ("Microblogging vs social media in general", {"a_focus": "microblogging", "b_focus": "social-media-in-general"}),
    ("2009–2010 vs 2011–2013", {"a_from": "2009", "a_to": "2010", "b_from": "2011", "b_to": "2013"}),
]
"""Example comparisons offered on the form, China vs the West first."""

STATUS_LABELS = {"both": "Reported by both groups", "a": "Only group A", "b": "Only group B"}


@dataclass
class GroupForm:
    """One group's criteria as the form holds them (short keys), and the StudyGroup they make."""

    side: str
    values: dict[str, str]

    @classmethod
    def from_params(cls, side: str, params: Mapping[str, str]) -> GroupForm:
        """Read ``<side>_<field>`` parameters, dropping empty ones."""
        return cls(side, {f: params[f"{side}_{f}"].strip() for f in FIELDS if params.get(f"{side}_{f}", "").strip()})

    def group(self) -> StudyGroup:
        """The StudyGroup of these criteria; GroupError when malformed or empty."""
        v = self.values
        if not v:
            raise GroupError(f"group {self.side.upper()} needs at least one criterion")
        years: dict[str, int] = {}
        for f in ("from", "to"):
            if f in v:
                try:
                    years[f] = int(v[f])
                except ValueError as e:
                    raise GroupError(f"group {self.side.upper()}: {f} year {v[f]!r} is not a year") from e
        group = StudyGroup(place=v.get("place"), focus=v.get("focus"), purpose=v.get("purpose"),
                           year_from=years.get("from"), year_to=years.get("to"),
                           studies=tuple(s.strip() for s in v.get("studies", "").split(",") if s.strip()))
        group.bindings()  # validates every key now, so a bad one is reported against its group
        return group


@dataclass
class SideMentions:
    """The mentions of one concept in one study, on one side of a comparison."""

    study: StudySummary
    mentions: list[tuple[MentionRef, list[Quote]]]


@dataclass
class ConceptRow:
    """A compared concept with the studies, mentions and quotes of each side."""

    concept: ConceptComparison
    a: list[SideMentions]
    b: list[SideMentions]


@dataclass
class ComparisonView:
    """What ``/compare`` shows."""

    forms: dict[str, GroupForm]
    options: dict[str, list[dict[str, Any]]]
    examples: list[tuple[str, str]]
    errors: list[str] = field(default_factory=list)
    result: Comparison | None = None
    studies_a: list[StudySummary] = field(default_factory=list)
    studies_b: list[StudySummary] = field(default_factory=list)
    sections: list[tuple[str, str, list[ConceptRow]]] = field(default_factory=list)
    query_string: str = ""
    labels: dict[str, str] = field(default_factory=dict)


def group_options(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The places, foci and purposes the form offers, each with its short key and how many studies it selects."""
    out: dict[str, list[dict[str, Any]]] = {"place": [], "focus": [], "purpose": []}
    for r in queries.select(store, "pages_group_options"):
        out[r["kind"]].append({"key": local_key(r["value"]), "label": r["label"], "studies": int(r["studies"])})
    return out


def vocabulary_labels(store: Store) -> dict[str, str]:
    """Labels of dimensions and roles by IRI."""
    labels = {r["dimension"]: r["label"] for r in queries.select(store, "dimensions")}
    labels.update({r["role"]: r["label"] for r in queries.select(store, "roles")})
    return labels


def _side(refs: list[MentionRef], by_iri: dict[str, StudySummary],
          quotes: dict[str, list[Quote]]) -> list[SideMentions]:
    """One side of a compared concept: its mentions grouped by study, studies by year."""
    grouped: dict[str, SideMentions] = {}
    for ref in refs:
        sm = grouped.setdefault(ref.study, SideMentions(by_iri[ref.study], []))
        sm.mentions.append((ref, quotes.get(ref.mention, [])))
    return sorted(grouped.values(), key=lambda s: (s.study.year or 0, s.study.label))


def comparison_view(store: Store, params: Mapping[str, str]) -> ComparisonView:
    """Read the two groups from ``params`` and, when both are given, compare them."""
    forms = {s: GroupForm.from_params(s, params) for s in ("a", "b")}
    view = ComparisonView(forms, group_options(store), [(t, urlencode(p)) for t, p in EXAMPLES])
    if not forms["a"].values and not forms["b"].values:
        return view
    groups: dict[str, StudyGroup] = {}
    for side, form in forms.items():
        try:
            groups[side] = form.group()
        except GroupError as e:
            view.errors.append(str(e))
    if view.errors:
        return view
    members = {side: resolve_group(store, g) for side, g in groups.items()}
    view.errors = [f"group {side.upper()} matches no study" for side, m in members.items() if not m]
    if view.errors:
        return view
    result = compare(store, members["a"], members["b"])
    by_iri = {s.iri: s for s in studies(store)}
    quotes = quotes_for(store, (m.mention for c in result.concepts for m in c.mentions_a + c.mentions_b))
    view.result = result
    view.labels = vocabulary_labels(store)
    view.studies_a = [by_iri[s] for s in result.studies_a]
    view.studies_b = [by_iri[s] for s in result.studies_b]
    view.query_string = urlencode({f"{s}_{k}": v for s, f in forms.items() for k, v in f.values.items()})
    rows = {c.concept: ConceptRow(c, _side(c.mentions_a, by_iri, quotes), _side(c.mentions_b, by_iri, quotes))
            for c in result.concepts}
    view.sections = [
        ("both", STATUS_LABELS["both"], [rows[c.concept] for c in result.both]),
        ("only-a", STATUS_LABELS["a"], [rows[c.concept] for c in result.only_a]),
        ("only-b", STATUS_LABELS["b"], [rows[c.concept] for c in result.only_b]),
    ]
    return view


CSV_COLUMNS = ["status", "strength", "concept", "concept_label", "side", "study", "study_label", "mention",
               "mention_label", "dimension", "role", "quotes"]


def comparison_csv(view: ComparisonView) -> str:
    """The comparison as CSV: one row per (concept, side, mention), quotes joined with their sections."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for _key, _title, rows in view.sections:
        for row in rows:
            c = row.concept
            for side, sides in (("a", row.a), ("b", row.b)):
                for sm in sides:
                    for ref, quotes in sm.mentions:
                        q = " | ".join(f"[{x.section}] {x.quote}" if x.section else x.quote for x in quotes)
                        w.writerow([c.status, c.strength or "", c.concept, c.label, side, ref.study, sm.study.label,
                                    ref.mention, ref.label, view.labels.get(ref.dimension, ref.dimension),
                                    view.labels.get(ref.role, ref.role), q])
    return buf.getvalue()

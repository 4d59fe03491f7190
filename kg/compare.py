"""Compare two groups of studies by the factor concepts they report: ``kg/queries/compare.rq``'s semantics, computed
from ``compare_counts.rq`` and ``concept_ancestors.rq`` (:func:`summarize`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg import config, queries
from kg.store import Store, values_block

ANY = URIRef("urn:egovkg:any")
"""The value that tells ``group_members.rq`` a criterion is not set."""

STUDIES_MARKER = "# STUDIES"
"""The comment line of ``group_members.rq`` that a group naming its studies replaces with a ``VALUES ?study`` block."""

CONCEPTS_MARKER = "# CONCEPTS"
"""The marker of the (concept, side) VALUES block of ``compare_members.rq``."""

STRENGTHS = {0: "exact", 1: "broader", 2: "narrower"}
"""How the other side matches a concept: the same concept, only a broader one, or only a narrower one."""


class GroupError(ValueError):
    """A study group is malformed or names something that does not exist."""


def expand(kind: str, value: str) -> str:
    """Expand a short key (``china``) to an IRI under the base (``…/id/place/china``); full IRIs pass through."""
    if value.startswith(("http://", "https://", "urn:")):
        return value
    if not value or any(c in value for c in "<>\"{}|^`\\ "):
        raise GroupError(f"invalid {kind} key {value!r}")
    return f"{config.base_iri()}id/{kind}/{value}"


@dataclass(frozen=True)
class StudyGroup:
    """A group of studies: all criteria given must hold; ``studies`` (if given) restricts to those studies."""

    place: str | None = None
    focus: str | None = None
    purpose: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    studies: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> StudyGroup:
        """Parse ``place=china;focus=microblogging;from=2010;to=2013;studies=a,b`` (keys or IRIs)."""
        kw: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in spec.split(";"))):
            key, sep, val = part.partition("=")
            key, val = key.strip(), val.strip()
            if not sep or not val:
                raise GroupError(f"group criterion {part!r} must be key=value")
            if key in ("place", "country", "region"):
                kw["place"] = val
            elif key in ("focus", "purpose"):
                kw[key] = val
            elif key in ("from", "to"):
                try:
                    kw["year_from" if key == "from" else "year_to"] = int(val)
                except ValueError as e:
                    raise GroupError(f"{key}={val!r} is not a year") from e
            elif key == "studies":
                kw["studies"] = tuple(v.strip() for v in val.split(",") if v.strip())
            else:
                raise GroupError(f"unknown group criterion {key!r}: use place, focus, purpose, from, to, studies")
        if not kw:
            raise GroupError("a group needs at least one criterion")
        return cls(**kw)

    def criteria(self) -> dict[str, Any]:
        """SPARQL bindings of the criteria given (not ``studies``), the parameters ``group_members.rq`` keeps when
        specialized to them; a year bound given alone takes the other's "any" value (0 or 9999)."""
        out: dict[str, Any] = {}
        for name, value in (("place", self.place), ("focus", self.focus), ("purpose", self.purpose)):
            if value:
                out[name] = URIRef(expand(name, value))
        if self.year_from is not None or self.year_to is not None:
            out["yearFrom"] = Literal(self.year_from if self.year_from is not None else 0)
            out["yearTo"] = Literal(self.year_to if self.year_to is not None else 9999)
        return out

    def bindings(self) -> dict[str, Any]:
        """SPARQL bindings of the whole ``group_members.rq`` for this group: the criteria not given at "any"."""
        return {"place": ANY, "focus": ANY, "purpose": ANY, "yearFrom": Literal(0), "yearTo": Literal(9999),
                **self.criteria()}


def study_rows(studies: Iterable[str]) -> list[tuple[URIRef]]:
    """The VALUES rows of the given study keys or IRIs; an IRI no store can hold (``http://x y``) names no study
    and is left out, as an unknown key matches nothing."""
    rows = []
    for s in dict.fromkeys(expand("study", s) for s in studies):
        try:
            ox.NamedNode(s)
        except ValueError:
            continue
        rows.append((URIRef(s),))
    return rows


def group_query(group: StudyGroup) -> tuple[str, dict[str, Any]]:
    """``group_members.rq`` for one group, and its bindings: specialized to the criteria given (the others cost
    nothing) and, when the group names its studies, restricted to them by a VALUES block (so it costs what they
    cost: all criteria given must hold, and an unknown study matches nothing)."""
    given = group.criteria()
    text = queries.specialize(queries.text("group_members"), given)
    if group.studies:
        lines = text.splitlines(keepends=True)
        at = [i for i, line in enumerate(lines) if line.strip() == STUDIES_MARKER]
        if len(at) != 1:
            raise ValueError(f"group_members.rq must have one {STUDIES_MARKER!r} line")
        lines[at[0]] = values_block(["study"], study_rows(group.studies)) + "\n"
        text = "".join(lines)
    return text, given


def resolve_group(store: Store, group: StudyGroup) -> list[str]:
    """The IRIs of the studies in a group, sorted."""
    text, given = group_query(group)
    return sorted({r["study"] for r in store.select(text, given or None)})


@dataclass
class MentionRef:
    """A mention behind a compared concept."""

    mention: str
    study: str
    label: str
    dimension: str
    role: str


@dataclass
class ConceptComparison:
    """One factor concept in a comparison: who reports it and how the other side matches it."""

    concept: str
    label: str
    status: str  # "both", "a" (only a), "b" (only b)
    strength: str | None  # "exact", "broader", "narrower" for status "both"
    mentions_a: list[MentionRef] = field(default_factory=list)
    mentions_b: list[MentionRef] = field(default_factory=list)


class _HasStatus(Protocol):
    status: str  # "both", "a" (only a), "b" (only b)


ConceptT = TypeVar("ConceptT", bound=_HasStatus)


@dataclass
class _Compared(Generic[ConceptT]):
    """Both groups, the compared concepts, and the SPARQL queries that compared them (in the order they ran); the
    concepts by status."""

    studies_a: list[str]
    studies_b: list[str]
    concepts: list[ConceptT]
    sparql: list[str]

    @property
    def both(self) -> list[ConceptT]:
        return [c for c in self.concepts if c.status == "both"]

    @property
    def only_a(self) -> list[ConceptT]:
        return [c for c in self.concepts if c.status == "a"]

    @property
    def only_b(self) -> list[ConceptT]:
        return [c for c in self.concepts if c.status == "b"]


@dataclass
class Comparison(_Compared[ConceptComparison]):
    """The result of comparing group a with group b: every concept with the mentions behind each side."""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""

        def c2d(c: ConceptComparison) -> dict[str, Any]:
            return {
                "concept": c.concept, "label": c.label, "strength": c.strength,
                "a": [m.__dict__ for m in c.mentions_a], "b": [m.__dict__ for m in c.mentions_b],
            }

        return {"studiesA": self.studies_a, "studiesB": self.studies_b, "both": [c2d(c) for c in self.both],
                "onlyA": [c2d(c) for c in self.only_a], "onlyB": [c2d(c) for c in self.only_b]}


def sides_block(studies_a: list[str], studies_b: list[str]) -> str:
    """The VALUES rows (study, side) of a comparison."""
    rows = [(URIRef(s), "a") for s in studies_a] + [(URIRef(s), "b") for s in studies_b]
    return values_block(["s", "side"], rows)


def classify(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    """Turn compare.rq rows into concept -> (status, strength): the one rule, shared by every caller."""
    sides: dict[str, dict[str, int | None]] = {}
    for r in rows:
        sides.setdefault(r["concept"], {})[r["side"]] = r.get("best")
    out: dict[str, tuple[str, str | None]] = {}
    for concept, s in sides.items():
        if "a" in s and "b" in s:
            out[concept] = ("both", "exact")
            continue
        side = "a" if "a" in s else "b"
        best = s[side]
        out[concept] = ("both", STRENGTHS[int(best)]) if best is not None else (side, None)
    return out


@dataclass
class ConceptCounts:
    """One compared concept, with how many studies and mentions of each side report it (``compare.rq``)."""

    concept: str
    label: str
    status: str  # "both", "a" (only a), "b" (only b)
    strength: str | None  # "exact", "broader", "narrower" for status "both"
    studies: dict[str, int]  # side ("a", "b") -> studies of that side behind the concept (0 when none)
    mentions: dict[str, int]  # side -> mentions of that side aligned to the concept


@dataclass
class Summary(_Compared[ConceptCounts]):
    """A comparison without its members: both groups, and every concept (sorted by label) with its status, strength
    and counts."""


def rank(rows: list[dict[str, Any]], ancestors: dict[str, set[str]]) -> list[dict[str, Any]]:
    """``compare.rq``'s rows from ``compare_counts.rq``'s and the concepts' ancestors (``concept_ancestors.rq``):
    each (concept, side) row gets ``best``, how the other side matches the concept: 0 exact (the other side reports
    it), 1 broader (the other side reports one of its ancestors), 2 narrower (one of its descendants); absent when
    the other side reports nothing related. skos:related is never a match."""
    reported: dict[str, set[str]] = {"a": set(), "b": set()}
    for r in rows:
        reported[r["side"]].add(r["concept"])
    # the concepts that have a descendant a side reports
    above = {side: {up for c in concepts for up in ancestors.get(c, ())} for side, concepts in reported.items()}
    out = []
    for r in rows:
        other = "b" if r["side"] == "a" else "a"
        concept = r["concept"]
        if concept in reported[other]:
            best: int | None = 0
        elif ancestors.get(concept, set()) & reported[other]:
            best = 1
        elif concept in above[other]:
            best = 2
        else:
            best = None
        out.append(r | {"best": best} if best is not None else dict(r))
    return out


def summarize(store: Store, a: StudyGroup | list[str], b: StudyGroup | list[str]) -> Summary:
    """Resolve both groups, count every concept's studies and mentions on each side with its label
    (``compare_counts.rq``), read the reported concepts' ancestors (``concept_ancestors.rq``) and rank how each side
    matches the other's concepts (:func:`rank`): ``compare.rq``'s answer, reading each side's mentions once."""
    studies_a = resolve_group(store, a) if isinstance(a, StudyGroup) else sorted(a)
    studies_b = resolve_group(store, b) if isinstance(b, StudyGroup) else sorted(b)
    sparql = [queries.fill(queries.text("compare_counts"), sides_block(studies_a, studies_b))]
    rows = store.select(sparql[0]) if (studies_a or studies_b) else []
    ancestors: dict[str, set[str]] = {}
    if rows:
        concepts = sorted({r["concept"] for r in rows})
        sparql.append(queries.fill(queries.text("concept_ancestors"),
                                   values_block(["concept"], [(URIRef(c),) for c in concepts]), CONCEPTS_MARKER))
        for r in store.select(sparql[1]):
            ancestors.setdefault(r["concept"], set()).add(r["ancestor"])
    rows = rank(rows, ancestors)
    counts: dict[str, tuple[str, dict[str, int], dict[str, int]]] = {}
    for r in rows:
        _, studies, mentions = counts.setdefault(
            r["concept"], (r.get("label", r["concept"]), {"a": 0, "b": 0}, {"a": 0, "b": 0})
        )
        studies[r["side"]], mentions[r["side"]] = int(r["studies"]), int(r["mentions"])
    concepts = [
        ConceptCounts(concept, counts[concept][0], status, strength, counts[concept][1], counts[concept][2])
        for concept, (status, strength) in classify(rows).items()
    ]
    concepts.sort(key=lambda c: (str(c.label).lower(), c.concept))
    return Summary(studies_a, studies_b, concepts, sparql)


@dataclass
class Members:
    """The studies and mentions of one side behind one concept, each sorted by IRI."""

    studies: list[str]
    mentions: list[str]
    study_of: dict[str, str]  # mention -> its study


def members(
    store: Store, studies_a: list[str], studies_b: list[str], keys: Iterable[tuple[str, str]]
) -> tuple[str, dict[tuple[str, str], Members]]:
    """The members behind each (concept, side) of ``keys``, in one query (``compare_members.rq``); and that query."""
    wanted = list(dict.fromkeys(keys))
    text = queries.fill(queries.text("compare_members"), sides_block(studies_a, studies_b))
    text = queries.fill(text, values_block(["concept", "side"], [(URIRef(c), s) for c, s in wanted]), CONCEPTS_MARKER)
    found = {k: Members([], [], {}) for k in wanted}
    if wanted:
        for concept, side, pairs in store.query(text):
            words = pairs.value.split(" ")
            study_of = dict(zip(words[::2], words[1::2], strict=True))
            found[(concept.value, side.value)] = Members(sorted(set(study_of.values())), sorted(study_of), study_of)
    return text, found


def page(items: list[str], first: int, after: str | None = None) -> list[str]:
    """The first ``first`` of sorted ``items`` that come after ``after`` (keyset: ``after`` need not be an item)."""
    start = bisect_right(items, after) if after is not None else 0
    return items[start : start + first]


def compare(store: Store, a: StudyGroup | list[str], b: StudyGroup | list[str]) -> Comparison:
    """Compare two groups: the concepts both report (with match strength) and those only one reports, with every
    mention behind each (the whole comparison; GraphQL pages through :func:`summarize` and :func:`members`)."""
    summary = summarize(store, a, b)
    studies_a, studies_b = summary.studies_a, summary.studies_b
    details: dict[tuple[str, str], list[MentionRef]] = {}
    if studies_a or studies_b:
        block = sides_block(studies_a, studies_b)
        for r in store.select(queries.fill(queries.text("compare_mentions"), block)):
            ref = MentionRef(r["mention"], r["study"], r["label"], r["dimension"], r["role"])
            details.setdefault((r["concept"], r["side"]), []).append(ref)
    concepts = [
        ConceptComparison(c.concept, c.label, c.status, c.strength, details.get((c.concept, "a"), []),
                          details.get((c.concept, "b"), []))
        for c in summary.concepts
    ]
    return Comparison(studies_a, studies_b, concepts, summary.sparql)

"""Comparison: the factor concepts two groups of studies both report, and those only one reports (kg.compare).

Every list of a comparison is bounded by the request, not by the size of the KG: the concept lists, the group study
lists and each side's studies and mentions take ``first`` (a default, and at most :data:`MAX_FIRST`) and ``after``
(keyset: the IRI or key of the last item received), and the counts (``bothCount``, ``studyCount``, ``mentionCount``
…) give the whole size. The counts come from the comparison itself (``kg.compare.summarize``); the members of the
sides a query selects come from one more query (``compare_members.rq``), and only then are objects loaded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField, Selection

from api.graphql import loaders as gql_loaders
from api.graphql.errors import LimitError, UserError, checked_iri
from api.graphql.resolvers import relations as rel
from api.graphql.types.base import PREF
from api.graphql.types.refs import ConceptT, MentionT, StudyT
from kg import compare as kgcompare

MAX_FIRST = 100
"""The most items any list of a comparison returns per request (a larger ``first`` is an error)."""
SIDE_FIRST = 10
"""Default ``first`` of a side's studies and mentions: a portal shows ten and the count (the shipped KG's sides hold
at most five, so its answers are complete)."""
LIST_FIRST = 100
"""Default ``first`` of the concept lists and of the group study lists (the shipped KG's lists are all shorter)."""


def limit(first: int) -> int:
    """``first`` checked against 0..MAX_FIRST, with an error a client can act on."""
    if first < 0:
        raise UserError("`first` must not be negative")
    if first > MAX_FIRST:
        raise LimitError(f"`first` is {first}, above the maximum of {MAX_FIRST} for the lists of a comparison: "
                         "page with `after`, and read the whole size from the counts")
    return first


@strawberry.enum(description="How the other group matches a concept.")
class AlignmentStrength(Enum):
    EXACT = "exact"
    BROADER = "broader"
    NARROWER = "narrower"


@strawberry.input(
    description="A group of studies: all given criteria must hold (values are IRIs or short keys, "
    'e.g. `place: "western"`, `studies: ["zheng-2013"]`).'
)
class StudyGroup:
    place: str | None = strawberry.field(default=None, description="Country or region (a country's region counts).")
    focus: str | None = None
    purpose: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    studies: list[str] | None = strawberry.field(default=None, description="Restrict to these studies.")


@dataclass
class Compared:
    """One comparison in a request: its summary, the entries built so far and the loader of side members."""

    summary: kgcompare.Summary
    context: Any
    by_concept: dict[str, kgcompare.ConceptCounts] = field(init=False)
    entries: dict[str, ConceptComparison] = field(default_factory=dict)
    members: DataLoader[tuple[str, str], kgcompare.Members] = field(init=False)
    loaded: dict[tuple[str, str], kgcompare.Members] = field(default_factory=dict)
    """The members of the (concept, side) pairs loaded so far: a side whose members are here answers at once."""
    labels: dict[str, list[Any]] = field(default_factory=dict)
    """The rdfs:label values of members :meth:`prefetch` found shown by label alone."""

    def __post_init__(self) -> None:
        self.by_concept = {c.concept: c for c in self.summary.concepts}

        async def load(keys: list[tuple[str, str]]) -> list[kgcompare.Members]:
            found = self.load_members(keys)
            return [found[k] for k in keys]

        self.members = DataLoader(load_fn=load)

    def load_members(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], kgcompare.Members]:
        """The members of ``keys`` (one ``compare_members.rq`` query, recorded for the ``sparql`` extension)."""
        s, ctx = self.summary, self.context
        text, found = kgcompare.members(ctx.store, s.studies_a, s.studies_b, keys)
        ctx.sparql.append({"query": text, "bindings": {}})
        self.loaded.update(found)
        return found

    def prefetch(self, selected: SelectedField) -> None:
        """Load, before the comparison's fields resolve, what the query reads of the sides: the members of every side
        whose ``studies`` or ``mentions`` it selects on the concept pages it selects (one query for all, as the
        DataLoader batches them), and the labels of the members shown where only labels are read (one query).

        The sides' fields then return at once instead of awaiting: graphql-core turns every awaited field into a
        task and an event-loop round, and a comparison has hundreds of small lists (the flagship query spent a third
        of its time there at N = 100). Anything this does not foresee (fragments in a side's selection, the entries
        of ``counterparts``, arguments it cannot read) still loads lazily, batched per level; a bad argument is left
        for its field to report."""
        lists = {"both": self.summary.both, "onlyA": self.summary.only_a, "onlyB": self.summary.only_b}
        wants: list[tuple[tuple[str, str], str, int, str | None, bool]] = []
        for listed in fields(selected.selections):
            items = lists.get(listed.name)
            if items is None:
                continue
            try:
                entries = self.page(items, integer(listed.arguments.get("first", LIST_FIRST)),
                                    listed.arguments.get("after"))
            except (UserError, LimitError, TypeError, ValueError):
                continue
            for side_field in fields(listed.selections):
                if side_field.name not in ("a", "b"):
                    continue
                for leaf in fields(side_field.selections):
                    first, after = integer(leaf.arguments.get("first", SIDE_FIRST)), leaf.arguments.get("after")
                    if leaf.name not in ("studies", "mentions") or not isinstance(first, int):
                        continue
                    if not 0 < first <= MAX_FIRST or not (after is None or isinstance(after, str)):
                        continue
                    light = all(
                        isinstance(f, SelectedField) and not f.selections and f.name in rel.LABEL_FIELDS
                        for f in leaf.selections
                    )
                    wants.extend(
                        ((e.concept_iri, side_field.name), leaf.name, first, after, light)
                        for e in entries
                        if getattr(e, side_field.name).mention_count
                    )
        missing = [key for key, *_ in wants if key not in self.loaded]
        if missing:
            self.load_members(missing)
        shown: list[str] = []
        for key, kind, first, after, light in wants:
            if light:
                try:
                    start = checked_iri(KIND[kind], after) if after is not None else None
                except UserError:
                    continue
                shown.extend(kgcompare.page(getattr(self.loaded[key], kind), first, start))
        new = [i for i in dict.fromkeys(shown) if i not in self.labels]
        if new:
            self.labels.update(zip(new, gql_loaders.labels(self.context.store, new), strict=True))

    def entry(self, c: kgcompare.ConceptCounts) -> ConceptComparison:
        """The entry of a concept (built once, on first use: only the entries a query returns are built)."""
        found = self.entries.get(c.concept)
        if found is None:
            side = lambda s: ComparisonSide(  # noqa: E731
                study_count=c.studies[s], mention_count=c.mentions[s], concept_iri=c.concept, side=s, compared=self
            )
            found = self.entries[c.concept] = ConceptComparison(
                concept_iri=c.concept,
                strength=AlignmentStrength(c.strength) if c.strength else None,
                a=side("a"),
                b=side("b"),
                compared=self,
            )
        return found

    def page(self, items: list[kgcompare.ConceptCounts], first: int, after: str | None) -> list[ConceptComparison]:
        """A page of a concept list (sorted by label): ``first`` entries after the concept ``after``."""
        start = 0
        if after is not None:
            iri = checked_iri("concept", after)
            at = next((i for i, c in enumerate(items) if c.concept == iri), None)
            if at is None:
                raise UserError(f"`after`: {after!r} is not a concept of this list")
            start = at + 1
        return [self.entry(c) for c in items[start : start + limit(first)]]


KIND = {"studies": "study", "mentions": "mention"}
"""A side's member lists and what their ``after`` names."""


def integer(value: Any) -> Any:
    """An Int argument of a selection as an int: strawberry's ``selected_fields`` gives a literal as its text (a
    variable's value comes typed); anything else is returned as it is, for its field to report."""
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection, those inside fragments included."""
    for sel in selections:
        if isinstance(sel, SelectedField):
            yield sel
        else:
            yield from fields(sel.selections)


@strawberry.type(
    description="One group's side of a compared concept: how many of its studies and mentions are aligned to the "
    "concept, and the first of them (by IRI)."
)
class ComparisonSide:
    study_count: int = strawberry.field(description="How many of the group's studies report the concept.")
    mention_count: int = strawberry.field(description="How many of the group's mentions are aligned to the concept.")
    concept_iri: strawberry.Private[str]
    side: strawberry.Private[str]
    compared: strawberry.Private[Compared]

    def _list(self, info: strawberry.Info, kind: str, cls: Any, first: int, after: str | None) -> Any:
        """The first ``first`` members of ``kind`` ("studies" or "mentions") after ``after``, as objects of ``cls``:
        a list when the members (and the objects, or their labels) are at hand, else an awaitable that loads them
        (batched per nesting level)."""
        start = checked_iri(KIND[kind], after) if after is not None else None
        if not limit(first) or not self.mention_count:
            return []
        light = rel.labels_only(info)
        m = self.compared.loaded.get((self.concept_iri, self.side))
        if m is not None:
            iris = kgcompare.page(getattr(m, kind), first, start)
            now = rel.ready(info, iris, cls, labels=self.compared.labels if light else None)
            return now if now is not None else rel.objects(info, iris, cls, light=light)

        async def load() -> list[Any]:
            m = await self.compared.members.load((self.concept_iri, self.side))
            return await rel.objects(info, kgcompare.page(getattr(m, kind), first, start), cls, light=light)

        return load()

    @strawberry.field(
        description=f"The group's studies that report the concept, by IRI: the first `first` (default {SIDE_FIRST}, "
        f"at most {MAX_FIRST}) after the study `after` (an IRI or key: to read on, pass the last study received). "
        "`studyCount` is the whole number.",
        graphql_type=list[StudyT],
    )
    def studies(
        self, info: strawberry.Info, first: int = SIDE_FIRST, after: str | None = None
    ) -> list[Any] | Awaitable[list[Any]]:
        from api.graphql.types.study import Study

        return self._list(info, "studies", Study, first, after)

    @strawberry.field(
        description=f"The group's mentions aligned to the concept, by IRI: the first `first` (default {SIDE_FIRST}, "
        f"at most {MAX_FIRST}) after the mention `after` (an IRI or key: to read on, pass the last mention received). "
        "`mentionCount` is the whole number; each mention's evidence is a field of it.",
        graphql_type=list[MentionT],
    )
    def mentions(
        self, info: strawberry.Info, first: int = SIDE_FIRST, after: str | None = None
    ) -> list[Any] | Awaitable[list[Any]]:
        from api.graphql.types.mention import FactorMention

        return self._list(info, "mentions", FactorMention, first, after)


@strawberry.type(
    description="One factor concept in a comparison: how the other group matches it, and each side's counts, "
    "studies and mentions (and through them, evidence)."
)
class ConceptComparison:
    concept_iri: strawberry.Private[str]
    strength: AlignmentStrength | None = strawberry.field(
        description="For concepts both groups report: EXACT (the other group reports the same concept), BROADER (only "
        "a broader one), NARROWER (only a narrower one). Null for concepts one group alone reports."
    )
    a: ComparisonSide = strawberry.field(description="Group a's side (empty, with zero counts, when a does not "
                                         "report the concept).")
    b: ComparisonSide = strawberry.field(description="Group b's side.")
    compared: strawberry.Private[Compared]

    @strawberry.field(description="The factor concept.", graphql_type=ConceptT)
    def concept(self, info: strawberry.Info) -> Any:
        from api.graphql.types.concept import FactorConcept

        if rel.labels_only(info):  # the comparison query already read the label: answer at once
            label = self.compared.by_concept[self.concept_iri].label
            return FactorConcept.from_props(self.concept_iri, {PREF: [label]} if label != self.concept_iri else {})
        return rel.obj(info, self.concept_iri, FactorConcept)

    @strawberry.field(
        description="Through which entries the other group matches this concept: this entry itself (EXACT), the "
        "entries of the broader concepts the other group reports (BROADER) or of the narrower ones (NARROWER), each "
        "with that group's studies and mentions. Empty for concepts one group alone reports."
    )
    async def counterparts(self, info: strawberry.Info) -> list[ConceptComparison]:
        if self.strength is None:
            return []
        if self.strength is AlignmentStrength.EXACT:
            return [self]
        # the concepts the other side reports (this entry's own side is the one with mentions)
        other = "b" if self.a.mention_count else "a"
        cmp = self.compared
        others = [c for c in cmp.summary.concepts if c.mentions[other] and c.concept != self.concept_iri]
        if self.strength is AlignmentStrength.BROADER:
            above = await ancestors(info, self.concept_iri)
            return [cmp.entry(c) for c in others if c.concept in above]
        above_each = await asyncio.gather(*(ancestors(info, c.concept) for c in others))  # batched per level
        return [cmp.entry(c) for c, above in zip(others, above_each, strict=True) if self.concept_iri in above]


async def ancestors(info: strawberry.Info, concept: str) -> set[str]:
    """Every concept above ``concept`` through skos:broader (loaded a level at a time, batched)."""
    from api.graphql.types import base as b

    seen: set[str] = set()
    frontier = [concept]
    while frontier:
        props = await info.context.loaders.props.load_many(frontier)
        frontier = [up for p in props for up in b.iris(p, b.BROADER) if up not in seen]
        seen.update(frontier)
    return seen


@strawberry.type(
    description="The result of comparing group a with group b (the same semantics as `egovkg compare`). Every list "
    f"is bounded by the request: `first` (at most {MAX_FIRST}) and `after` (the IRI or key of the last item "
    "received), with the whole size in the counts. Concept lists are sorted by label, studies and mentions by IRI. "
    "Objects are loaded only for the fields a query selects, in one batch per level."
)
class Comparison:
    compared: strawberry.Private[Compared]
    study_count_a: int = strawberry.field(description="How many studies group a holds.")
    study_count_b: int = strawberry.field(description="How many studies group b holds.")
    both_count: int = strawberry.field(description="How many concepts both groups report (the length of `both`).")
    only_a_count: int = strawberry.field(description="How many concepts only group a reports.")
    only_b_count: int = strawberry.field(description="How many concepts only group b reports.")

    @classmethod
    def of(cls, summary: kgcompare.Summary, context: Any) -> Comparison:
        """The GraphQL comparison of a kg summary (no entry is built yet)."""
        return cls(
            compared=Compared(summary, context),
            study_count_a=len(summary.studies_a),
            study_count_b=len(summary.studies_b),
            both_count=len(summary.both),
            only_a_count=len(summary.only_a),
            only_b_count=len(summary.only_b),
        )

    @strawberry.field(
        description=f"The concepts both groups report, by label: the first `first` (default {LIST_FIRST}) after the "
        "concept `after` (an IRI or key)."
    )
    def both(self, first: int = LIST_FIRST, after: str | None = None) -> list[ConceptComparison]:
        return self.compared.page(self.compared.summary.both, first, after)

    @strawberry.field(
        description=f"The concepts only group a reports, by label: the first `first` (default {LIST_FIRST}) after "
        "the concept `after`."
    )
    def only_a(self, first: int = LIST_FIRST, after: str | None = None) -> list[ConceptComparison]:
        return self.compared.page(self.compared.summary.only_a, first, after)

    @strawberry.field(
        description=f"The concepts only group b reports, by label: the first `first` (default {LIST_FIRST}) after "
        "the concept `after`."
    )
    def only_b(self, first: int = LIST_FIRST, after: str | None = None) -> list[ConceptComparison]:
        return self.compared.page(self.compared.summary.only_b, first, after)

    @strawberry.field(
        description=f"The studies of group a, by IRI: the first `first` (default {LIST_FIRST}) after the study `after`."
    )
    async def studies_a(self, info: strawberry.Info, first: int = LIST_FIRST, after: str | None = None) -> list[StudyT]:
        return await self._studies(info, self.compared.summary.studies_a, first, after)

    @strawberry.field(
        description=f"The studies of group b, by IRI: the first `first` (default {LIST_FIRST}) after the study `after`."
    )
    async def studies_b(self, info: strawberry.Info, first: int = LIST_FIRST, after: str | None = None) -> list[StudyT]:
        return await self._studies(info, self.compared.summary.studies_b, first, after)

    @staticmethod
    async def _studies(info: strawberry.Info, iris: list[str], first: int, after: str | None) -> list[Any]:
        from api.graphql.types.study import Study

        start = checked_iri("study", after) if after is not None else None
        return await rel.objects(info, kgcompare.page(iris, limit(first), start), Study, light=rel.labels_only(info))

"""Study: a publication or report (the source paper, or a study its literature review tabulates)."""

from __future__ import annotations

import strawberry

from api.graphql.loaders import Props
from api.graphql.resolvers import relations as rel
from api.graphql.types import base as b
from api.graphql.types.refs import (
    ClaimT,
    CountryT,
    DimensionT,
    EvidenceT,
    FocusT,
    InterpretationT,
    MentionT,
    MethodT,
    PurposeT,
    RecommendationT,
    ReferenceT,
    RegionT,
    RelationT,
    StatisticT,
    StudyT,
)


@strawberry.type(description="The mentions a study reports in one dimension.")
class DimensionMentions:
    dimension: DimensionT
    mentions: list[MentionT]


@strawberry.type(
    description="A publication or report that investigates and reports factors of government social media use."
)
class Study(b.Node):
    label: str | None
    title: str | None
    authors: str | None
    year: int | None = strawberry.field(description="The year of publication (from dcterms:issued).")
    issued: str | None
    available: str | None = strawberry.field(description="When it became available online, if recorded.")
    venue: str | None
    publisher: str | None
    doi: str | None = strawberry.field(description="The DOI, only where the source prints one.")
    volume: str | None
    issue: str | None
    pages: str | None
    citation: str | None
    subjects: list[str]
    table_label: str | None = strawberry.field(description="How the reviewing paper's Table 1 names the study.")
    table_row: int | None = strawberry.field(description="The study's row in the reviewing paper's Table 1.")
    inconsistency_notes: list[str]
    _p: strawberry.Private[Props]

    @classmethod
    def from_props(cls, iri: str, p: Props) -> Study:
        """Build from the node's properties."""
        issued = b.text(p, b.ISSUED)
        year = int(issued[:4]) if issued and issued[:4].isdigit() else None
        return cls(
            id=strawberry.ID(iri),
            iri=iri,
            label=b.text(p, b.LABEL),
            title=b.text(p, b.TITLE),
            authors=b.text(p, b.egov("authors")),
            year=year,
            issued=issued,
            available=b.text(p, b.AVAILABLE),
            venue=b.text(p, b.egov("venue")),
            publisher=b.text(p, b.PUBLISHER),
            doi=b.text(p, b.DOI),
            volume=b.text(p, b.VOLUME),
            issue=b.text(p, b.ISSUE),
            pages=b.text(p, b.PAGES),
            citation=b.text(p, b.CITATION),
            subjects=b.texts(p, b.SUBJECT),
            table_label=b.text(p, b.egov("tableLabel")),
            table_row=b.integer(p, b.egov("tableRow")),
            inconsistency_notes=b.texts(p, b.egov("inconsistencyNote")),
            _p=p,
        )

    @strawberry.field(description="The kind of social media the study focuses on.")
    async def research_focus(self, info: strawberry.Info) -> FocusT | None:
        from api.graphql.types.focus import ResearchFocus

        return await rel.obj(info, b.text(self._p, b.egov("researchFocus")), ResearchFocus)

    @strawberry.field(description="The purposes of government social media use the study considers.")
    async def purposes(self, info: strawberry.Info) -> list[PurposeT]:
        from api.graphql.types.purpose import Purpose

        return await rel.objects(info, b.iris(self._p, b.egov("purpose")), Purpose)

    @strawberry.field(description="The countries whose governments the study examines (a curators' interpretation).")
    async def countries(self, info: strawberry.Info) -> list[CountryT]:
        from api.graphql.types.country import Country

        return await rel.objects(info, b.iris(self._p, b.egov("country")), Country)

    @strawberry.field(description="The regions the study is grouped under for comparison (a curators' interpretation).")
    async def regions(self, info: strawberry.Info) -> list[RegionT]:
        from api.graphql.types.region import Region

        return await rel.objects(info, b.iris(self._p, b.egov("region")), Region)

    @strawberry.field(
        description="The factor mentions the study reports, optionally only those of one dimension or role "
        "(IRI or key)."
    )
    async def mentions(
        self, info: strawberry.Info, dimension: str | None = None, role: str | None = None
    ) -> list[MentionT]:
        from api.graphql.types.mention import FactorMention

        found = await rel.objects(info, b.iris(self._p, b.egov("reportsFactor")), FactorMention)
        return FactorMention.filter(found, dimension=dimension, role=role)

    @strawberry.field(
        description="The study's factor mentions grouped by dimension, in the paper's order of dimensions."
    )
    async def mentions_by_dimension(self, info: strawberry.Info) -> list[DimensionMentions]:
        from api.graphql.types.dimension import Dimension
        from api.graphql.types.mention import FactorMention

        found = await rel.objects(info, b.iris(self._p, b.egov("reportsFactor")), FactorMention)
        dims = await rel.objects(info, sorted({m.dimension_iri for m in found if m.dimension_iri}), Dimension)
        dims.sort(key=lambda d: (d.order if d.order is not None else 99, d.iri))
        return [DimensionMentions(dimension=d, mentions=[m for m in found if m.dimension_iri == d.iri]) for d in dims]

    @strawberry.field(description="The methods the study applies.")
    async def methods(self, info: strawberry.Info) -> list[MethodT]:
        from api.graphql.types.method import Method

        return await rel.objects(info, b.iris(self._p, b.egov("usesMethod")), Method)

    @strawberry.field(description="The statistics the study reports.")
    async def statistics(self, info: strawberry.Info) -> list[StatisticT]:
        from api.graphql.types.statistic import Statistic

        return await rel.objects(info, b.iris(self._p, b.egov("reportsStatistic")), Statistic)

    @strawberry.field(description="The claims (conclusions) the study states.")
    async def claims(self, info: strawberry.Info) -> list[ClaimT]:
        from api.graphql.types.claim import Claim

        return await rel.objects(info, b.iris(self._p, b.egov("makesClaim")), Claim)

    @strawberry.field(description="The recommendations the study makes.")
    async def recommendations(self, info: strawberry.Info) -> list[RecommendationT]:
        from api.graphql.types.recommendation import Recommendation

        return await rel.objects(info, b.iris(self._p, b.egov("makesRecommendation")), Recommendation)

    @strawberry.field(description="The evidence (quotes and passages) taken from the study.")
    async def evidence(self, info: strawberry.Info) -> list[EvidenceT]:
        from api.graphql.types.evidence import Evidence

        return await rel.objects(info, await rel.inverse(info, self.iri, b.DERIVED_FROM), Evidence, only="Evidence")

    @strawberry.field(description="The relations between factors that the study states.")
    async def factor_relations(self, info: strawberry.Info) -> list[RelationT]:
        from api.graphql.types.relation import FactorRelation

        subjects = await rel.inverse(info, self.iri, b.DERIVED_FROM)
        return await rel.objects(info, subjects, FactorRelation, only="FactorRelation")

    @strawberry.field(description="The earlier studies this study reviews.")
    async def reviews(self, info: strawberry.Info) -> list[StudyT]:
        return await rel.objects(info, b.iris(self._p, b.egov("reviews")), Study)

    @strawberry.field(description="The studies that review this one.")
    async def reviewed_by(self, info: strawberry.Info) -> list[StudyT]:
        return await rel.objects(info, await rel.inverse(info, self.iri, b.egov("reviews")), Study)

    @strawberry.field(description="Other publications the study cites (sources of statistics and methods).")
    async def references(self, info: strawberry.Info) -> list[ReferenceT]:
        from api.graphql.types.reference import Reference

        return await rel.objects(info, b.iris(self._p, b.REFERENCES), Reference)

    @strawberry.field(description="The curators' interpretations about the study, such as its country.")
    async def interpretations(self, info: strawberry.Info) -> list[InterpretationT]:
        from api.graphql.types.interpretation import Interpretation

        return await rel.objects(info, b.iris(self._p, b.egov("interpretation")), Interpretation)

"""Mutation suite: broken variants of the real shipped data must each be rejected with exactly the expected results.

Each mutation edits the parsed sources (one named graph per file, as ``kg.sources.load_sources`` gives them),
validates with ``kg.validate.validate_dataset`` exactly as the build does, and compares the set of
(focus node, path, constraint component, source shape) read from the results graph with the expected set.
Every edit is undone afterwards, so the mutations share one parse of the sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Literal, Namespace
from rdflib.namespace import DCTERMS, PROV
from shape_results import Editor, Inverse, Key, describe, key, result_keys

from kg import sources
from kg.namespaces import BIBO, CONCEPT, DIMENSION, EGOV, GRAPH, ID, MENTION, PLACE, POLARITY, ROLE, SCHEME, STUDY
from kg.validate import validate_dataset

EV = Namespace(f"{ID}evidence/")
INTERP = Namespace(f"{ID}interpretation/")
STAT = Namespace(f"{ID}statistic/")
CLAIM = Namespace(f"{ID}claim/")
REC = Namespace(f"{ID}recommendation/")
REL = Namespace(f"{ID}relation/")
METHOD = Namespace(f"{ID}method/")
FOCUS = Namespace(f"{ID}focus/")
PURPOSE = Namespace(f"{ID}purpose/")
RTYPE = Namespace(f"{ID}relation-type/")

# Nodes the mutations edit (all exist in the shipped data; a test checks that).
DIGITAL_DIVIDE = MENTION["zheng-2013.digital-divide"]  # Table 2, external challenge
LACK_OF_FUNDS = MENTION["zheng-2013.lack-of-funds"]  # Table 2, internal weakness
SOCIAL_READINESS = MENTION["bertot-2010.social-readiness"]  # Table 1, issue
ACCESSIBILITY = MENTION["ctg-2009.accessibility"]  # Table 1, issue
TECH_READINESS = MENTION["bertot-2010.technology-readiness"]
Q422 = EV["zheng-2013.q422"]  # interview quote
USERS_2012 = STAT["zheng-2013.microblog-users-2012"]
WAVE_3 = METHOD["zheng-2013.interviews.wave-3"]
FUNDS_REL = REL["zheng-2013.funds-depend-on-leadership"]


@dataclass(frozen=True)
class Mutation:
    """A named edit of the shipped data and the results it must produce."""

    id: str
    edit: Callable[[Editor], None]
    expected: Callable[[Editor], set[Key]]


def _fixed(*keys: Key) -> Callable[[Editor], set[Key]]:
    return lambda _ed: set(keys)


def _add_dimension(ed: Editor) -> None:
    d = DIMENSION["cultural"]
    g = GRAPH.ontology
    for p, o in [(RDF.type, EGOV.Dimension), (SKOS.inScheme, SCHEME.dimensions), (SKOS.topConceptOf, SCHEME.dimensions),
                 (SKOS.prefLabel, Literal("Cultural", lang="en")), (SKOS.notation, Literal("6")),
                 (SKOS.definition, Literal("A dimension of factors that arise from culture.", lang="en")),
                 (EGOV.table1Heading, Literal("Cultural", lang="en")),
                 (EGOV.table2Heading, Literal("Cultural", lang="en"))]:
        ed.add(d, p, o, graph=g)


def _mention_without_study(ed: Editor) -> None:
    ed.remove(TECH_READINESS, EGOV.reportedIn, None)
    ed.remove(None, EGOV.reportsFactor, TECH_READINESS)


def _funding_outside_scheme(ed: Editor) -> None:
    ed.set(CONCEPT.funding, SKOS.inScheme, SCHEME.dimensions)


def _mentions_of_funding(ed: Editor) -> set[Key]:
    aligned = ed.subjects(EGOV.concept, CONCEPT.funding)
    assert aligned, "the shipped data aligns some mention to fc:funding"
    return {key(m, EGOV.concept, "Node", "FactorMentionShape-concept") for m in aligned} | {
        key(CONCEPT.funding, SKOS.inScheme, "HasValue", "FactorConceptShape-inScheme")}


def _remove_justification(ed: Editor) -> None:
    ed.remove(INTERP["zheng-2013.digital-divide"], EGOV.justification, None)


def _blank_justification(ed: Editor) -> None:
    ed.set(INTERP["zheng-2013.digital-divide"], EGOV.justification, Literal("   ", lang="en"))


def _unattributed_interpretation(ed: Editor) -> None:
    ed.remove(INTERP["zheng-2013.digital-divide"], PROV.wasAttributedTo, None)


MUTATIONS = [
    # dimension
    Mutation("dimension-missing", lambda ed: ed.remove(DIGITAL_DIVIDE, EGOV.dimension, None),
             _fixed(key(DIGITAL_DIVIDE, EGOV.dimension, "MinCount", "FactorMentionShape-dimension"))),
    Mutation("dimension-doubled", lambda ed: ed.add(SOCIAL_READINESS, EGOV.dimension, DIMENSION.information),
             _fixed(key(SOCIAL_READINESS, EGOV.dimension, "MaxCount", "FactorMentionShape-dimension"))),
    Mutation("dimension-unknown", lambda ed: ed.set(SOCIAL_READINESS, EGOV.dimension, DIMENSION.economic),
             _fixed(key(SOCIAL_READINESS, EGOV.dimension, "In", "FactorMentionShape-dimension"))),
    Mutation("sixth-dimension-declared", _add_dimension,
             _fixed(key(DIMENSION.cultural, None, "In", "DimensionShape"))),
    # role and polarity
    Mutation("role-unknown", lambda ed: ed.set(ACCESSIBILITY, EGOV.role, ROLE.neutral),
             _fixed(key(ACCESSIBILITY, EGOV.role, "In", "FactorMentionShape-role"))),
    Mutation("role-doubled", lambda ed: ed.add(ACCESSIBILITY, EGOV.role, ROLE["external-driver"]),
             _fixed(key(ACCESSIBILITY, EGOV.role, "MaxCount", "FactorMentionShape-role"),
                    key(ACCESSIBILITY, EGOV.polarity, "MinCount", "PolarRoleMentionShape-polarity"))),
    Mutation("polarity-contradicts-role", lambda ed: ed.set(LACK_OF_FUNDS, EGOV.polarity, POLARITY.external),
             _fixed(key(LACK_OF_FUNDS, EGOV.polarity, "SPARQL", "StatedPolarityShape"))),
    Mutation("polarity-on-issue", lambda ed: ed.add(ACCESSIBILITY, EGOV.polarity, POLARITY.external),
             _fixed(key(ACCESSIBILITY, EGOV.polarity, "SPARQL", "StatedPolarityShape"))),
    Mutation("polarity-missing-for-polar-role", lambda ed: ed.remove(DIGITAL_DIVIDE, EGOV.polarity, None),
             _fixed(key(DIGITAL_DIVIDE, EGOV.polarity, "MinCount", "PolarRoleMentionShape-polarity"))),
    Mutation("role-given-second-polarity",
             lambda ed: ed.add(ROLE["internal-strength"], EGOV.rolePolarity, POLARITY.external, graph=GRAPH.ontology),
             lambda ed: {key(ROLE["internal-strength"], EGOV.rolePolarity, "MaxCount", "RoleShape-rolePolarity")} | {
                 key(m, EGOV.polarity, "SPARQL", "StatedPolarityShape")
                 for m in ed.subjects(EGOV.role, ROLE["internal-strength"])}),
    # mention and study
    Mutation("mention-without-study", _mention_without_study,
             _fixed(key(TECH_READINESS, EGOV.reportedIn, "MinCount", "FactorMentionShape-reportedIn"))),
    Mutation("mention-listed-by-two-studies",
             lambda ed: ed.add(STUDY["hci-2010"], EGOV.reportsFactor, ACCESSIBILITY),
             _fixed(key(STUDY["hci-2010"], Inverse(EGOV.reportedIn), "Equals", "StudyShape-mentionsAgree"))),
    Mutation("mention-reported-in-two-studies",
             lambda ed: ed.add(ACCESSIBILITY, EGOV.reportedIn, STUDY["hci-2010"]),
             _fixed(key(ACCESSIBILITY, EGOV.reportedIn, "MaxCount", "FactorMentionShape-reportedIn"),
                    key(STUDY["hci-2010"], Inverse(EGOV.reportedIn), "Equals", "StudyShape-mentionsAgree"))),
    Mutation("mention-not-listed-by-its-study",
             lambda ed: ed.remove(STUDY["bertot-2010"], EGOV.reportsFactor, TECH_READINESS),
             _fixed(key(STUDY["bertot-2010"], Inverse(EGOV.reportedIn), "Equals", "StudyShape-mentionsAgree"))),
    Mutation("mention-without-concept", lambda ed: ed.remove(SOCIAL_READINESS, EGOV.concept, None),
             _fixed(key(SOCIAL_READINESS, EGOV.concept, "MinCount", "FactorMentionShape-concept"))),
    Mutation("concept-from-another-scheme", lambda ed: ed.set(SOCIAL_READINESS, EGOV.concept, DIMENSION.information),
             _fixed(key(SOCIAL_READINESS, EGOV.concept, "Class", "FactorMentionShape-concept"),
                    key(SOCIAL_READINESS, EGOV.concept, "Node", "FactorMentionShape-concept"))),
    Mutation("concept-moved-out-of-factor-scheme", _funding_outside_scheme, _mentions_of_funding),
    Mutation("table1-mention-without-cell", lambda ed: ed.remove(ACCESSIBILITY, EGOV.tableCell, None),
             _fixed(key(ACCESSIBILITY, EGOV.tableCell, "MinCount", "Table1MentionShape-tableCell"))),
    Mutation("table2-mention-without-evidence", lambda ed: ed.remove(DIGITAL_DIVIDE, EGOV.evidence, None),
             _fixed(key(DIGITAL_DIVIDE, EGOV.evidence, "MinCount", "Table2MentionShape-evidence"))),
    Mutation("mention-section-malformed", lambda ed: ed.set(DIGITAL_DIVIDE, EGOV.section, Literal("4.2.1.")),
             _fixed(key(DIGITAL_DIVIDE, EGOV.section, "Pattern", "FactorMentionShape-section"))),
    # interpretation
    Mutation("interpretation-without-justification", _remove_justification,
             _fixed(key(INTERP["zheng-2013.digital-divide"], EGOV.justification, "MinCount",
                        "InterpretationShape-justification"),
                    key(DIGITAL_DIVIDE, EGOV.interpretation, "QualifiedMinCount",
                        "FactorMentionShape-conceptInterpretation"))),
    Mutation("interpretation-blank-justification", _blank_justification,
             _fixed(key(INTERP["zheng-2013.digital-divide"], EGOV.justification, "Pattern",
                        "InterpretationShape-justification"),
                    key(DIGITAL_DIVIDE, EGOV.interpretation, "QualifiedMinCount",
                        "FactorMentionShape-conceptInterpretation"))),
    Mutation("interpretation-not-attributed", _unattributed_interpretation,
             _fixed(key(INTERP["zheng-2013.digital-divide"], PROV.wasAttributedTo, "MinCount",
                        "InterpretationShape-attributedTo"),
                    key(DIGITAL_DIVIDE, EGOV.interpretation, "QualifiedMinCount",
                        "FactorMentionShape-conceptInterpretation"))),
    # study
    Mutation("doi-malformed", lambda ed: ed.set(STUDY["bertot-2012"], BIBO.doi,
                                                Literal("https://doi.org/10.1016/j.giq.2011.04.004")),
             _fixed(key(STUDY["bertot-2012"], BIBO.doi, "Pattern", "StudyShape-doi"))),
    Mutation("doi-doubled", lambda ed: ed.add(STUDY["bertot-2012"], BIBO.doi, Literal("10.1016/j.giq.2011.04.005")),
             _fixed(key(STUDY["bertot-2012"], BIBO.doi, "MaxCount", "StudyShape-doi"))),
    Mutation("year-out-of-range", lambda ed: ed.set(STUDY["zheng-2013"], DCTERMS.issued,
                                                    Literal("1899", datatype=XSD.gYear)),
             _fixed(key(STUDY["zheng-2013"], DCTERMS.issued, "Pattern", "StudyShape-issued"))),
    Mutation("year-not-a-gyear", lambda ed: ed.set(STUDY["zheng-2013"], DCTERMS.issued, Literal("2013")),
             _fixed(key(STUDY["zheng-2013"], DCTERMS.issued, "Datatype", "StudyShape-issued"))),
    Mutation("year-missing", lambda ed: ed.remove(STUDY["li-2010"], DCTERMS.issued, None),
             _fixed(key(STUDY["li-2010"], DCTERMS.issued, "MinCount", "StudyShape-issued"))),
    Mutation("research-focus-unknown", lambda ed: ed.set(STUDY["li-2010"], EGOV.researchFocus, FOCUS.podcasts),
             _fixed(key(STUDY["li-2010"], EGOV.researchFocus, "Class", "StudyShape-researchFocus"))),
    Mutation("purpose-unknown", lambda ed: ed.add(STUDY["li-2010"], EGOV.purpose, PURPOSE.entertainment),
             _fixed(key(STUDY["li-2010"], EGOV.purpose, "Class", "StudyShape-purpose"))),
    Mutation("study-without-place", lambda ed: ed.remove(STUDY["ctg-2009"], EGOV.region, None),
             _fixed(key(STUDY["ctg-2009"], None, "Or", "StudyShape"),
                    key(STUDY["ctg-2009"], EGOV.region, "SPARQL", "StudyShape"))),
    Mutation("place-without-interpretation",
             lambda ed: ed.remove(STUDY["zheng-2013"], EGOV.interpretation, INTERP["zheng-2013.place"]),
             _fixed(key(STUDY["zheng-2013"], EGOV.country, "SPARQL", "StudyShape"),
                    key(INTERP["zheng-2013.place"], Inverse(EGOV.interpretation), "MinCount",
                        "InterpretationShape-interprets"))),
    Mutation("table-row-duplicated", lambda ed: ed.set(STUDY["hci-2010"], EGOV.tableRow, Literal(1)),
             _fixed(key(Literal(1), Inverse(EGOV.tableRow), "MaxCount", "TableRowShape-study"))),
    Mutation("table-study-not-reviewed", lambda ed: ed.remove(STUDY["zheng-2013"], EGOV.reviews, STUDY["li-2010"]),
             _fixed(key(STUDY["li-2010"], Inverse(EGOV.reviews), "MinCount", "ReviewedStudyShape-reviewedBy"))),
    # evidence
    Mutation("quote-empty", lambda ed: ed.set(Q422, EGOV.quote, Literal("", lang="en")),
             _fixed(key(Q422, EGOV.quote, "Pattern", "EvidenceShape-quote"))),
    Mutation("quote-without-section", lambda ed: ed.remove(Q422, EGOV.section, None),
             _fixed(key(Q422, EGOV.section, "MinCount", "EvidenceShape-section"))),
    Mutation("interview-without-speaker", lambda ed: ed.remove(Q422, EGOV.speaker, None),
             _fixed(key(Q422, EGOV.speaker, "MinCount", "InterviewEvidenceShape-speaker"))),
    Mutation("evidence-kind-unknown", lambda ed: ed.set(Q422, EGOV.evidenceKind, Literal("survey")),
             _fixed(key(Q422, EGOV.evidenceKind, "In", "EvidenceShape-evidenceKind"))),
    # statistic
    Mutation("statistic-without-source", lambda ed: ed.remove(USERS_2012, EGOV.citedSource, None),
             _fixed(key(USERS_2012, EGOV.citedSource, "MinCount", "StatisticShape-citedSource"))),
    Mutation("statistic-without-unit", lambda ed: ed.remove(USERS_2012, EGOV.unit, None),
             _fixed(key(USERS_2012, EGOV.unit, "MinCount", "StatisticShape-unit"))),
    Mutation("statistic-without-value", lambda ed: ed.remove(USERS_2012, EGOV.value, None),
             _fixed(key(USERS_2012, EGOV.value, "MinCount", "StatisticShape-value"))),
    Mutation("statistic-value-not-decimal", lambda ed: ed.set(USERS_2012, EGOV.value, Literal("309 million")),
             _fixed(key(USERS_2012, EGOV.value, "Datatype", "StatisticShape-value"))),
    Mutation("statistic-not-listed-by-study",
             lambda ed: ed.remove(STUDY["zheng-2013"], EGOV.reportsStatistic, USERS_2012),
             _fixed(key(USERS_2012, Inverse(EGOV.reportsStatistic), "Equals", "StatisticShape-listedByStudy"))),
    # claim, recommendation, relation
    Mutation("claim-without-description",
             lambda ed: ed.remove(CLAIM["zheng-2013.incompatibility"], DCTERMS.description, None),
             _fixed(key(CLAIM["zheng-2013.incompatibility"], DCTERMS.description, "MinCount",
                        "ClaimShape-description"))),
    Mutation("unique-finding-concept-not-of-its-factor",
             lambda ed: ed.set(CLAIM["zheng-2013.unique-water-army"], EGOV.concernsConcept, CONCEPT.funding),
             _fixed(key(CLAIM["zheng-2013.unique-water-army"], EGOV.concernsConcept, "SPARQL",
                        "UniqueFindingClaimShape"))),
    Mutation("recommendation-addresses-non-mention",
             lambda ed: ed.add(REC["zheng-2013.restore-trust"], EGOV.addresses, Q422),
             _fixed(key(REC["zheng-2013.restore-trust"], EGOV.addresses, "Class", "RecommendationShape-addresses"),
                    key(REC["zheng-2013.restore-trust"], EGOV.addresses, "SPARQL", "RecommendationShape"))),
    Mutation("recommendation-addresses-other-studys-mention",
             lambda ed: ed.add(REC["zheng-2013.restore-trust"], EGOV.addresses, ACCESSIBILITY),
             _fixed(key(REC["zheng-2013.restore-trust"], EGOV.addresses, "SPARQL", "RecommendationShape"))),
    Mutation("relation-type-unknown", lambda ed: ed.set(FUNDS_REL, EGOV.relationType, RTYPE.enables),
             _fixed(key(FUNDS_REL, EGOV.relationType, "Class", "FactorRelationShape-relationType"))),
    Mutation("relation-to-other-studys-mention", lambda ed: ed.set(FUNDS_REL, EGOV.toFactor, ACCESSIBILITY),
             _fixed(key(FUNDS_REL, EGOV.toFactor, "SPARQL", "FactorRelationShape"))),
    # concept hierarchy
    Mutation("broader-cycle", lambda ed: ed.add(CONCEPT.resources, SKOS.broader, CONCEPT.funding),
             _fixed(key(CONCEPT.resources, SKOS.broader, "SPARQL", "BroaderHierarchyShape"),
                    key(CONCEPT.funding, SKOS.broader, "SPARQL", "BroaderHierarchyShape"),
                    key(CONCEPT.resources, None, "Xone", "FactorConceptShape"))),
    Mutation("broader-outside-scheme", lambda ed: ed.add(CONCEPT.funding, SKOS.broader, DIMENSION.information),
             _fixed(key(CONCEPT.funding, SKOS.broader, "Class", "FactorConceptShape-broader"),
                    key(CONCEPT.funding, SKOS.broader, "Node", "FactorConceptShape-broader"))),
    # fieldwork and places
    Mutation("late-fieldwork-not-flagged", lambda ed: ed.remove(WAVE_3, EGOV.inconsistencyNote, None),
             _fixed(key(WAVE_3, EGOV.endDate, "SPARQL", "FieldworkShape"))),
    Mutation("fieldwork-starts-after-it-ends",
             lambda ed: ed.set(WAVE_3, EGOV.startDate, Literal("2014-01", datatype=XSD.gYearMonth)),
             _fixed(key(WAVE_3, EGOV.endDate, "SPARQL", "FieldworkShape"))),
    Mutation("country-code-malformed", lambda ed: ed.set(PLACE.china, SKOS.notation, Literal("CHN")),
             _fixed(key(PLACE.china, SKOS.notation, "Pattern", "CountryShape-notation"))),
    Mutation("country-also-typed-region", lambda ed: ed.add(PLACE.mexico, RDF.type, EGOV.Region),
             lambda ed: {key(PLACE.mexico, None, "Not", "CountryShape"),
                         key(PLACE.mexico, PROV.wasAttributedTo, "MinCount", "RegionShape-attributedTo")}),
    Mutation("study-label-missing", lambda ed: ed.remove(STUDY["qu-2011"], RDFS.label, None),
             _fixed(key(STUDY["qu-2011"], RDFS.label, "MinCount", "StudyShape-label"))),
]


def _size(src: sources.Sources) -> int:
    return sum(1 for _ in src.dataset.quads((None, None, None, None)))


@pytest.fixture(scope="module")
def shipped() -> Iterator[sources.Sources]:
    """The shipped sources, parsed once; each mutation edits and restores them."""
    yield sources.load_sources()


def test_suite_is_large_enough() -> None:
    assert len(MUTATIONS) >= 30, f"the issue asks for at least 30 mutations, found {len(MUTATIONS)}"
    ids = [m.id for m in MUTATIONS]
    assert len(ids) == len(set(ids)), "mutation ids are unique"


def test_shipped_data_conforms(shipped: sources.Sources) -> None:
    report = validate_dataset(shipped.dataset, shipped.files)
    assert report.conforms, f"the shipped data must conform to the shapes:\n{report.text()}"


def test_edited_nodes_exist(shipped: sources.Sources) -> None:
    """The nodes the mutations edit are in the shipped data, so a mutation cannot silently edit nothing."""
    ds = shipped.dataset
    for node in [DIGITAL_DIVIDE, LACK_OF_FUNDS, SOCIAL_READINESS, ACCESSIBILITY, TECH_READINESS, Q422, USERS_2012,
                 WAVE_3, FUNDS_REL, INTERP["zheng-2013.digital-divide"], CLAIM["zheng-2013.incompatibility"],
                 REC["zheng-2013.restore-trust"], CONCEPT.funding, CONCEPT.resources]:
        assert any(True for _ in ds.quads((node, RDF.type, None, None))), f"{node} is not in the shipped data"


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_is_rejected(shipped: sources.Sources, mutation: Mutation) -> None:
    ed = Editor(shipped.dataset)
    before = _size(shipped)
    try:
        mutation.edit(ed)
        assert ed.log, f"mutation {mutation.id} changed nothing"
        expected = mutation.expected(ed)
        report = validate_dataset(shipped.dataset, shipped.files)
    finally:
        ed.undo()
    assert _size(shipped) == before, f"{mutation.id}: undo did not restore the dataset"
    found = result_keys(report.graph)
    assert not report.conforms, f"{mutation.id}: the broken data was accepted"
    assert found == expected, (f"{mutation.id}: results differ\nexpected:\n{describe(expected)}"
                               f"\nfound:\n{describe(found)}\nmissing:\n{describe(expected - found)}"
                               f"\nunexpected:\n{describe(found - expected)}")

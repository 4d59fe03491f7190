"""An OWL 2 RL reasoner (owlrl) finds the ontology + data consistent and derives polarity from role.

``egov:polarity`` has ``owl:propertyChainAxiom (egov:role egov:rolePolarity)``, and ``egov:ExternalFactorMention`` /
``egov:InternalFactorMention`` are ``owl:hasValue`` restrictions on it, so the reasoner must give back, from role
alone, every polarity the data states, and the class membership that follows.
"""

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from kg import sources
from kg.namespaces import EGOV, MENTION, POLARITY, ROLE


def kg_graph() -> Graph:
    """Ontology + data (every named graph) as one graph, freshly parsed from the sources."""
    g = Graph()
    for s, p, o, _ in sources.load_sources().dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def closure(g: Graph, semantics: type) -> Graph:
    """The deductive closure of a copy of ``g`` under ``semantics``."""
    h = Graph()
    for t in g:
        h.add(t)
    owlrl.DeductiveClosure(semantics).expand(h)
    return h


def inconsistencies(g: Graph) -> list[str]:
    """What the reasoner found inconsistent: its error messages and any member of owl:Nothing."""
    errors = [str(g.value(e, ERRNS.error)) for e in g.subjects(RDF.type, ERRNS.ErrorMessage)]
    return errors + [f"{s} is a member of owl:Nothing" for s in g.subjects(RDF.type, OWL.Nothing)]


def table2_mentions(g: Graph) -> list[URIRef]:
    return sorted(m for m in g.subjects(EGOV.table, Literal("Table 2")) if isinstance(m, URIRef))


@pytest.fixture(scope="module")
def asserted() -> Graph:
    return kg_graph()


@pytest.mark.parametrize("semantics", [owlrl.OWLRL_Semantics, owlrl.RDFS_OWLRL_Semantics],
                         ids=["OWLRL", "RDFS_OWLRL"])
def test_ontology_and_data_are_consistent(asserted: Graph, semantics: type) -> None:
    found = inconsistencies(closure(asserted, semantics))
    assert not found, "the reasoner finds the ontology + data inconsistent:\n" + "\n".join(found)


def test_reasoner_detects_polarity_contradicting_role(asserted: Graph) -> None:
    # A negative control: without it, a reasoner that never reports anything would pass the test above.
    broken = Graph()
    for t in asserted:
        broken.add(t)
    mention = MENTION["zheng-2013.digital-divide"]
    assert (mention, EGOV.role, ROLE["external-challenge"]) in broken, (
        "fixture: digital divide is an external challenge")
    broken.set((mention, EGOV.polarity, POLARITY.internal))
    found = inconsistencies(closure(broken, owlrl.OWLRL_Semantics))
    assert any("Disjoint classes" in f and str(mention) in f for f in found), (
        "an external challenge stated to have internal polarity must make the mention a member of both disjoint "
        f"classes External/InternalFactorMention; the reasoner reported {found[:3]}")


@pytest.fixture(scope="module")
def derived(asserted: Graph) -> tuple[dict[URIRef, URIRef], Graph]:
    """The polarity each mention states, and the closure of the KG with every egov:polarity triple removed."""
    stated = {m: o for m, o in asserted.subject_objects(EGOV.polarity) if isinstance(m, URIRef)}
    stripped = Graph()
    for t in asserted:
        if t[1] != EGOV.polarity:
            stripped.add(t)
    assert not list(stripped.triples((None, EGOV.polarity, None))), "every egov:polarity triple must be removed"
    return stated, closure(stripped, owlrl.OWLRL_Semantics)


def test_polarity_is_derived_from_role(derived: tuple[dict[URIRef, URIRef], Graph], asserted: Graph) -> None:
    stated, g = derived
    mentions = table2_mentions(asserted)
    assert len(mentions) == 18, f"the paper's Table 2 has 18 factors, the KG has {len(mentions)}"
    wrong = []
    for m in mentions:
        assert m in stated, f"{m} states no polarity in the data, so there is nothing to compare with"
        got = set(g.objects(m, EGOV.polarity))
        if got != {stated[m]}:
            wrong.append(f"{m}: stated {stated[m]}, derived {sorted(map(str, got))}")
    assert not wrong, "polarity derived from role differs from the polarity stated:\n" + "\n".join(wrong)


def test_every_stated_polarity_is_derived(derived: tuple[dict[URIRef, URIRef], Graph]) -> None:
    stated, g = derived
    assert stated, "the data states no polarity at all"
    missing = [f"{m}: {p}" for m, p in stated.items() if (m, EGOV.polarity, p) not in g]
    assert not missing, "stated polarities the reasoner does not derive from role:\n" + "\n".join(missing)


def test_issue_role_gets_no_polarity(derived: tuple[dict[URIRef, URIRef], Graph]) -> None:
    _, g = derived
    issues = list(g.subjects(EGOV.role, ROLE.issue))
    assert issues, "expected Table 1 mentions in the role 'issue without polarity'"
    with_polarity = [str(m) for m in issues if (m, EGOV.polarity, None) in g]
    assert not with_polarity, f"issues without polarity were given one: {with_polarity}"


def test_external_and_internal_membership_is_derived(derived: tuple[dict[URIRef, URIRef], Graph],
                                                     asserted: Graph) -> None:
    stated, g = derived
    expected = {POLARITY.external: EGOV.ExternalFactorMention, POLARITY.internal: EGOV.InternalFactorMention}
    for cls in expected.values():
        assert not list(asserted.subjects(RDF.type, cls)), f"the data must not assert {cls}, or nothing is derived"
    wrong = []
    for m in table2_mentions(asserted):
        want = expected[stated[m]]
        got = {c for c in expected.values() if (m, RDF.type, c) in g}
        if got != {want}:
            wrong.append(f"{m}: expected {want}, derived {sorted(map(str, got))}")
    assert not wrong, "External/InternalFactorMention membership not derived as the polarity says:\n" + "\n".join(wrong)
    external = set(g.subjects(RDF.type, EGOV.ExternalFactorMention))
    internal = set(g.subjects(RDF.type, EGOV.InternalFactorMention))
    assert external and internal, "both classes must have derived members"

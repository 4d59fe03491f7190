"""kg.namespaces.EGOV (the closed DefinedNamespace used by the code) lists exactly the terms the ontology defines."""

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.namespaces import EGOV

TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_egov_namespace_matches_ontology(ontology: Graph) -> None:
    ns = str(EGOV._NS)
    in_ontology = {
        str(s)[len(ns):]
        for kind in TERM_KINDS
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(ns)
    }
    in_code = {name for name in EGOV.__annotations__ if not name.startswith("_")}
    assert len(in_ontology) > 50, f"expected the ontology's terms, found {sorted(in_ontology)}"
    assert not in_ontology - in_code, f"terms the ontology defines but EGOV lacks: {sorted(in_ontology - in_code)}"
    missing = sorted(in_code - in_ontology)
    assert not missing, f"terms EGOV lists but the ontology does not define: {missing}"


def test_egov_namespace_is_closed() -> None:
    assert EGOV.Study == URIRef(str(EGOV._NS) + "Study"), "EGOV.Study must expand under the ontology namespace"
    try:
        EGOV.notATerm  # noqa: B018
    except AttributeError:
        return
    raise AssertionError("EGOV must reject unknown terms (_fail = True)")

"""The ontology parses, carries a complete owl:Ontology header, and its imports resolve to the module files."""

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from kg import config
from kg.namespaces import EGOV, ONTOLOGY_IRI

AGGREGATOR = config.ONTOLOGY_DIR / "egovkg.ttl"
MODULE_FILES = sorted((config.ONTOLOGY_DIR / "modules").glob("*.ttl"))

TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def header_problems(g: Graph, iri: URIRef) -> list[str]:
    """What an owl:Ontology header lacks: title, description, licence, creator, versionIRI, versionInfo."""
    problems = []
    for prop in (DCTERMS.title, DCTERMS.description):
        values = list(g.objects(iri, prop))
        if not any(isinstance(v, Literal) and v.language == "en" and str(v).strip() for v in values):
            problems.append(f"no English {prop.n3(g.namespace_manager)}")
    if not any(isinstance(v, URIRef) for v in g.objects(iri, DCTERMS.license)):
        problems.append("no dcterms:license IRI")
    if not any(str(v).strip() for v in g.objects(iri, DCTERMS.creator)):
        problems.append("no dcterms:creator")
    infos = [str(v) for v in g.objects(iri, OWL.versionInfo)]
    version_iris = [v for v in g.objects(iri, OWL.versionIRI) if isinstance(v, URIRef)]
    if len(infos) != 1:
        problems.append(f"expected one owl:versionInfo, found {infos}")
    if len(version_iris) != 1:
        problems.append(f"expected one owl:versionIRI, found {version_iris}")
    elif infos and not str(version_iris[0]).endswith("/" + infos[0]):
        problems.append(f"owl:versionIRI {version_iris[0]} does not end in the versionInfo {infos[0]!r}")
    elif not str(version_iris[0]).startswith(str(iri)):
        problems.append(f"owl:versionIRI {version_iris[0]} is not under the ontology IRI {iri}")
    return problems


def ontology_iris(g: Graph) -> list[URIRef]:
    return [s for s in g.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)]


def test_aggregator_header(aggregator_graph: Graph) -> None:
    assert ontology_iris(aggregator_graph) == [ONTOLOGY_IRI], (
        f"{AGGREGATOR.name} must declare exactly the ontology {ONTOLOGY_IRI}, found {ontology_iris(aggregator_graph)}")
    problems = header_problems(aggregator_graph, ONTOLOGY_IRI)
    assert not problems, f"{AGGREGATOR.name} header: {problems}"


def test_aggregator_defines_no_terms(aggregator_graph: Graph) -> None:
    terms = sorted(s for kind in TERM_KINDS for s in aggregator_graph.subjects(RDF.type, kind))
    assert not terms, f"the aggregator must only import modules, but it defines {terms}"


def test_module_headers(module_graphs: dict[Path, Graph]) -> None:
    for path, g in module_graphs.items():
        iris = ontology_iris(g)
        assert len(iris) == 1, f"{path.name} must declare exactly one owl:Ontology, found {iris}"
        problems = header_problems(g, iris[0])
        assert not problems, f"{path.name} header: {problems}"


def test_imports_resolve_to_module_files(aggregator_graph: Graph, module_graphs: dict[Path, Graph]) -> None:
    imports = set(aggregator_graph.objects(ONTOLOGY_IRI, OWL.imports))
    by_iri = {ontology_iris(g)[0]: path for path, g in module_graphs.items()}
    unresolved = sorted(str(i) for i in imports - by_iri.keys())
    assert not unresolved, f"owl:imports that no file in ontology/modules declares: {unresolved}"
    not_imported = sorted(p.name for i, p in by_iri.items() if i not in imports)
    assert not not_imported, f"module files the aggregator does not import: {not_imported}"
    assert len(imports) == len(MODULE_FILES) >= 3, f"expected one import per module file, got {sorted(imports)}"


def test_terms_are_defined_by_their_module(module_graphs: dict[Path, Graph]) -> None:
    wrong = []
    counted = 0
    for path, g in module_graphs.items():
        module = ontology_iris(g)[0]
        for kind in TERM_KINDS:
            for term in g.subjects(RDF.type, kind):
                if not isinstance(term, URIRef) or not str(term).startswith(str(EGOV._NS)):
                    continue
                counted += 1
                defined_by = set(g.objects(term, RDFS.isDefinedBy))
                if defined_by != {module}:
                    wrong.append(f"{path.name}: {term} rdfs:isDefinedBy {sorted(map(str, defined_by))}")
    assert counted > 50, f"expected the ontology's terms in the modules, found only {counted}"
    assert not wrong, "terms not defined by the module that holds them:\n" + "\n".join(wrong)


def test_every_term_is_declared_in_exactly_one_module(module_graphs: dict[Path, Graph]) -> None:
    seen: dict[URIRef, list[str]] = {}
    for path, g in module_graphs.items():
        for kind in TERM_KINDS:
            for term in g.subjects(RDF.type, kind):
                if isinstance(term, URIRef) and str(term).startswith(str(EGOV._NS)):
                    seen.setdefault(term, []).append(path.name)
    doubled = {str(t): files for t, files in seen.items() if len(set(files)) > 1}
    assert not doubled, f"terms declared in more than one module: {doubled}"

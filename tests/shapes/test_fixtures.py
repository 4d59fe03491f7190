"""Valid and invalid fixtures per node shape (pySHACL's W3C test layout), and the shapes checked against SHACL-SHACL.

``tests/shapes/<Shape>/valid-NNN.ttl`` must conform; ``invalid-NNN.ttl`` must produce exactly the results listed in
``invalid-NNN.report.ttl`` (focus node, path, constraint component, source shape). Each fixture is validated with
the ontology and ``context.ttl``, a minimal conforming study that fixtures refer to.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import OWL, RDF, SH, Graph, URIRef
from shape_results import describe, result_keys

from kg import sources
from kg.namespaces import SHAPES
from kg.validate import shapes_graph, validate_graph

HERE = Path(__file__).parent
CONTEXT = HERE / "context.ttl"
VALID = sorted(HERE.glob("*/valid-[0-9][0-9][0-9].ttl"))
INVALID = sorted(HERE.glob("*/invalid-[0-9][0-9][0-9].ttl"))


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _validate(*paths: Path):
    g = Graph()
    for p in paths:
        sources.parse_turtle(p, into=g)
    return validate_graph(g)


def _targeted_node_shapes() -> set[str]:
    """Local names of the node shapes that select focus nodes themselves (helper shapes are reached through them)."""
    sg = shapes_graph()
    targets = [SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target]
    return {str(s).removeprefix(str(SHAPES)) for s in sg.subjects(RDF.type, SH.NodeShape)
            if any((s, t, None) in sg for t in targets)}


def test_fixtures_were_found() -> None:
    assert VALID, f"no valid fixtures under {HERE}"
    assert INVALID, f"no invalid fixtures under {HERE}"
    for inv in INVALID:
        report = inv.with_name(inv.stem + ".report.ttl")
        assert report.exists(), f"{_case_id(inv)} has no expected report {report.name}"


def test_every_targeted_node_shape_has_fixtures() -> None:
    shapes = _targeted_node_shapes()
    assert len(shapes) >= 20, f"expected a node shape per ontology class, found {sorted(shapes)}"
    with_valid = {p.parent.name for p in VALID}
    with_invalid = {p.parent.name for p in INVALID}
    assert shapes - with_valid == set(), f"node shapes without a valid fixture: {sorted(shapes - with_valid)}"
    assert shapes - with_invalid == set(), f"node shapes without an invalid fixture: {sorted(shapes - with_invalid)}"
    stray = (with_valid | with_invalid) - shapes
    assert stray == set(), f"fixture folders that name no targeted node shape: {sorted(stray)}"


def test_context_conforms() -> None:
    report = _validate(CONTEXT)
    assert report.conforms, f"the shared fixture context must conform:\n{report.text()}"


@pytest.mark.parametrize("path", VALID, ids=[_case_id(p) for p in VALID])
def test_valid_fixture_conforms(path: Path) -> None:
    report = _validate(CONTEXT, path)
    assert report.conforms, f"{_case_id(path)} should conform:\n{report.text()}"


@pytest.mark.parametrize("path", INVALID, ids=[_case_id(p) for p in INVALID])
def test_invalid_fixture_gives_expected_results(path: Path) -> None:
    expected_graph = Graph()
    sources.parse_turtle(path.with_name(path.stem + ".report.ttl"), into=expected_graph)
    expected = result_keys(expected_graph)
    assert expected, f"{_case_id(path)}: the expected report lists no result"
    shape = SHAPES[path.parent.name]
    assert any(k.shape == shape or str(k.shape).startswith(f"{shape}-") for k in expected), (
        f"{_case_id(path)}: the expected report has no result from {path.parent.name} or its property shapes")
    report = _validate(CONTEXT, path)
    found = result_keys(report.graph)
    assert not report.conforms, f"{_case_id(path)} should not conform"
    assert found == expected, (f"{_case_id(path)}: results differ\nexpected:\n{describe(expected)}\n"
                               f"found:\n{describe(found)}")


def test_shapes_conform_to_shacl_shacl() -> None:
    """The shapes graph validates against the W3C SHACL-for-SHACL meta-shapes that pySHACL ships."""
    meta = Graph().parse(str(resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle")
    assert len(meta) > 100, "pySHACL's shacl-shacl.ttl was found and parsed"
    conforms, _, text = shacl_validate(shapes_graph(), shacl_graph=meta, inference="none")
    assert conforms, f"the shapes do not conform to SHACL-SHACL:\n{text}"


def test_shapes_load_with_meta_shacl_option() -> None:
    """pySHACL's own meta_shacl switch accepts the shapes (it raises on malformed shapes)."""
    conforms, _, text = shacl_validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True, advanced=True,
                                       inference="none")
    assert conforms, f"an empty data graph conforms:\n{text}"


def test_every_shape_is_named_and_has_a_message() -> None:
    sg = shapes_graph()
    shapes = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape)) | set(
        sg.objects(None, SH.property)) | set(sg.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(shapes) > 100, f"expected the full shapes graph, found {len(shapes)} shapes"
    blank = [s for s in shapes if not isinstance(s, URIRef)]
    assert blank == [], f"blank-node shapes: {blank}"
    outside = sorted(str(s) for s in shapes if not str(s).startswith(str(SHAPES)))
    assert outside == [], f"shapes outside {SHAPES}: {outside}"
    unnamed = sorted(str(s) for s in shapes if (s, SH.name, None) not in sg)
    assert unnamed == [], f"shapes without sh:name: {unnamed}"
    silent = sorted(str(s) for s in shapes if (s, SH.message, None) not in sg)
    assert silent == [], f"shapes without sh:message: {silent}"


def test_every_ontology_class_has_a_node_shape() -> None:
    from kg.validate import ontology_graph

    og, sg = ontology_graph(), shapes_graph()
    classes = {c for c in og.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    assert len(classes) >= 20, f"expected the ontology's classes, found {len(classes)}"
    targeted = set(sg.objects(None, SH.targetClass))
    assert classes - targeted == set(), f"classes without a node shape: {sorted(map(str, classes - targeted))}"


@pytest.mark.parametrize("name", ["FactorMentionShape", "StatedPolarityShape"])
def test_shapes_work_under_another_base(name: str) -> None:
    """The build can publish under another base: shapes, SPARQL prefixes and data are rebased together."""
    base = "https://kg.example.org/egov/"
    g = Graph()
    for p in (CONTEXT, HERE / name / "invalid-001.ttl"):
        sources.parse_turtle(p, base, into=g)
    report = validate_graph(g, base=base)
    shapes = {k.shape for k in result_keys(report.graph)}
    assert shapes, f"{name}/invalid-001 should not conform under base {base}"
    assert all(str(s).startswith(f"{base}shapes/") for s in shapes), f"shapes were not rebased: {shapes}"
    expected_graph = Graph()
    sources.parse_turtle(HERE / name / "invalid-001.report.ttl", base, into=expected_graph)
    assert result_keys(report.graph) == result_keys(expected_graph), (
        f"{name}/invalid-001 under base {base}:\n{describe(result_keys(report.graph))}")

"""Partitioned validation (a chunk of study graphs at a time) finds exactly what whole-graph validation finds.

The data set: the shipped KG plus synthetic studies, with violations spread across them — some inside one study,
some that tie two studies together (a mention reported in another study, a recommendation addressing another study's
mention), one study that writes about a shared concept, and two studies that share a table row (the one shape checked
on the whole data set). Chunks of three studies, so the studies a violation involves would fall apart if the
partition did not keep them together.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SH
from shape_results import Editor, describe, result_keys
from test_mutations import MUTATIONS, Mutation
from typer.testing import CliRunner

from kg import config, synth
from kg.cli import app
from kg.namespaces import EGOV, SHAPES, STUDY
from kg.sources import Sources, data_files, graph_iri_for, load_sources, parse_turtle
from kg.store import OxigraphStore
from kg.validate import (
    Result,
    dataset_sources,
    file_sources,
    global_shapes,
    inverse_predicates,
    partition,
    shapes_graph,
    validate_data_dir,
    validate_files,
    validate_partitioned,
    validate_store,
)

N = 24
CHUNK = 3

# Turtle appended to synthetic study files (their prefixes are declared at the top of each file).
EDITS = {
    # inside one study: a mention with two more dimensions
    3: "m:synth-000003.m01 egov:dimension dim:information , dim:technological .\n",
    # across studies: a mention of study 5 says it is reported in study 17 (which does not list it)
    5: "m:synth-000005.m01 egov:reportedIn study:synth-000017 .\n",
    # across studies: study 9 lists a mention of study 21 as its own
    9: "study:synth-000009 egov:reportsFactor m:synth-000021.m02 .\n",
    # a study writing about a shared concept: a second preferred label (FactorConceptShape-prefLabel maxCount 1)
    12: 'fc:synth-000001 skos:prefLabel "Another label"@en .\n',
    # two studies in the same row of a literature table, neither reviewed by a study nor labelled for the table
    14: "study:synth-000014 egov:tableRow 99 .\n",
    20: "study:synth-000020 egov:tableRow 99 .\n",
    # a malformed year in one study
    23: 'study:synth-000023 dcterms:issued "19x5"^^xsd:gYear .\n',
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("partitioned")
    synth.write(d, N, seed=7)
    for i, ttl in EDITS.items():
        p = d / "studies" / f"synth-{i:06d}.ttl"
        p.write_text(p.read_text(encoding="utf-8") + "\n" + ttl, encoding="utf-8")
    return d


def _comparable(results: list[Result]) -> Counter[tuple[str | None, ...]]:
    """Every field but the file name (a node described in two files is placed in either)."""
    return Counter((r.severity, r.focus, r.path, r.value, r.message, r.shape, r.component) for r in results)


@pytest.fixture(scope="module")
def whole(data_dir: Path) -> Counter[tuple[str | None, ...]]:
    report = validate_files(data_files(data_dir))
    assert not report.conforms
    return _comparable(report.results)


def test_violations_are_spread_across_studies(whole: Counter[tuple[str | None, ...]]) -> None:
    shapes = {k[5] for k in whole}
    focus = {k[1] for k in whole}
    assert str(SHAPES["TableRowShape-study"]) in shapes, "the two studies sharing a row"
    assert str(SHAPES["StudyShape-mentionsAgree"]) in shapes, "a mention listed by or reported in another study"
    assert str(SHAPES["FactorConceptShape-prefLabel"]) in shapes, "a study writing about a shared concept"
    assert len({f for f in focus if "synth-0000" in f}) >= 7, sorted(focus)


def test_partition_keeps_related_studies_together(data_dir: Path) -> None:
    part = partition(file_sources(data_files() + data_files(data_dir)))
    by_study = {g.where.rsplit("/", 1)[-1]: i for i, grp in enumerate(part.groups) for g in grp}
    assert by_study["synth-000005.ttl"] == by_study["synth-000017.ttl"]
    assert by_study["synth-000009.ttl"] == by_study["synth-000021.ttl"]
    assert by_study["zheng-2013.ttl"] == by_study["bertot-2010.ttl"], "zheng-2013 reviews the studies of its table"
    # the study that writes about a shared concept is validated with the context, in every chunk
    assert "synth-000012.ttl" not in by_study
    assert any(g.where.endswith("synth-000012.ttl") for g in part.context)
    # ... and the others each on their own
    assert by_study["synth-000003.ttl"] != by_study["synth-000023.ttl"]
    assert {(STUDY["synth-000014"], EGOV.tableRow, Literal(99)),
            (STUDY["synth-000020"], EGOV.tableRow, Literal(99))} <= set(part.global_triples)


@pytest.mark.parametrize("jobs", [1, 2])
def test_partitioned_finds_what_whole_graph_finds(data_dir: Path, whole: Counter[tuple[str | None, ...]],
                                                  jobs: int) -> None:
    chunks: list[int] = []
    report = validate_data_dir(data_dir, chunk_size=CHUNK, jobs=jobs, progress=lambda done, total: chunks.append(total))
    assert chunks and chunks[-1] >= N // CHUNK, "validated in many chunks"
    found = _comparable(report.results)
    assert not report.conforms
    assert found == whole, f"missing: {whole - found}\nunexpected: {found - whole}"


def test_partitioned_store_finds_what_whole_graph_finds(data_dir: Path, whole: Counter[tuple[str | None, ...]]) -> None:
    src = load_sources()
    for p in data_files(data_dir):
        parse_turtle(p, into=src.dataset.graph(graph_iri_for(p)))
    store = OxigraphStore()
    store.load_dataset(src.dataset, "test")
    report = validate_store(store, chunk_size=CHUNK)
    found = _comparable(report.results)
    assert found == whole, f"missing: {whole - found}\nunexpected: {found - whole}"


def test_conforming_data_conform_partitioned(tmp_path: Path) -> None:
    synth.write(tmp_path, 6, seed=3)
    report = validate_data_dir(tmp_path, chunk_size=2)
    assert report.conforms, report.text()


def test_validate_cli_partitioned(data_dir: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["validate", "--data-dir", str(data_dir), "--chunk", "5"])
    assert r.exit_code == 1, r.output
    assert "synth-000023" in r.output and "Does not conform" in r.output
    r = runner.invoke(app, ["validate"])
    assert r.exit_code == 2


def test_global_shapes_are_those_that_gather_studies_across_graphs() -> None:
    """A shape whose focus nodes are objects (possibly literals, described in no graph) and that follows a path
    backwards gathers nodes of any study graph: it must be checked on the whole data set."""
    sg = shapes_graph()
    gathering = set()
    for shape in set(sg.subjects(SH.targetObjectsOf, None)):
        for prop in sg.objects(shape, SH.property):
            path = sg.value(prop, SH.path)
            if path is not None and sg.value(path, SH.inversePath) is not None:
                gathering.add(shape)
    assert gathering == set(global_shapes())
    for shape, predicates in global_shapes().items():
        read = {sg.value(sg.value(p, SH.path), SH.inversePath) for p in sg.objects(shape, SH.property)}
        assert read | set(sg.objects(shape, SH.targetObjectsOf)) <= predicates


def test_inverse_predicates_cover_the_shapes() -> None:
    """Every predicate a shape follows backwards: sh:inversePath, and a SPARQL triple pattern with $this as object."""
    sg = shapes_graph()
    followed = {p for p in sg.objects(None, SH.inversePath) if isinstance(p, URIRef)}
    for query in sg.objects(None, SH.select):
        for path in re.findall(r"(egov:\w+(?:/egov:\w+)*)\s+\$this\b", str(query)):
            followed |= {URIRef(str(EGOV.reportedIn).replace("reportedIn", p.split(":")[1])) for p in path.split("/")}
    assert {EGOV.reportedIn, EGOV.usesMethod, EGOV.fieldwork} <= followed, "the pattern finds the known ones"
    assert followed <= inverse_predicates(), sorted(followed - inverse_predicates())


def test_pyshacl_speed_ups_are_in_effect() -> None:
    """kg.validate prepares SPARQL constraint queries once and looks constraint parameters up in a set; a pySHACL
    release that moved what these changes rely on would leave validation correct but several times slower."""
    from pyshacl import shape
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

    import kg.validate  # noqa: F401

    assert getattr(SPARQLBasedConstraint._validate_sparql_query, "_egovkg_prepared", False)
    params, _map = shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
    assert type(params).__name__ == "_ParameterList"


def test_a_data_dir_file_replaces_the_shipped_file_of_its_graph(tmp_path: Path) -> None:
    """As with ``egovkg validate FILE``: studies/ctg-2009.ttl in the directory stands in for the shipped one."""
    shipped = config.DATA_DIR / "studies" / "ctg-2009.ttl"
    text = shipped.read_text(encoding="utf-8")
    at = text.index("egov:role role:issue ;", text.index("m:ctg-2009.security a egov:FactorMention"))
    data = tmp_path / "studies" / "ctg-2009.ttl"
    data.parent.mkdir()
    data.write_text(text[:at] + "egov:role role:not-a-role ;" + text[at + len("egov:role role:issue ;"):],
                    encoding="utf-8")
    whole = validate_files([data])
    report = validate_data_dir(tmp_path, chunk_size=4)
    assert not report.conforms
    assert {r.source for r in report.results} == {str(data)}
    assert _comparable(report.results) == _comparable(whole.results)


@pytest.fixture(scope="module")
def shipped_and_synthetic(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    """The shipped sources and six synthetic studies, one named graph per file (the mutation suite's data, larger)."""
    d = tmp_path_factory.mktemp("mutations")
    synth.write(d, 6, seed=11)
    src = load_sources()
    for p in data_files(d):
        gi = graph_iri_for(p)
        parse_turtle(p, into=src.dataset.graph(gi))
        src.files[gi] = p
    return src


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_partitioned(shipped_and_synthetic: Sources, mutation: Mutation) -> None:
    """Every mutation of the mutation suite, validated in chunks of two studies, gives exactly the results the suite
    expects of whole-graph validation (test_mutations.py checks those on the whole graph)."""
    src = shipped_and_synthetic
    ed = Editor(src.dataset)
    try:
        mutation.edit(ed)
        expected = mutation.expected(ed)
        parts = validate_partitioned(dataset_sources(src.dataset, src.files), chunk_size=2)
    finally:
        ed.undo()
    found = result_keys(parts.graph)
    assert found == expected, f"missing:\n{describe(expected - found)}\nunexpected:\n{describe(found - expected)}"

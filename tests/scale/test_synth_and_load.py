"""Synthetic studies are deterministic, realistic and shapes-conformant; ``egovkg load`` fills every backend."""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import bulk, synth
from kg import compare as cmp
from kg.build import Built
from kg.cli import app
from kg.store import OxigraphStore, open_store
from kg.validate import validate_files

EGOV = "https://w3id.org/egovkg/ontology/"
ID = "https://w3id.org/egovkg/id/"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic studies, seed 7."""
    out = tmp_path_factory.mktemp("synth300")
    synth.write(out, 300, seed=7)
    return out


@pytest.fixture(scope="module")
def corpus_store(built: Built, corpus: Path) -> OxigraphStore:
    """The shipped KG plus the 300 synthetic studies, bulk-loaded into the embedded store."""
    s = OxigraphStore()
    bulk.load(s, built, bulk.study_files(corpus))
    return s


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    synth.write(tmp_path / "a", 5, seed=3)
    synth.write(tmp_path / "b", 5, seed=3)
    synth.write(tmp_path / "c", 5, seed=4)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.ttl"))
    assert len(files) == 7, f"5 studies, places and concepts expected, found {files}"
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a/studies/synth-000001.ttl").read_bytes() != (
        tmp_path / "c/studies/synth-000001.ttl"
    ).read_bytes()


def test_distributions_are_realistic(corpus_store: OxigraphStore) -> None:
    per_study = [
        r["n"]
        for r in corpus_store.select(
            f"SELECT ?s (COUNT(?m) AS ?n) WHERE {{ ?s a <{EGOV}Study> ; <{EGOV}reportsFactor> ?m . "
            f"FILTER STRSTARTS(STR(?s), '{ID}study/synth-') }} GROUP BY ?s"
        )
    ]
    assert len(per_study) == 300
    assert 8 <= statistics.mean(per_study) <= 12, "about ten mentions per study"
    synthetic = f"FILTER STRSTARTS(STR(?s), '{ID}study/synth-')"

    def used(p: str) -> Counter[str]:
        q = f"SELECT ?v WHERE {{ ?m <{EGOV}reportedIn> ?s ; <{EGOV}{p}> ?v . {synthetic} }}"
        return Counter(r["v"] for r in corpus_store.select(q))

    assert len(used("dimension")) == 5, "every dimension is used"
    assert len(used("role")) == 5, "every role is used, the issue role too"
    concepts = used("concept")
    real = [c for c in concepts if not c.rsplit("/", 1)[1].startswith("synth-")]
    assert len(real) >= 30, f"most real concepts are reused, got {len(real)}"
    total, top = sum(concepts.values()), concepts.most_common(1)[0][1]
    rare = sum(1 for n in concepts.values() if n <= 2)
    assert top >= 0.1 * total and rare >= 0.25 * len(concepts), (
        f"concept reuse has a head and a long tail: top {top} of {total}, "
        f"{rare} of {len(concepts)} concepts used at most twice"
    )
    countries = Counter(
        r["c"]
        for r in corpus_store.select(
            f"SELECT ?c WHERE {{ ?s <{EGOV}country> ?c . {synthetic} }}"
        )
    )
    assert len(countries) >= 12 and countries.most_common(1)[0][0].endswith("/united-states")
    years = [
        int(r["y"][:4])
        for r in corpus_store.select(
            f"SELECT ?y WHERE {{ ?s <http://purl.org/dc/terms/issued> ?y . {synthetic} }}"
        )
    ]
    assert min(years) >= 2008 and max(years) <= 2025
    assert sum(y >= 2017 for y in years) > sum(y < 2017 for y in years), "more recent studies than older ones"


def test_synthetic_groups_compare(corpus_store: OxigraphStore) -> None:
    c = cmp.compare(corpus_store, cmp.StudyGroup.parse("place=china"), cmp.StudyGroup.parse("place=western"))
    assert len(c.studies_a) > 20 and len(c.studies_b) > 100 and c.both, "synthetic groups compare like real ones"


def test_synthetic_studies_conform_to_the_shapes(tmp_path: Path) -> None:
    paths = synth.write(tmp_path, 6, seed=11)
    report = validate_files(paths)
    assert report.conforms, report.text()


def test_synth_command(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["synth", "--studies", "3", "--seed", "1", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "studies").glob("*.ttl"))) == 3


def test_load_command_embedded(tmp_path: Path) -> None:
    synth.write(tmp_path / "data", 20, seed=2)
    spec = f"oxigraph:{tmp_path / 'store'}"
    r = CliRunner().invoke(app, ["load", "--store", spec, "--data", str(tmp_path / "data")])
    assert r.exit_code == 0, r.output
    gc.collect()  # the command ran in this process: let its store release the directory lock
    s = open_store(spec)
    n = s.select(f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a <{EGOV}Study> }}")[0]["n"]
    assert n == 17 + 20 and s.version() != "empty"
    s.close()


def test_bulk_load_equals_the_update_path(built: Built, embedded, oxigraph_server) -> None:  # type: ignore[no-untyped-def]
    for target in (OxigraphStore(), oxigraph_server.store()):
        stats = bulk.load(target, built)
        assert stats.version == built.version == target.version()
        assert len(target) == len(embedded), f"{type(target).__name__}: bulk load must give the same quads"
        assert sorted(target.named_graphs()) == sorted(embedded.named_graphs())


def test_bulk_load_remote_with_synthetic_data(built: Built, oxigraph_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    synth.write(tmp_path, 25, seed=5)
    files = bulk.study_files(tmp_path)
    local, remote = OxigraphStore(), oxigraph_server.store()
    a, b = bulk.load(local, built, files), bulk.load(remote, built, files)
    assert a.quads == b.quads and len(local) == len(remote) and a.version == b.version == remote.version()
    g = (cmp.StudyGroup.parse("place=china"), cmp.StudyGroup.parse("place=western"))
    assert cmp.compare(remote, *g).as_dict() == cmp.compare(local, *g).as_dict()

"""Every dump ``kg.build.write_dumps`` writes, loaded back, is isomorphic to the KG, and SHA256SUMS matches.

The reference is the dataset built from the sources (``built``), independent of the store the dumps come from; the
store adds one graph of its own, the dataset version (``graph/meta``). Triple formats hold the union of all graphs;
dataset formats are compared graph by graph.
"""

import gzip
import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.build import FORMATS, Built, write_dumps
from kg.store import Store, meta_graph

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}


def reference_graphs(built: Built, store: Store) -> dict[str, Graph]:
    """The KG's named graphs: those built from the sources, plus the store's version graph."""
    graphs = {str(g.identifier): g for g in built.dataset.graphs() if isinstance(g.identifier, URIRef) and len(g)}
    meta = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{meta_graph()}> {{ ?s ?p ?o }} }}")
    assert len(meta) == 1, f"the store's version graph should hold one triple, it holds {len(meta)}"
    graphs[meta_graph()] = meta
    return graphs


def union(graphs: dict[str, Graph]) -> Graph:
    g = Graph()
    for part in graphs.values():
        for t in part:
            g.add(t)
    return g


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "gzip"])
def dumps(
    request: pytest.FixtureRequest, store: Store, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("gz" if request.param else "plain")
    return out, write_dumps(store, out, gz=request.param)


def test_all_formats_written(dumps: tuple[Path, list[Path]]) -> None:
    out, paths = dumps
    assert len(paths) == len(FORMATS) == 5, f"expected one dump per format, got {[p.name for p in paths]}"
    for p in paths:
        assert p.parent == out and p.stat().st_size > 0, f"{p} is missing or empty"


def test_sha256sums_match(dumps: tuple[Path, list[Path]]) -> None:
    out, paths = dumps
    lines = (out / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(listed) == {p.name for p in paths}, f"SHA256SUMS lists {sorted(listed)}"
    for p in paths:
        actual = hashlib.sha256(p.read_bytes()).hexdigest()
        assert listed[p.name] == actual, f"SHA256SUMS gives {listed[p.name]} for {p.name}, the file hashes to {actual}"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_dump_is_isomorphic_to_the_kg(dumps: tuple[Path, list[Path]], built: Built, store: Store, fmt: str) -> None:
    out, paths = dumps
    (path,) = [p for p in paths if p.name.startswith(FORMATS[fmt][0])]
    expected = reference_graphs(built, store)
    keeps_graphs = FORMATS[fmt][2]
    if not keeps_graphs:
        g = Graph()
        g.parse(data=read(path), format=RDFLIB_FORMATS[fmt])
        want = union(expected)
        assert len(g) == len(want), f"{path.name}: {len(g)} triples, the KG has {len(want)}"
        assert isomorphic(g, want), f"{path.name} is not isomorphic to the union of the KG's graphs"
        return
    ds = Dataset()
    ds.parse(data=read(path), format=RDFLIB_FORMATS[fmt])
    got = {str(g.identifier): g for g in ds.graphs() if isinstance(g.identifier, URIRef) and len(g)}
    assert set(got) == set(expected), (
        f"{path.name}: graphs {sorted(set(got) ^ set(expected))} are in only one of the dump and the KG")
    assert not len(ds.default_graph), f"{path.name} puts {len(ds.default_graph)} triples in the default graph"
    for name, want in expected.items():
        assert len(got[name]) == len(want), f"{path.name} <{name}>: {len(got[name])} triples, the KG has {len(want)}"
        assert isomorphic(got[name], want), f"{path.name}: graph <{name}> is not isomorphic to the KG's"

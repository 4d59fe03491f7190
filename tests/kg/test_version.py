"""The dataset version is a content fingerprint: the same sources give the same version, a change gives another."""

from rdflib import Literal, URIRef

from kg.build import build_dataset
from kg.store import dataset_hash


def test_same_sources_same_version() -> None:
    a, b = build_dataset(validate=False), build_dataset(validate=False)
    assert a.version == b.version, (
        "two builds of the same sources must have the same version (blank-node labels differ)")


def test_changed_content_changes_version() -> None:
    built = build_dataset(validate=False)
    g = next(g for g in built.dataset.graphs() if str(g.identifier).endswith("graph/study/zheng-2013"))
    g.add((URIRef("https://w3id.org/egovkg/id/study/zheng-2013"), URIRef("http://purl.org/dc/terms/subject"),
           Literal("an extra keyword")))
    assert dataset_hash(built.dataset) != built.version, "adding a triple must change the version"

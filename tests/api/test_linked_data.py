"""Linked data on a real server: dumps that reload isomorphic to the KG, the VoID/DCAT description, dereferenceable
IRIs of every class (HTML, Turtle, JSON-LD agreeing with the store), the ontology docs and the shapes."""

from __future__ import annotations

import base64
import gzip
import hashlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, XSD
from typer.testing import CliRunner

from kg import config, sources
from kg.build_info import DUMP_FILES
from kg.cli import app as cli
from kg.store import Store

pytestmark = pytest.mark.server

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}
QUAD_FORMATS = {"trig", "nquads", "jsonld"}  # the JSON-LD dump keeps the named graphs too
SAMPLES_PER_CLASS = 2


class _Text(HTMLParser):
    """The text content of an HTML page, and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]


def page_text(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


def kg_dataset(store: Store) -> Dataset:
    ds = Dataset()
    ds.parse(data=store.dump("nquads"), format="nquads")
    return without_version(ds)


def without_version(ds: Dataset) -> Dataset:
    """The dataset without its version triple: each build of the same sources gets its own version (a hash that
    depends on blank-node labels), so the server's KG and the tests' differ in that one triple only."""
    ds.remove((URIRef(config.base_iri() + "dataset"), DCTERMS.hasVersion, None, None))
    return ds


def union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def named(ds: Dataset) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for s, p, o, c in ds.quads((None, None, None, None)):
        name = str(c.identifier if hasattr(c, "identifier") else c)
        out.setdefault(name, Graph()).add((s, p, o))
    return out


@pytest.fixture(scope="module")
def kg(store: Store) -> Dataset:
    """The KG the server was built from (the same shipped sources, the same version)."""
    return kg_dataset(store)


@pytest.fixture(scope="module")
def kg_union(kg: Dataset) -> Graph:
    return union(kg)


# -- dumps ----------------------------------------------------------------------------------------------------------
def assert_same_kg(data: bytes, fmt: str, kg: Dataset, what: str) -> None:
    if fmt in QUAD_FORMATS:
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB_FORMATS[fmt])
        got, expected = named(without_version(ds)), named(kg)
        assert set(got) == set(expected), f"{what}: named graphs differ: {set(got) ^ set(expected)}"
        for name, g in expected.items():
            assert isomorphic(got[name], g), f"{what}: graph {name} is not isomorphic to the KG's"
    else:
        g = Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])
        g.remove((URIRef(config.base_iri() + "dataset"), DCTERMS.hasVersion, None))
        assert len(g) > 1000 and isomorphic(g, union(kg)), f"{what}: not isomorphic to the KG (union of graphs)"


@pytest.mark.parametrize("fmt", list(DUMP_FILES))
def test_every_dump_reloads_isomorphic_to_the_kg(ld_server, kg, fmt):
    name, media = DUMP_FILES[fmt]
    r = ld_server.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media), (r.status_code, r.headers)
    assert "content-encoding" not in r.headers, "no gzip unless asked"
    version = ld_server.get("/health").json()["version"]
    assert f"{version}" in r.text, "the dump carries the dataset version the server reports"
    assert_same_kg(r.content, fmt, kg, f"/dumps/{name}")
    sha = hashlib.sha256(r.content).hexdigest()
    assert r.headers["ETag"] == f'"{sha}"', "the ETag is the file's SHA-256"
    assert r.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(bytes.fromhex(sha)).decode()}:"
    assert r.headers.get("Last-Modified"), "dumps carry Last-Modified"
    sums = dict(reversed(line.split("  ")) for line in ld_server.get("/dumps/SHA256SUMS").text.splitlines())
    assert sums[name] == sha, "SHA256SUMS lists the file's checksum"


@pytest.mark.parametrize("fmt", ["turtle", "nquads"])
def test_dump_gzip_on_request_and_gz_file(ld_server, kg, fmt):
    name, _ = DUMP_FILES[fmt]
    plain = ld_server.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"}).content
    r = ld_server.get(f"/dumps/{name}", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip" and "Accept-Encoding" in r.headers["vary"], r.headers
    assert r.content == plain, "the gzipped answer decodes to the same file"
    gz = ld_server.get(f"/dumps/{name}.gz")
    assert gz.status_code == 200 and gz.headers["content-type"] == "application/gzip"
    assert_same_kg(gzip.decompress(gz.content), fmt, kg, f"/dumps/{name}.gz")
    sums = dict(reversed(line.split("  ")) for line in ld_server.get("/dumps/SHA256SUMS").text.splitlines())
    assert sums[name + ".gz"] == hashlib.sha256(gz.content).hexdigest()


def test_dump_conditional_requests(ld_server):
    name = DUMP_FILES["turtle"][0]
    r = ld_server.get(f"/dumps/{name}")
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    assert ld_server.get(f"/dumps/{name}", headers={"If-None-Match": etag}).status_code == 304
    assert ld_server.get(f"/dumps/{name}", headers={"If-Modified-Since": modified}).status_code == 304
    assert ld_server.get(f"/dumps/{name}", headers={"If-None-Match": '"other"'}).status_code == 200
    assert ld_server.get("/dumps/nope.ttl").status_code == 404


def test_dumps_listing(ld_server):
    listing = ld_server.get("/dumps/", headers={"Accept": "application/json"}).json()
    assert {f["name"] for f in listing["files"]} == {n for n, _ in DUMP_FILES.values()}
    for f in listing["files"]:
        r = ld_server.get(f["url"], headers={"Accept-Encoding": "identity"})
        assert hashlib.sha256(r.content).hexdigest() == f["sha256"] and len(r.content) == f["bytes"], f["name"]
    html = ld_server.get("/dumps/", headers={"Accept": "text/html"})
    links = page_text(html.text).links
    assert all(f"/dumps/{n}" in links for n, _ in DUMP_FILES.values()), "the HTML listing links every dump"


def test_export_command_writes_the_same_kg(tmp_path, kg):
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    sums = dict(reversed(line.split("  ")) for line in (tmp_path / "SHA256SUMS").read_text().splitlines())
    for fmt, (name, _) in DUMP_FILES.items():
        data = (tmp_path / name).read_bytes()
        assert sums[name] == hashlib.sha256(data).hexdigest(), name
        assert_same_kg(data, fmt, kg, f"egovkg export {name}")
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path / "gz"), "--format", "trig", "--gzip"])
    assert result.exit_code == 0, result.output
    assert_same_kg(gzip.decompress((tmp_path / "gz" / "egovkg.trig.gz").read_bytes()), "trig", kg, "--gzip")


# -- VoID / DCAT ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("accept,rdflib_format", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                                  ("application/rdf+xml", "xml"), ("application/n-triples", "nt")])
def test_void_triple_count_equals_the_stores(ld_server, store, accept, rdflib_format):
    r = ld_server.get("/.well-known/void", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept), r.headers
    assert "Accept" in r.headers["vary"]
    g = Graph().parse(data=r.content, format=rdflib_format)
    ds = URIRef(config.base_iri() + "dataset")
    health = ld_server.get("/health").json()
    triples = g.value(ds, VOID.triples)
    assert triples is not None and int(triples) == health["triples"] == len(store), \
        f"void:triples {triples} vs the server's store {health['triples']} and the KG {len(store)}"
    assert str(g.value(ds, DCTERMS.hasVersion)) == health["version"], "the description names the dataset version"
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    assert g.value(ds, DCTERMS.license) is not None, "a licence"
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(ld_server.url + "/sparql")
    assert len(list(g.objects(ds, VOID.classPartition))) >= 10, "class partitions"
    assert len(list(g.objects(ds, VOID.propertyPartition))) >= 10, "property partitions"
    assert int(g.value(ds, VOID.entities)) > 0


def test_void_dumps_and_examples_resolve(ld_server):
    g = Graph().parse(data=ld_server.get("/.well-known/void").content, format="turtle")
    ds = URIRef(config.base_iri() + "dataset")
    dumps = set(g.objects(ds, VOID.dataDump))
    assert len(dumps) == len(DUMP_FILES), dumps
    for d in dumps:
        r = ld_server.get(str(d).removeprefix(ld_server.url), headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200, d
        dist = next(x for x in g.objects(ds, DCAT.distribution) if g.value(x, DCAT.downloadURL) == d)
        assert int(g.value(dist, DCAT.byteSize)) == len(r.content), f"dcat:byteSize of {d}"
        checksum = g.value(dist, SPDX.checksum)
        assert g.value(checksum, SPDX.checksumValue) == Literal(hashlib.sha256(r.content).hexdigest(),
                                                                datatype=XSD.hexBinary), f"checksum of {d}"
    examples = list(g.objects(ds, VOID.exampleResource))
    assert examples, "example resources"
    for ex in examples:
        path = "/" + str(ex).removeprefix(config.base_iri())
        assert ld_server.get(path, headers={"Accept": "text/turtle"}).status_code == 200, ex


# -- dereferenceable IRIs -------------------------------------------------------------------------------------------
def sample_iris(kg_union: Graph) -> list[tuple[str, str]]:
    """Up to SAMPLES_PER_CLASS IRIs under the base for every class that has such instances: (class, IRI)."""
    base = config.base_iri()
    documents = {base + "ontology/"}  # the ontology's IRI serves the whole ontology (see the ontology tests)
    by_class: dict[str, list[str]] = {}
    for s, _, c in kg_union.triples((None, RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(base) and str(s) not in documents:
            by_class.setdefault(str(c), []).append(str(s))
    return [(c, i) for c in sorted(by_class) for i in sorted(set(by_class[c]))[:SAMPLES_PER_CLASS]]


@pytest.fixture(scope="module")
def samples(kg_union: Graph) -> list[tuple[str, str]]:
    s = sample_iris(kg_union)
    classes = {c for c, _ in s}
    assert len(classes) >= 15, f"expected instances of many classes, found {sorted(classes)}"
    return s


def _path(iri: str) -> str:
    return "/" + iri.removeprefix(config.base_iri())


def test_every_class_served_as_turtle_and_json_ld_agreeing_with_the_store(ld_server, kg_union, samples):
    for cls, iri in samples:
        expected = kg_union.cbd(URIRef(iri))
        for media, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                           ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
            r = ld_server.get(_path(iri), headers={"Accept": media})
            assert r.status_code == 200 and r.headers["content-type"].startswith(media), (iri, media, r.status_code)
            assert "Accept" in r.headers["vary"], f"{iri}: Vary: Accept"
            got = Graph().parse(data=r.content, format=fmt)
            assert isomorphic(got, expected), f"{iri} ({cls}) as {media}: not the store's concise bounded description"


def test_every_class_served_as_html(ld_server, kg_union, samples):
    for cls, iri in samples:
        r = ld_server.get(_path(iri), headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), (iri, r.status_code)
        links = r.headers["link"]
        for alt in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"):
            assert f'type="{alt}"' in links, f"{iri}: Link header names the {alt} alternate"
        text = " ".join(page_text(r.text).parts)
        labels = [str(o) for p in ("http://www.w3.org/2000/01/rdf-schema#label",
                                   "http://www.w3.org/2004/02/skos/core#prefLabel")
                  for o in kg_union.objects(URIRef(iri), URIRef(p))]
        if labels:
            assert any(lbl in text for lbl in labels), f"{iri} ({cls}): the page shows none of its labels {labels}"
        for p, o in kg_union.predicate_objects(URIRef(iri)):
            if isinstance(o, Literal) and len(str(o)) < 200 and p != RDF.type:
                assert str(o) in text, f"{iri}: the page should show the value {str(o)!r} of {p}"


def test_alternate_links_are_served(ld_server):
    r = ld_server.get("/id/concept/water-army", headers={"Accept": "text/turtle"})
    for part in r.headers["link"].split(", "):
        href = part.split(">")[0].lstrip("<")
        media = part.split('type="')[1].rstrip('"')
        alt = ld_server.get(href)
        assert alt.status_code == 200 and alt.headers["content-type"].startswith(media), (href, media)


def test_mention_page_shows_its_evidence_quotes(ld_server, kg_union):
    iri = config.base_iri() + "id/mention/zheng-2013.hierarchical-process"
    text = " ".join(page_text(ld_server.get(_path(iri), headers={"Accept": "text/html"}).text).parts)
    egov = Namespace(config.base_iri() + "ontology/")
    quotes = [str(kg_union.value(ev, egov.quote)) for ev in kg_union.objects(URIRef(iri), egov.evidence)]
    assert quotes and all(q in text for q in quotes), f"the mention's page shows its quotes {quotes}"


def test_concept_page_shows_mentions_across_studies(ld_server, kg_union):
    egov = Namespace(config.base_iri() + "ontology/")
    counts: dict[URIRef, int] = {}
    for _, _, c in kg_union.triples((None, egov.concept, None)):
        counts[c] = counts.get(c, 0) + 1  # type: ignore[index]
    assert counts, "mentions are aligned to concepts"
    iri = max(sorted(counts), key=lambda c: counts[c])
    mentions = list(kg_union.subjects(egov.concept, iri))
    assert len(mentions) >= 2, f"the most reported concept {iri} has {len(mentions)} mentions"
    html = ld_server.get(_path(str(iri)), headers={"Accept": "text/html"}).text
    links = page_text(html).links
    for m in mentions:
        assert any(link.endswith(_path(str(m))) for link in links), f"the page of {iri} links its mention {m}"


@pytest.mark.parametrize("path", ["/id/study/no-such-study", "/id/nothing", "/ontology/NoSuchTerm",
                                  "/shapes/NoSuchShape", "/graph/study/no-such-study"])
def test_unknown_iris_404(ld_server, path):
    for accept in ("text/html", "text/turtle"):
        assert ld_server.get(path, headers={"Accept": accept}).status_code == 404, (path, accept)


def test_format_parameter_and_406(ld_server):
    r = ld_server.get("/id/study/zheng-2013?format=jsonld")
    assert r.headers["content-type"].startswith("application/ld+json")
    assert ld_server.get("/id/study/zheng-2013", headers={"Accept": "image/png"}).status_code == 406


def test_named_graph_served_whole(ld_server, kg):
    iri = config.base_iri() + "graph/study/zheng-2013"
    r = ld_server.get(_path(iri), headers={"Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=r.content, format="nt"), named(kg)[iri]), "the graph's triples"
    r = ld_server.get(_path(iri), headers={"Accept": "application/trig"})
    ds = Dataset()
    ds.parse(data=r.content, format="trig")
    assert set(named(ds)) == {iri}, "TriG keeps the graph's name"


# -- ontology and shapes --------------------------------------------------------------------------------------------
def test_ontology_html_by_pylode_and_turtle(ld_server, kg):
    onto = config.base_iri() + "ontology/"
    r = ld_server.get("/ontology/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "pyLODE" in r.text, "documentation generated by pyLODE"
    text = " ".join(page_text(r.text).parts)
    ontology_graph = named(kg)[config.base_iri() + "graph/ontology"]
    for cls in ontology_graph.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(onto):
            label = ontology_graph.value(cls, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
            assert str(label) in text, f"the docs describe class {cls} ({label})"
    r = ld_server.get("/ontology/", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.content, format="turtle")
    assert (URIRef(onto), RDF.type, OWL.Ontology) in g and isomorphic(g, ontology_graph), "the ontology's Turtle"
    assert ld_server.get("/ontology", follow_redirects=False).status_code == 301
    term = ld_server.get("/ontology/Study", headers={"Accept": "text/turtle"})
    assert (URIRef(onto + "Study"), RDF.type, OWL.Class) in Graph().parse(data=term.content, format="turtle")


def test_shapes_published(ld_server):
    files = sources.shapes_files()
    expected = sources.load_graph(files)
    r = ld_server.get("/shapes/", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert isomorphic(Graph().parse(data=r.content, format="turtle"), expected), "/shapes/ serves the shapes files"
    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = sorted(str(s) for s in expected.subjects(RDF.type, sh.NodeShape) if isinstance(s, URIRef))
    if not shapes:
        pytest.xfail("no node shapes in shapes/ yet")
    for iri in shapes[:5]:
        r = ld_server.get(_path(iri), headers={"Accept": "text/turtle"})
        assert r.status_code == 200, iri
        assert isomorphic(Graph().parse(data=r.content, format="turtle"), expected.cbd(URIRef(iri))), iri
        assert ld_server.get(_path(iri), headers={"Accept": "text/html"}).status_code == 200, iri


def test_no_file_written_in_the_working_tree():
    assert not (Path(config.ROOT) / "dumps").exists()

"""The VoID and DCAT description of the knowledge graph, computed from the store (never stored in it)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from kg import config, queries
from kg.build_info import DUMP_FILES
from kg.store import Store

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
EXAMPLES = ["id/study/zheng-2013", "id/concept/water-army", "id/mention/zheng-2013.hierarchical-process",
            "id/dimension/organizational-managerial"]


def description(store: Store, server: str | None = None,
                dumps: dict[str, tuple[int, str]] | None = None) -> Graph:
    """VoID + DCAT for the store's current content.

    ``server`` is where the API is served (defaults to the base); ``dumps`` maps a dump file name to its size in
    bytes and SHA-256, when the caller has written them.
    """
    base = config.base_iri()
    server = (server or base).rstrip("/") + "/"
    ds = URIRef(base + "dataset")
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("sd", SD)
    g.bind("spdx", SPDX)
    totals = queries.select(store, "void_totals")[0]
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("egovkg: factors of government social media use", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "A knowledge graph of the drivers, challenges and capabilities of government use of social media, "
        "starting from Zheng (2013) and the 16 studies it reviews, with factors aligned across studies.", lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    version = store.version()
    g.add((ds, DCTERMS.hasVersion, Literal(version)))
    g.add((ds, DCAT["version"], Literal(version)))
    g.add((ds, DCTERMS.publisher, Literal("egovkg project")))
    g.add((ds, DCTERMS.conformsTo, URIRef(base + "ontology/")))
    g.add((ds, DCAT.landingPage, URIRef(server)))
    for kw in ("e-government", "social media", "government", "knowledge graph"):
        g.add((ds, DCAT.keyword, Literal(kw, lang="en")))
    g.add((ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    g.add((ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/TriG")))
    g.add((ds, VOID.triples, Literal(int(totals["triples"]), datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(int(totals["subjects"]), datatype=XSD.integer)))
    g.add((ds, VOID.distinctObjects, Literal(int(totals["objects"]), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(int(totals["properties"]), datatype=XSD.integer)))
    g.add((ds, VOID.uriSpace, Literal(base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(base + "ontology/")))
    endpoint = URIRef(server + "sparql")
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    service = URIRef(server + "sparql#service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.title, Literal("egovkg SPARQL 1.1 endpoint", lang="en")))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    sparql_dist = URIRef(server + "sparql#distribution")
    g.add((ds, DCAT.distribution, sparql_dist))
    g.add((sparql_dist, RDF.type, DCAT.Distribution))
    g.add((sparql_dist, DCAT.accessURL, endpoint))
    g.add((sparql_dist, DCAT.accessService, service))
    g.add((sparql_dist, DCTERMS.title, Literal("egovkg through SPARQL", lang="en")))
    entities = 0
    for r in queries.select(store, "void_classes"):
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(r["class"])))
        g.add((part, VOID.entities, Literal(int(r["entities"]), datatype=XSD.integer)))
        entities += int(r["entities"])
    g.add((ds, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for r in queries.select(store, "void_properties"):
        part = BNode()
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(r["property"])))
        g.add((part, VOID.triples, Literal(int(r["triples"]), datatype=XSD.integer)))
    for fmt, (name, media) in DUMP_FILES.items():
        dump = URIRef(f"{server}dumps/{name}")
        g.add((ds, VOID.dataDump, dump))
        dist = URIRef(f"{server}dumps/{name}#distribution")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dump))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        g.add((dist, DCTERMS.title, Literal(f"egovkg as {fmt}", lang="en")))
        g.add((dist, DCTERMS.license, LICENSE))
        g.add((dist, DCAT.accessURL, URIRef(f"{server}dumps/")))
        if dumps and name in dumps:
            size, sha256 = dumps[name]
            g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
            checksum = URIRef(f"{server}dumps/{name}#checksum")
            g.add((dist, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))
    for ex in EXAMPLES:
        g.add((ds, VOID.exampleResource, URIRef(base + ex)))
    return g

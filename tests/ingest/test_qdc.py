"""The factor scheme exported as a REFI-QDA codebook re-imports to the same scheme, with stable GUIDs."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from kg import config
from kg.ingest.export import export_codebook, import_scheme
from kg.ingest.qdc import NS, guid
from kg.store import Store

SCHEME = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX egov: <https://w3id.org/egovkg/ontology/>
CONSTRUCT {
  ?c a egov:FactorConcept ; skos:inScheme ?s ; skos:prefLabel ?l ; skos:altLabel ?a ; skos:definition ?d ;
     skos:broader ?b ; skos:related ?r ; skos:topConceptOf ?t . ?t skos:hasTopConcept ?c .
} WHERE {
  ?c a egov:FactorConcept ; skos:inScheme ?s ; skos:prefLabel ?l .
  OPTIONAL { ?c skos:altLabel ?a } OPTIONAL { ?c skos:definition ?d } OPTIONAL { ?c skos:broader ?b }
  OPTIONAL { ?c skos:related ?r } OPTIONAL { ?c skos:topConceptOf ?t }
}"""


def test_export_reimports_to_the_same_scheme(store: Store) -> None:
    data = export_codebook(store)
    g = import_scheme(data, "factors.qdc", store)
    scheme = store.construct(config.rebase(SCHEME))
    assert len(scheme) > 200, f"the shipped scheme looks empty: {len(scheme)} triples"
    if not isomorphic(g, scheme):
        _, only_import, only_kg = graph_diff(g, scheme)
        raise AssertionError("re-imported scheme differs:\n only in import: "
                             + "\n".join(map(str, list(only_import)[:10])) + "\n only in KG: "
                             + "\n".join(map(str, list(only_kg)[:10])))


def test_guids_are_stable_and_derived_from_iris(store: Store) -> None:
    a, b = export_codebook(store), export_codebook(store)
    assert a == b, "two exports of the same scheme differ"
    root = ET.fromstring(a)
    assert root.tag == f"{{{NS}}}CodeBook", root.tag
    codes = root.iter(f"{{{NS}}}Code")
    guids = {c.get("guid") for c in codes}
    concepts = store.select(config.rebase(
        "PREFIX egov: <https://w3id.org/egovkg/ontology/> SELECT ?c WHERE { ?c a egov:FactorConcept }"))
    assert guids == {guid(r["c"]) for r in concepts}, "the GUIDs are not the uuid5 of the concept IRIs"
    assert all(uuid.UUID(g).version == 5 for g in guids), "GUIDs must be name-based (version 5)"


def test_nesting_is_broader(store: Store) -> None:
    root = ET.fromstring(export_codebook(store))
    parent_of = {}
    for p in root.iter(f"{{{NS}}}Code"):
        for c in p.findall(f"{{{NS}}}Code"):
            parent_of[c.get("name")] = p.get("name")
    assert parent_of.get("Hacking and account intrusion") or parent_of, "no nesting exported"
    rows = store.select(config.rebase("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?cl ?bl WHERE { ?c skos:broader ?b . ?c skos:prefLabel ?cl . ?b skos:prefLabel ?bl }"""))
    assert rows, "the shipped scheme has no skos:broader"
    for r in rows:
        assert parent_of.get(r["cl"]) == r["bl"], f"{r['cl']} is not nested under {r['bl']}"


def test_flat_dotted_scheme_codebook_nests() -> None:
    from kg.ingest.problems import Collector
    from kg.ingest.qdc import parse, read_scheme

    data = f"""<?xml version="1.0"?><CodeBook xmlns="{NS}"><Codes>
      <Code guid="{uuid.uuid4()}" name="Resources"/>
      <Code guid="{uuid.uuid4()}" name="Resources.Funding"><Description>A factor of money.
altLabel: Budget</Description></Code></Codes><Sets/></CodeBook>""".encode()
    out = Collector("flat.qdc")
    g = read_scheme(parse(data, out), {}, out)
    assert not out.problems, out.problems
    assert isinstance(g, Graph)
    q = g.query("""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        ASK { ?f skos:prefLabel "Funding"@en ; skos:altLabel "Budget"@en ; skos:broader ?r .
              ?r skos:prefLabel "Resources"@en }""")
    assert q.askAnswer, g.serialize(format="turtle")

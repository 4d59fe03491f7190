"""Writes: provenance on every write, accepted suggestions recorded as curated mappings with who accepted them,
replace and remove as single transactions, the dataset version changing with each write."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from kg import align, config
from kg.ingest import read_input
from kg.store import Store
from kg.write import add_study, graph_iri, remove_study

FIXTURES = Path(__file__).parent / "fixtures"
SHEET = (FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8")
PROV = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g ?act ?label ?who ?file ?sha ?start ?generated ?invalidated WHERE {
  GRAPH ?g { ?act a prov:Activity ; rdfs:label ?label ; prov:startedAtTime ?start ;
                  prov:wasAssociatedWith ?agent . ?agent rdfs:label ?who .
             OPTIONAL { ?act prov:used ?src . ?src dcterms:title ?file ; dcterms:identifier ?sha }
             OPTIONAL { ?generated prov:wasGeneratedBy ?act FILTER(CONTAINS(STR(?generated), "/graph/study/")) }
             OPTIONAL { ?act prov:invalidated ?invalidated } }
} ORDER BY ?start"""


def parsed(text: str, name: str = "sheet.csv", store: Store | None = None, who: str = "Ada Tester"):  # type: ignore[no-untyped-def]
    return read_input(text.encode("utf-8"), name, store=store, who=who)


def test_add_replace_remove_with_provenance(fresh_store: Store) -> None:
    s = fresh_store
    v0 = s.version()
    o = add_study(s, parsed(SHEET, store=s), who="Ada Tester")
    assert o.written, o.text()
    v1 = s.version()
    assert v1 != v0 and o.version_after == v1
    g = str(graph_iri("ana-2021"))
    assert g in s.named_graphs()
    o2 = add_study(s, parsed(SHEET.replace("Limited staff time", "Scarce staff time"), store=s), replace=True,
                   who="Bob Editor")
    assert o2.written and o2.action == "replace", o2.text()
    labels = {r["l"] for r in s.select(config.rebase(
        "PREFIX egov: <https://w3id.org/egovkg/ontology/> "
        "SELECT ?g ?l WHERE { GRAPH ?g { ?m egov:labelAsWritten ?l } }"),
        {"g": URIRef(g)}, union=False)}
    assert "Scarce staff time" in labels and "Limited staff time" not in labels, f"replace left {labels}"
    o3 = remove_study(s, "ana-2021", who="Cy Remover")
    assert o3.written, o3.text()
    assert g not in s.named_graphs(), "the study graph is still there"
    assert len({s.version(), v1, v0, o2.version_after}) == 4, "every write must change the version"
    history = s.select(PROV, union=False)
    assert [r["label"] for r in history] == ["add study ana-2021", "replace study ana-2021", "remove study ana-2021"]
    assert [r["who"] for r in history] == ["Ada Tester", "Bob Editor", "Cy Remover"]
    assert history[0]["file"] == "sheet.csv" and history[0]["sha"].startswith("sha256:")
    assert history[0]["generated"] and history[1]["invalidated"] == g and history[2]["invalidated"] == g
    assert all(r["g"].startswith(config.base_iri() + "graph/provenance/") for r in history)


def test_accepted_suggestion_is_a_curated_mapping_with_who(fresh_store: Store) -> None:
    s = fresh_store
    text = SHEET.replace("internal weakness,staffing,", "internal weakness,,").replace(
        ",Staff time is the staffing part of resources.", ",")
    dry = add_study(s, parsed(text, store=s), dry_run=True, who="Ada Tester")
    assert not dry.written and not dry.conforms
    sug = next(x for x in dry.suggestions if x.label == "Limited staff time")
    assert sug.candidates and sug.candidates[0].concept.endswith("/staffing"), sug
    assert any("has no concept" in f.message and f.line == 15 for f in dry.findings), [f.text() for f in dry.findings]
    o = add_study(s, parsed(text, store=s), accept=True, who="Ada Tester")
    assert o.written, o.text()
    rows = s.select(config.rebase("""PREFIX egov: <https://w3id.org/egovkg/ontology/>
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?concept ?just ?who WHERE {
          ?m egov:labelAsWritten "Limited staff time" ; egov:concept ?concept ; egov:interpretation ?i .
          ?i a egov:Interpretation ; egov:interpretedProperty egov:concept ; egov:justification ?just ;
             prov:wasAttributedTo/rdfs:label ?who }"""))
    assert len(rows) == 1 and rows[0]["concept"].endswith("/staffing"), rows
    assert rows[0]["who"] == "Ada Tester" and "accepted by Ada Tester" in rows[0]["just"], rows


def test_choose_a_concept_by_name(fresh_store: Store) -> None:
    s = fresh_store
    text = SHEET.replace("internal weakness,staffing,", "internal weakness,,")
    o = add_study(s, parsed(text, store=s), accept={"ana-2021.limited-staff-time": "resources"}, who="Ada")
    assert o.written, o.text()
    assert s.ask(config.rebase("ASK { <https://w3id.org/egovkg/id/mention/ana-2021.limited-staff-time> "
                               "<https://w3id.org/egovkg/ontology/concept> "
                               "<https://w3id.org/egovkg/id/concept/resources> }"))


def test_dry_run_and_refusals_write_nothing(fresh_store: Store) -> None:
    s = fresh_store
    before = s.dump()
    assert add_study(s, parsed(SHEET, store=s), dry_run=True).conforms
    o = remove_study(s, "bertot-2012")
    assert not o.written and o.status == "referenced", o.text()
    assert "reviews" in o.findings[0].path, o.findings[0].text()
    assert remove_study(s, "no-such-study").status == "missing"
    assert s.dump() == before, "a dry run or a refused write changed the store"


def test_suggestions(store: Store) -> None:
    top = {label: [c.concept.rsplit("/", 1)[-1] for c in align.suggest(store, label)]
           for label in ("Lack of funds", "Hackers", "Trust in government", "Leadership support")}
    assert top["Lack of funds"][0] == "funding", top
    assert top["Hackers"][0] == "hacking", top
    assert top["Trust in government"][0] == "public-trust", top
    assert top["Leadership support"][0] == "leadership-support", top
    assert align.suggest(store, "Weather") == [], "an unrelated label should get no suggestion"


def test_templates_conform(store: Store) -> None:
    templates = sorted((config.ROOT / "kg" / "templates").iterdir())
    assert {p.name for p in templates} >= {"coding-sheet.csv", "study.ttl", "codebook.qdc"}, templates
    for path in templates:
        p = read_input(path.read_bytes(), path.name, store=store, who="template test")
        o = add_study(store, p, dry_run=True, accept=True, who="template test")
        assert o.conforms and not o.written, f"{path.name}:\n{o.text()}"

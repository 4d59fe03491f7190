"""Faithful data: what the KG says the paper says is in the paper, verbatim (quotes, labels, cells, bibliography)."""

import re
from pathlib import Path

import pytest

from kg.store import Store

PAPER = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_bddae3b7d02d5aeb.txt"
PREFIXES = """PREFIX egov: <https://w3id.org/egovkg/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX bibo: <http://purl.org/ontology/bibo/>
"""


def norm(text: str) -> str:
    """Fold typographic quotes and whitespace so that a verbatim quote matches however the text file encodes them."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    text = text.replace("\u2013", "-").replace("*", "")
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def paper() -> str:
    if not PAPER.is_file():
        pytest.fail(f"the source paper is missing at {PAPER}")
    return norm(PAPER.read_text(encoding="utf-8"))


def rows(store: Store, where: str) -> list[dict]:
    return store.select(PREFIXES + where)


def test_every_quote_is_verbatim_in_its_section(store: Store, paper: str) -> None:
    found = rows(store, "SELECT ?e ?q ?sec WHERE { ?e a egov:Evidence ; egov:quote ?q ; egov:section ?sec }")
    assert len(found) >= 30, "expected the paper's evidence quotes"
    for r in found:
        q = norm(r["q"])
        assert q in paper, f"{r['e']}: quote not found verbatim in the paper: {q!r}"
        # the quote lies after its section heading (sections appear in order in the text)
        heading = re.search(rf"(?m)(^|\s){re.escape(r['sec'])}\. [A-Z]", paper)
        assert heading, f"{r['e']}: section {r['sec']} has no heading in the paper"
        assert paper.find(q, heading.start()) >= 0, f"{r['e']}: quote does not occur after section {r['sec']}"


def test_every_label_as_written_is_in_the_paper(store: Store, paper: str) -> None:
    found = rows(store, "SELECT ?m ?l WHERE { ?m egov:labelAsWritten ?l }")
    assert len(found) >= 90, "expected the mentions of Table 1 and Table 2"
    for r in found:
        assert norm(r["l"]).lower() in paper.lower(), f"{r['m']}: label {r['l']!r} is not in the paper"


def test_every_original_cell_is_a_cell_of_table1(store: Store) -> None:
    cells = {norm(c).strip() for line in PAPER.read_text(encoding="utf-8").splitlines() for c in line.split("\t")}
    found = rows(store, "SELECT DISTINCT ?c WHERE { ?m egov:tableCell ?c }")
    assert found, "expected original cell texts"
    for r in found:
        assert norm(r["c"]).strip() in cells, f"cell text {r['c']!r} is not a cell of the paper's Table 1"


def test_bibliography_is_as_the_reference_list_gives_it(store: Store, paper: str) -> None:
    found = rows(store, """SELECT ?s ?title ?cite ?doi WHERE {
        ?s dcterms:title ?title ; dcterms:bibliographicCitation ?cite . OPTIONAL { ?s bibo:doi ?doi } }""")
    assert len(found) >= 20, "expected the reviewed studies and the references"
    refs = paper[paper.index("References"):]
    for r in found:
        assert norm(r["title"]).lower() in paper.lower(), f"{r['s']}: title not in the paper: {r['title']!r}"
        if "zheng-2013" not in r["s"]:
            assert norm(r["cite"])[:40] in refs, f"{r['s']}: citation does not start as in the reference list"
        if "doi" in r:
            assert r["doi"] in paper, f"{r['s']}: DOI {r['doi']} is not printed in the paper"


def test_statistics_are_printed_in_the_paper(store: Store, paper: str) -> None:
    found = rows(store, "SELECT ?s ?v ?u WHERE { ?s a egov:Statistic ; egov:value ?v ; egov:unit ?u }")
    assert len(found) >= 10, "expected the paper's statistics"
    for r in found:
        v = r["v"]
        if r["u"] == "percent":
            text = f"{v:g}%"
        elif v >= 1_000_000:
            text = f"{v / 1_000_000:g} million"
        else:
            text = f"{int(v):,}"
        assert text in paper, f"{r['s']}: {text!r} is not printed in the paper"

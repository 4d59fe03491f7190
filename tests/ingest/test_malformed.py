"""At least 40 malformed inputs across the three forms: each is rejected with a located message (file, and line or
field, and what was expected), and the store is byte-for-byte unchanged (its N-Quads dump before and after)."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.ingest import IngestError, read_input
from kg.store import Store
from kg.write import Finding, add_study

FIXTURES = Path(__file__).parent / "fixtures"
SHEET = (FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8")
TURTLE = (FIXTURES / "study-file.ttl").read_text(encoding="utf-8")
CODEBOOK = (FIXTURES / "cb-nested.qdc").read_text(encoding="utf-8")
MAX_BYTES = 200_000
NS_CB = "urn:QDA-XML:codebook:1.0"


@dataclass
class Case:
    """One malformed input and a fragment the message that rejects it must contain."""

    id: str
    filename: str
    data: bytes
    expect: str
    line: int | None = None  # the line the message must name, when it is known


def sheet(old: str, new: str, count: int = 1) -> bytes:
    assert old in SHEET, old
    return SHEET.replace(old, new, count).encode("utf-8")


def ttl(old: str, new: str) -> bytes:
    assert old in TURTLE, old
    return TURTLE.replace(old, new).encode("utf-8")


def qdc(old: str, new: str) -> bytes:
    assert old in CODEBOOK, old
    return CODEBOOK.replace(old, new).encode("utf-8")


HEADING = "study,label,dimension,role,concept,quote,section,speaker,kind,cell,description,justification"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="&lol3;"/>
</Codes></CodeBook>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0A1B2C3D-0000-4000-8000-000000000001" name="&xxe;"/>
</Codes></CodeBook>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE CodeBook SYSTEM "http://example.org/evil.dtd">
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"""
SCHEME_ONLY = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="0A1B2C3D-0000-4000-8000-000000000009" name="Budgets" isCodable="true"/>
</Codes></CodeBook>"""

CASES = [
    # -- CSV coding sheets ------------------------------------------------------------------------------------------
    Case("csv-missing-dimension-column", "s.csv", sheet(HEADING, HEADING.replace(",dimension", "")), "no 'dimension'"),
    Case("csv-missing-role-column", "s.csv", sheet(HEADING, HEADING.replace(",role", "")), "no 'role'"),
    Case("csv-missing-label-column", "s.csv", sheet(HEADING, HEADING.replace(",label", ",")), "no 'label'"),
    Case("csv-typo-column", "s.csv", sheet(HEADING, HEADING.replace("concept", "concpt")), "unknown column 'concpt'",
         14),
    Case("csv-unknown-dimension", "s.csv", sheet("organizational-managerial,internal", "cultural,internal"),
         "unknown dimension 'cultural'", 15),
    Case("csv-unknown-role", "s.csv", sheet("internal weakness", "internal worry"), "unknown role 'internal worry'",
         15),
    Case("csv-quote-without-section", "s.csv", sheet('minute.",4.2', 'minute.",'), "the quote has no section", 15),
    Case("csv-latin1", "s.csv", sheet("Limited staff", "Limitéd staff").replace("é".encode(), b"\xe9"),
         "is not UTF-8", 15),
    Case("csv-xlsx-workbook", "s.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 64,
         "binary", 1),
    Case("csv-utf16-bad", "s.csv", codecs.BOM_UTF16_LE + b"\x00\xd8", "not UTF-16", 1),
    Case("csv-existing-study-key", "s.csv", sheet("ana-2021", "bertot-2012", 99), "already exists", 2),
    Case("csv-row-other-study", "s.csv", sheet("ana-2021,Residents", "other-2021,Residents"),
         "the row names study 'other-2021'", 16),
    Case("csv-header-field-twice", "s.csv", sheet("year,2021\n", "year,2021\nyear,2022\n"), "gives year twice", 7),
    Case("csv-no-key", "s.csv", sheet("key,ana-2021\n", ""), "has no key"),
    Case("csv-bad-key", "s.csv", sheet("key,ana-2021", "key,Ana 2021!"), "is not a key", 2),
    Case("csv-bad-year", "s.csv", sheet("year,2021", "year,20x1"), "is not a year", 6),
    Case("csv-year-out-of-range", "s.csv", sheet("year,2021", "year,1850"), "out of range", 6),
    Case("csv-bad-doi", "s.csv", sheet("doi,10.1234/example.2021.001", "doi,doi:example"), "DOI", 12),
    Case("csv-unknown-focus", "s.csv", sheet("focus,microblogging", "focus,podcasts"), "unknown research focus", 8),
    Case("csv-unknown-purpose", "s.csv", sheet("purpose,transparency;", "purpose,fun;"), "unknown purpose 'fun'", 9),
    Case("csv-unknown-method", "s.csv", sheet("method,semi-structured-interview", "method,astrology"),
         "unknown method kind", 10),
    Case("csv-no-method-section", "s.csv", sheet("method section,3\n", ""), "has no method section"),
    Case("csv-unknown-concept", "s.csv", sheet("internal weakness,staffing", "internal weakness,no-such-concept"),
         "concept 'no-such-concept' does not exist", 15),
    Case("csv-concept-not-a-key", "s.csv", sheet("internal weakness,staffing", "internal weakness,Staff & time!"),
         "is not a concept key", 15),
    Case("csv-new-country-without-code", "s.csv", sheet("country,united-states", "country,Atlantis"),
         "needs its ISO code"),
    Case("csv-unknown-region", "s.csv", sheet("doi,", "region,atlantic\ndoi,"), "unknown region 'atlantic'", 12),
    Case("csv-header-only", "s.csv", SHEET.split(HEADING)[0].encode(), "no mentions table"),
    Case("csv-no-rows", "s.csv", (SHEET.split(HEADING)[0] + HEADING + "\n").encode(), "has no rows"),
    Case("csv-empty-label", "s.csv", sheet(",Privacy,", ",,"), "the label is empty", 18),
    Case("csv-unquoted-delimiter", "s.csv", sheet("Records retention,information", "Records, retention,information"),
         "cells but the heading has", 17),
    Case("csv-unknown-evidence-kind", "s.csv", sheet("a city clerk,interview", "a city clerk,rumour"),
         "unknown evidence kind", 15),
    Case("csv-kind-without-quote", "s.csv", sheet('"Residents increasingly raise issues on Twitter."', ""),
         "no quote", 16),
    Case("csv-table2-factor-without-description", "s.csv",
         sheet("Residents' use of Twitter pushes cities to be there too.", ""), "description", 16),
    Case("csv-mention-without-section", "s.csv", sheet("privacy,,5,", "privacy,,,"), "section", 18),
    Case("csv-empty-file", "s.csv", b"  \n", "empty", 1),
    Case("csv-oversized", "s.csv", SHEET.encode() + b"x" * MAX_BYTES, "bytes"),
    Case("unknown-form", "notes.docx", b"\x00\x01binary", "cannot tell the form"),
    # -- study files (Turtle) ---------------------------------------------------------------------------------------
    Case("ttl-syntax-error", "t.ttl", ttl('egov:authors "Tur, F." ;', 'egov:authors "Tur, F. ;'), "not valid Turtle"),
    Case("ttl-no-study", "t.ttl", ttl("study:tur-2019 a egov:Study ;", "study:tur-2019 a egov:Method ;"),
         "exactly one egov:Study"),
    Case("ttl-two-studies", "t.ttl", TURTLE.encode() + b"\nstudy:tur-2020 a egov:Study .\n", "exactly one egov:Study"),
    Case("ttl-describes-other-study-node", "t.ttl", TURTLE.encode() +
         b'\nm:zheng-2013.digital-divide egov:section "9" .\n', "not a node of study 'tur-2019'"),
    Case("ttl-claims-other-mention", "t.ttl", ttl("egov:reportsFactor m:tur-2019.slow-approval .",
                                                  "egov:reportsFactor m:tur-2019.slow-approval , "
                                                  "m:zheng-2013.digital-divide ."), "belongs to another study"),
    Case("ttl-study-iri-not-a-study-key", "t.ttl", TURTLE.replace("study:tur-2019", "study:Tur_2019").encode(),
         "is not study:<key>"),
    Case("ttl-year-out-of-range", "t.ttl", ttl('"2019"^^xsd:gYear', '"1850"^^xsd:gYear'), "year"),
    Case("ttl-unknown-dimension", "t.ttl", ttl("dim:organizational-managerial", "dim:cultural"),
         "dimension 'cultural' does not exist"),
    Case("ttl-existing-study", "t.ttl", TURTLE.replace("tur-2019", "bertot-2012").encode(), "already exists"),
    Case("ttl-oversized", "t.ttl", TURTLE.encode() + b"#" * MAX_BYTES, "bytes"),
    # -- REFI-QDA codebooks -----------------------------------------------------------------------------------------
    Case("qdc-billion-laughs", "b.qdc", BOMB, "refused"),
    Case("qdc-external-entity", "x.qdc", XXE, "refused"),
    Case("qdc-external-dtd", "d.qdc", EXTERNAL_DTD, "refused"),
    Case("qdc-not-well-formed", "c.qdc", qdc("</Codes>", "</Code>"), "not well-formed", 39),
    Case("qdc-wrong-namespace", "c.qdc", qdc('xmlns="urn:QDA-XML:codebook:1.0"', 'xmlns="urn:example"'),
         "root element"),
    Case("qdc-no-study-code", "c.qdc", qdc('name="Study"', 'name="Header"'), "codes named 'Study'"),
    Case("qdc-code-without-guid", "c.qdc", qdc('guid="0A1B2C3D-0000-4000-8000-000000000007" ', ""), "has no guid", 34),
    Case("qdc-malformed-guid", "c.qdc", qdc("0A1B2C3D-0000-4000-8000-000000000007", "not-a-guid"), "malformed guid",
         34),
    Case("qdc-duplicate-guid", "c.qdc", qdc("0A1B2C3D-0000-4000-8000-000000000007",
                                            "0A1B2C3D-0000-4000-8000-000000000004"), "used twice", 34),
    Case("qdc-set-unknown-member", "c.qdc", qdc('<MemberCode targetGUID="0A1B2C3D-0000-4000-8000-000000000005"/>',
                                                '<MemberCode targetGUID="0A1B2C3D-0000-4000-8000-0000000000FF"/>'),
         "which the codebook does not have", 44),
    Case("qdc-unknown-top-level-code", "c.qdc", qdc('name="Information"', 'name="Misc"'),
         "neither 'Study' nor a dimension", 33),
    Case("qdc-scheme-not-study", "s.qdc", SCHEME_ONLY, "is a factor scheme"),
    Case("qdc-header-without-country", "c.qdc", qdc("country: Mexico\n", ""), "has no country"),
    Case("qdc-quote-without-section", "c.qdc", qdc("section: 4.1\n", ""), "the quote has no section", 18),
    Case("qdc-unknown-role-line", "c.qdc", qdc("concept: privacy\n", "concept: privacy\nrole: bystander\n"),
         "unknown role 'bystander'", 34),
    Case("qdc-deep-nesting", "n.qdc", (f'<?xml version="1.0"?><CodeBook xmlns="{NS_CB}"><Codes>'
                                       + "".join(f'<Code guid="{i:08X}-0000-4000-8000-000000000000" name="c{i}">'
                                                 for i in range(2000)) + "</Code>" * 2000
                                       + "</Codes></CodeBook>").encode(), "nested deeper than", 1),
    Case("qdc-oversized", "c.qdc", CODEBOOK.encode() + b"<!--" + b"x" * MAX_BYTES + b"-->", "bytes"),
]


def test_enough_cases() -> None:
    assert len(CASES) >= 40, f"the issue asks for at least 40 malformed inputs; there are {len(CASES)}"
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
    forms = {c.filename.rsplit(".", 1)[-1] for c in CASES}
    assert {"csv", "ttl", "qdc"} <= forms, f"every form needs malformed cases; found {forms}"


def _findings(store: Store, case: Case) -> list[Finding]:
    try:
        parsed = read_input(case.data, case.filename, store=store, who="tester", max_bytes=MAX_BYTES)
    except IngestError as e:
        return [Finding.of_problem(p) for p in e.problems]
    outcome = add_study(store, parsed, who="tester")
    assert not outcome.written, f"{case.id}: written although malformed"
    return outcome.findings


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rejected_located_and_store_unchanged(module_store: Store, case: Case) -> None:
    before = module_store.dump("nquads")
    findings = _findings(module_store, case)
    after = module_store.dump("nquads")
    assert after == before, f"{case.id}: the store changed"
    report = "\n".join(f.text() for f in findings)
    assert findings, f"{case.id}: accepted"
    matching = [f for f in findings if case.expect.lower() in f.text().lower()]
    assert matching, f"{case.id}: no message mentions {case.expect!r}:\n{report}"
    for f in matching:
        assert f.file == case.filename, f"{case.id}: the message does not name the file: {f.text()}"
        assert f.line is not None or f.field, f"{case.id}: the message has neither line nor field: {f.text()}"
    if case.line is not None:
        assert any(f.line == case.line for f in matching), f"{case.id}: expected line {case.line}:\n{report}"

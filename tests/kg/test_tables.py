"""Table 1 and Table 2 regenerated from the built KG equal the paper's, cell by cell.

The expected cells are transcribed here by hand from Zheng (2013). Table 1 packs several issues into one cell; the
KG splits them into separate mentions (labels as written) and keeps the cell's original text in ``egov:tableCell``.
So each Table 1 cell is given twice: the paper's text, and the issues it splits into.
"""

import csv
import io
import json

import pytest
from paper_tables import TABLE2, TABLE2_COLUMNS

from kg import tables
from kg.store import Store

SE, PLP, OM, INF, TECH = "se", "plp", "om", "inf", "tech"
DIMENSION_ORDER = [SE, PLP, OM, INF, TECH]
TABLE1_HEADINGS = ["Social and economic", "Political, legal and policy", "Organizational and managerial",
                   "Information-related", "Technological"]

# (study as Table 1 names it, research focus, purposes, {dimension: (paper's cell text, [issues it splits into])})
TABLE1: list[tuple[str, str, str, dict[str, tuple[str, list[str]]]]] = [
    ("Center for Technology in Government (2009)", "Social media in general", "General purposes", {
        SE: ("Accessibility", ["Accessibility"]),
        PLP: ("Legal and regulatory ramifications, political risks",
              ["Legal and regulatory ramifications", "political risks"]),
        OM: ("Resources, governance, making a business case, perception",
             ["Resources", "governance", "making a business case", "perception"]),
        INF: ("Security, information overload", ["Security", "information overload"]),
        TECH: ("Fast pace of change in environment", ["Fast pace of change in environment"]),
    }),
    ("Human Capital Institute (2010)", "Social media in general", "General purposes", {
        SE: ("User adoption", ["User adoption"]),
        PLP: ("Higher priorities take precedence", ["Higher priorities take precedence"]),
        OM: ("Difficulty in building a compelling business case, lack of support from leadership, lack of expertise, "
             "budgetary",
             ["Difficulty in building a compelling business case", "lack of support from leadership",
              "lack of expertise", "budgetary"]),
        INF: ("Security restrictions", ["Security restrictions"]),
    }),
    ("Staiou and Gouscos (2010)", "Social media in general", "Participatory e-governance", {
        SE: ("Contextual factors", ["Contextual factors"]),
        PLP: ("Contextual factors", ["Contextual factors"]),
        OM: ("Process design, and process implementation", ["Process design", "process implementation"]),
    }),
    ("Bryer (2011)", "Social media in general", "Public participation", {
        PLP: ("Formal institution and political intelligence", ["Formal institution", "political intelligence"]),
        OM: ("Administrative culture, organizational culture", ["Administrative culture", "organizational culture"]),
    }),
    ("Bertot et al. (2010)", "Social media in general", "Transparency", {
        SE: ("Social readiness, technology penetration", ["Social readiness", "technology penetration"]),
        OM: ("Culture of transparency access of government agencies",
             ["Culture of transparency", "access of government agencies"]),
        TECH: ("Technology capabilities, technology readiness", ["Technology capabilities", "technology readiness"]),
    }),
    ("Li et al. (2010)", "Microblogging", "Government and netizens relationship", {
        SE: ("Immaturity of internet users", ["Immaturity of internet users"]),
        OM: ('Selective listening and response; the "show" effect; mismatch between users\' expectations and actual '
             "effects",
             ["Selective listening and response", 'the "show" effect',
              "mismatch between users' expectations and actual effects"]),
    }),
    ("Bertot et al. (2012)", "Social media in general", "General purposes", {
        SE: ("Access and social inclusion", ["Access and social inclusion"]),
        OM: ("Governing and government", ["Governing and government"]),
        INF: ("Privacy, security, accuracy and archiving", ["Privacy", "security", "accuracy", "archiving"]),
    }),
    ("Cui (2011)", "Microblogging", "General purposes", {
        PLP: ("Lack of laws and regulations", ["Lack of laws and regulations"]),
        OM: ("Lack of operating mechanisms, lack of marketing measures",
             ["Lack of operating mechanisms", "lack of marketing measures"]),
    }),
    ("Kavanaugh et al. (2012)", "Social media in general", "General purposes", {
        PLP: ("Policy, legal issues", ["Policy", "legal issues"]),
        OM: ("Costs and training", ["Costs", "training"]),
        INF: ("Communication information,", ["Communication", "information"]),
        TECH: ("Technology", ["Technology"]),
    }),
    ("Liu et al. (2011)", "Microblogging", "Internet politics and informatization", {
        PLP: ("Lack of relevant regulations", ["Lack of relevant regulations"]),
        OM: ("Lack of collaboration, lack of institutions", ["Lack of collaboration", "lack of institutions"]),
    }),
    ("Picazo-Vela et al. (2012)", "Social media in general", "General purposes", {
        SE: ("General context", ["General context"]),
        PLP: ("Institutional framework", ["Institutional framework"]),
        OM: ("Interorganizational collaboration and networks, organizational structure and processes",
             ["Interorganizational collaboration and networks", "organizational structure and processes"]),
        INF: ("Information and data", ["Information and data"]),
        TECH: ("Technology", ["Technology"]),
    }),
    ("Qu (2011)", "Microblogging", "General purposes", {
        SE: ("Verbal aggression, opinion disorder", ["Verbal aggression", "opinion disorder"]),
        INF: ("Threats to confidentiality,", ["Threats to confidentiality"]),
    }),
    ("Han (2012)", "Microblogging", "General purposes", {
        OM: ("Lack of unified guidelines, weak marketing, low level of interactions",
             ["Lack of unified guidelines", "weak marketing", "low level of interactions"]),
    }),
    ("Deng (2011)", "Microblogging", "General purposes", {
        SE: ("Emotional expressions", ["Emotional expressions"]),
        INF: ("Threats to confidentiality, information accuracy and authority",
              ["Threats to confidentiality", "information accuracy and authority"]),
    }),
    ("Zheng and Ren (2012)", "Microblogging", "General purposes", {
        OM: ("Inconsistent identity, short active period, rigid and inconsistent language styles, lack of "
             "cross-boundary collaboration",
             ["Inconsistent identity", "short active period", "rigid and inconsistent language styles",
              "lack of cross-boundary collaboration"]),
        INF: ("Irrelevant information, low frequency of information updates",
              ["Irrelevant information", "low frequency of information updates"]),
    }),
    ("Zheng (2012)", "Microblogging", "General purposes", {
        OM: ("Low level of transparency and interaction, attention to the government rather than general public, "
             "rigid forms and language styles",
             ["Low level of transparency", "interaction", "attention to the government rather than general public",
              "rigid forms and language styles"]),
    }),
]

@pytest.fixture(scope="module")
def table1(store: Store) -> tables.Matrix:
    return tables.table1(store)


@pytest.fixture(scope="module")
def table2(store: Store) -> tables.Matrix:
    return tables.table2(store)


def test_transcription_is_complete() -> None:
    assert len(TABLE1) == 16, "Table 1 reviews 16 studies"
    assert sum(len(cols[i]) for _, cols in TABLE2 for i in range(4)) == 18, "Table 2 lists 18 factors"


def test_table1_rows(table1: tables.Matrix) -> None:
    got = [tuple(r["header"]) for r in table1.rows]
    want = [(study, focus, purposes) for study, focus, purposes, _ in TABLE1]
    assert got == want, f"Table 1 rows (study, focus, purposes) differ from the paper:\n got {got}\nwant {want}"


@pytest.mark.parametrize("row", range(len(TABLE1)), ids=[t[0] for t in TABLE1])
def test_table1_cells(table1: tables.Matrix, row: int) -> None:
    study, _, _, cells = TABLE1[row]
    assert len(table1.rows) == len(TABLE1), f"Table 1 has {len(table1.rows)} rows, the paper {len(TABLE1)}"
    got_row = table1.rows[row]
    assert got_row["header"][0] == study, f"row {row + 1} is {got_row['header'][0]}, the paper's is {study}"
    for dim, heading, cell in zip(DIMENSION_ORDER, TABLE1_HEADINGS, got_row["cells"], strict=True):
        paper_text, issues = cells.get(dim, ("", []))
        labels = [label for _, label in cell.mentions]
        assert labels == issues, f"{study} / {heading}: issues {labels}, expected {issues}"
        assert cell.text(", ") == ", ".join(issues), f"{study} / {heading}: joined cell {cell.text(', ')!r}"
        if len(issues) > 1:
            assert cell.original is not None, f"{study} / {heading}: a split cell must keep its original text"
        if cell.original is not None:
            assert cell.original == paper_text, (
                f"{study} / {heading}: original cell text {cell.original!r}, the paper's is {paper_text!r}")


def test_table2_cells(table2: tables.Matrix) -> None:
    assert [r["header"][0] for r in table2.rows] == [d for d, _ in TABLE2], (
        f"Table 2 dimensions {[r['header'][0] for r in table2.rows]}")
    for r, (dim, columns) in zip(table2.rows, TABLE2, strict=True):
        for col, cell, expected in zip(TABLE2_COLUMNS, r["cells"], columns, strict=True):
            labels = [label for _, label in cell.mentions]
            assert labels == expected, f"Table 2 / {dim} / {col}: {labels}, the paper has {expected}"


def test_table1_csv(table1: tables.Matrix) -> None:
    reader = csv.DictReader(io.StringIO(tables.render(table1, "csv")))
    assert reader.fieldnames == ["Study", "Research focus", "Purposes", *TABLE1_HEADINGS], (
        f"Table 1 CSV columns {reader.fieldnames}")
    rows = list(reader)
    assert len(rows) == len(TABLE1), f"Table 1 CSV has {len(rows)} rows"
    for rec, (study, focus, purposes, cells) in zip(rows, TABLE1, strict=True):
        assert (rec["Study"], rec["Research focus"], rec["Purposes"]) == (study, focus, purposes), rec
        for dim, heading in zip(DIMENSION_ORDER, TABLE1_HEADINGS, strict=True):
            want = ", ".join(cells.get(dim, ("", []))[1])
            assert rec[heading] == want, f"Table 1 CSV {study} / {heading}: {rec[heading]!r}, expected {want!r}"


def table2_records() -> list[dict[str, str]]:
    return [{"Dimension": dim, **{c: "; ".join(v) for c, v in zip(TABLE2_COLUMNS, cols, strict=True)}}
            for dim, cols in TABLE2]


def test_table2_csv(table2: tables.Matrix) -> None:
    reader = csv.DictReader(io.StringIO(tables.render(table2, "csv")))
    assert reader.fieldnames == ["Dimension", *TABLE2_COLUMNS], f"Table 2 CSV columns {reader.fieldnames}"
    assert list(reader) == table2_records(), "Table 2 CSV cells differ from the paper (factors joined by '; ')"


def test_table2_json(table2: tables.Matrix) -> None:
    records = json.loads(tables.render(table2, "json"))
    assert records == table2_records(), "Table 2 JSON records differ from the paper"
    assert list(records[0]) == ["Dimension", *TABLE2_COLUMNS], f"Table 2 JSON keys in order: {list(records[0])}"


def test_table1_json(table1: tables.Matrix) -> None:
    records = json.loads(tables.render(table1, "json"))
    assert [r["Study"] for r in records] == [t[0] for t in TABLE1], "Table 1 JSON rows"
    assert list(records[0]) == ["Study", "Research focus", "Purposes", *TABLE1_HEADINGS], "Table 1 JSON keys"
    for rec, (_, _, _, cells) in zip(records, TABLE1, strict=True):
        for dim, heading in zip(DIMENSION_ORDER, TABLE1_HEADINGS, strict=True):
            assert rec[heading] == ", ".join(cells.get(dim, ("", []))[1]), f"Table 1 JSON {rec['Study']} / {heading}"


def parse_markdown(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and body cells of a markdown pipe table (un-escaping ``\\|``)."""
    lines = text.strip().splitlines()
    assert lines[1].startswith("|---"), f"second line must be the separator, got {lines[1]!r}"

    def cells(line: str) -> list[str]:
        parts = line.strip().strip("|").replace("\\|", "\0").split("|")
        return [p.strip().replace("\0", "|") for p in parts]

    return cells(lines[0]), [cells(line) for line in lines[2:]]


def test_table2_markdown(table2: tables.Matrix) -> None:
    header, body = parse_markdown(tables.render(table2, "markdown"))
    assert header == ["Dimension", *TABLE2_COLUMNS], f"Table 2 markdown header {header}"
    assert body == [list(r.values()) for r in table2_records()], "Table 2 markdown cells differ from the paper"


def test_table1_markdown(table1: tables.Matrix) -> None:
    header, body = parse_markdown(tables.render(table1, "markdown"))
    assert header == ["Study", "Research focus", "Purposes", *TABLE1_HEADINGS], f"Table 1 markdown header {header}"
    want = [[s, f, p, *(", ".join(c.get(d, ("", []))[1]) for d in DIMENSION_ORDER)] for s, f, p, c in TABLE1]
    assert body == want, "Table 1 markdown cells differ from the paper"


def test_unknown_format_is_refused(table2: tables.Matrix) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        tables.render(table2, "xlsx")

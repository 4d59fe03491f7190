"""Competency questions: each ``kg/queries/competency/NAME.rq`` runs on the built KG and must return exactly the
bindings in ``NAME.expected.csv`` beside it (header = the projected variables; IRIs in full, literals by their
lexical form, unbound as empty). Queries with ORDER BY must return the rows in the expected order."""

import csv
import io
import re
from pathlib import Path

import pytest

from kg import config
from kg.store import Store

COMPETENCY_DIR = config.QUERIES_DIR / "competency"
CASES = sorted(COMPETENCY_DIR.glob("*.rq"))


def expected_file(query: Path) -> Path:
    return query.with_name(query.stem + ".expected.csv")


def test_competency_questions_found() -> None:
    assert len(CASES) >= 5, f"expected competency questions in {COMPETENCY_DIR}, found {[p.name for p in CASES]}"
    orphans = [p.name for p in COMPETENCY_DIR.glob("*.expected.csv")
               if not p.with_name(p.name.removesuffix(".expected.csv") + ".rq").exists()]
    assert not orphans, f"expected-results files without a query: {orphans}"


@pytest.mark.parametrize("query", CASES, ids=[p.stem for p in CASES])
def test_competency_question(store: Store, query: Path) -> None:
    text = config.rebase(query.read_text(encoding="utf-8"))
    assert text.startswith("# Competency question:"), f"{query.name} must open with '# Competency question: …'"
    exp_path = expected_file(query)
    assert exp_path.is_file(), f"{query.name} has no expected results {exp_path.name} beside it"
    reader = csv.reader(io.StringIO(config.rebase(exp_path.read_text(encoding="utf-8"))))
    header, *expected = list(reader)
    result = store.query(text)
    variables = [v.value for v in result.variables]
    assert variables == header, f"{query.name} projects {variables}, {exp_path.name} has columns {header}"
    got = [[("" if sol[v] is None else sol[v].value) for v in variables] for sol in result]
    assert got, f"{query.name} returned no rows"
    if not re.search(r"\bORDER\s+BY\b", text, re.IGNORECASE):
        got, expected = sorted(got), sorted(expected)
    missing = [row for row in expected if row not in got]
    extra = [row for row in got if row not in expected]
    assert got == expected, f"{query.name}: missing rows {missing}, unexpected rows {extra}, or a different order"

"""Ontology hygiene: every rule in ``ontology/hygiene/*.rq`` is a SELECT that must return no rows on the built KG."""

from pathlib import Path

import pytest
from rdflib import Dataset

from kg import config
from kg.store import OxigraphStore, Store

HYGIENE_DIR = config.ONTOLOGY_DIR / "hygiene"
RULES = sorted(HYGIENE_DIR.glob("*.rq"))


def test_hygiene_rules_found() -> None:
    assert len(RULES) >= 10, f"expected the hygiene rules in {HYGIENE_DIR}, found {[p.name for p in RULES]}"


@pytest.mark.parametrize("rule", RULES, ids=[p.stem for p in RULES])
def test_hygiene_rule(store: Store, rule: Path) -> None:
    text = config.rebase(rule.read_text(encoding="utf-8"))
    assert text.lstrip().startswith("# Hygiene:"), (
        f"{rule.name} must open with a '# Hygiene:' comment saying what it checks")
    offenders = store.select(text)
    report = "\n".join("  " + ", ".join(f"{k}={v}" for k, v in row.items()) for row in offenders)
    if offenders:
        print(f"{rule.name}: {len(offenders)} offender(s)\n{report}")
    assert not offenders, f"hygiene rule {rule.name} found {len(offenders)} offender(s):\n{report}"


BROKEN = Path(__file__).parent / "fixtures" / "hygiene-broken.trig"
EGOV_NS = "https://w3id.org/egovkg/ontology/"
EX = "https://w3id.org/egovkg/id/example/"
MUST_REPORT = {
    "term-label": EGOV_NS + "NoLabel",
    "term-definition": EGOV_NS + "TwoDefinitions",
    "term-is-defined-by": EGOV_NS + "NotImported",
    "property-domain-range": EGOV_NS + "noDomain",
    "term-naming": EGOV_NS + "lowerClass",
    "term-duplicate-label": EGOV_NS + "SameLabelOne",
    "undeclared-term-in-data": EGOV_NS + "undeclaredProperty",
    "undeclared-vocabulary-value": "https://w3id.org/egovkg/id/role/no-such-role",
    "concept-label-definition": EX + "undefined-concept",
    "concept-in-scheme": EX + "schemeless",
    "concept-duplicate-preflabel": EX + "twin-one",
}
"""For each rule, the node of the broken fixture it must report (every rule needs an entry)."""


@pytest.fixture(scope="module")
def broken_store() -> Store:
    ds = Dataset()
    ds.parse(BROKEN, format="trig")
    store = OxigraphStore()
    store.load_dataset(ds)
    return store


def test_every_rule_has_a_broken_case() -> None:
    assert {p.stem for p in RULES} == set(MUST_REPORT), (
        "each hygiene rule needs a defect in fixtures/hygiene-broken.trig and an entry in MUST_REPORT: "
        f"rules without a case {sorted({p.stem for p in RULES} - set(MUST_REPORT))}, "
        f"cases without a rule {sorted(set(MUST_REPORT) - {p.stem for p in RULES})}")


@pytest.mark.parametrize("rule", RULES, ids=[p.stem for p in RULES])
def test_hygiene_rule_fires_on_broken_fixture(broken_store: Store, rule: Path) -> None:
    offenders = broken_store.select(config.rebase(rule.read_text(encoding="utf-8")))
    reported = {v for row in offenders for v in row.values()}
    expected = MUST_REPORT.get(rule.stem)
    assert expected in reported, f"{rule.name} must report {expected} in the broken fixture; it reported {offenders}"
    assert EGOV_NS + "Good" not in reported, f"{rule.name} reports the well-formed class egov:Good: {offenders}"

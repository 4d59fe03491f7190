"""Ontology hygiene: every rule in ``ontology/hygiene/*.rq`` is a SELECT that must return no rows on the built KG."""

from pathlib import Path

import pytest

from kg import config
from kg.store import Store

HYGIENE_DIR = config.ONTOLOGY_DIR / "hygiene"
RULES = sorted(HYGIENE_DIR.glob("*.rq"))


def test_hygiene_rules_found() -> None:
    assert len(RULES) >= 10, f"expected the hygiene rules in {HYGIENE_DIR}, found {[p.name for p in RULES]}"


@pytest.mark.parametrize("rule", RULES, ids=[p.stem for p in RULES])
def test_hygiene_rule(store: Store, rule: Path) -> None:
    text = config.rebase(rule.read_text(encoding="utf-8"))
    assert text.lstrip().startswith("# Hygiene:"), f"{rule.name} must open with a '# Hygiene:' comment saying what it checks"
    offenders = store.select(text)
    report = "\n".join("  " + ", ".join(f"{k}={v}" for k, v in row.items()) for row in offenders)
    if offenders:
        print(f"{rule.name}: {len(offenders)} offender(s)\n{report}")
    assert not offenders, f"hygiene rule {rule.name} found {len(offenders)} offender(s):\n{report}"

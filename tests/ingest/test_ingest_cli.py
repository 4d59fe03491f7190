"""``egovkg add``, ``egovkg remove`` and ``egovkg export-codebook`` on an on-disk store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.config import get_settings
from kg.cli import app
from kg.store import OxigraphStore

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Writes on, and a store in tmp_path."""
    monkeypatch.setenv("EGOVKG_WRITE_TOKEN", "cli-token")
    monkeypatch.setenv("EGOVKG_STORE", f"oxigraph:{tmp_path / 'store'}")
    get_settings.cache_clear()
    yield tmp_path / "store"
    get_settings.cache_clear()


def test_add_dry_run_accept_remove(env: Path) -> None:
    r = CliRunner()
    sheet = FIXTURES / "sheet-comma.csv"
    res = r.invoke(app, ["add", str(sheet), "--dry-run", "--as", "Ada"])
    assert res.exit_code == 0, res.output
    assert "conforms (dry run, nothing written)" in res.output, res.output
    res = r.invoke(app, ["add", str(sheet), "--as", "Ada", "--format", "json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["written"] and report["versionAfter"] != report["versionBefore"], report
    res = r.invoke(app, ["add", str(sheet), "--as", "Ada"])
    assert res.exit_code == 1 and "already exists" in res.output, res.output
    res = r.invoke(app, ["add", str(sheet), "--replace", "--as", "Ada"])
    assert res.exit_code == 0 and "replace ana-2021: written" in res.output, res.output
    res = r.invoke(app, ["remove", "bertot-2012"])
    assert res.exit_code == 1 and "refers to" in res.output, res.output
    res = r.invoke(app, ["remove", "ana-2021", "--as", "Ada"])
    assert res.exit_code == 0 and "remove ana-2021: written" in res.output, res.output
    store = OxigraphStore(env)
    assert not any(g.endswith("/graph/study/ana-2021") for g in store.named_graphs())


def test_add_reports_every_problem_located(env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    text = (FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("internal weakness", "internal worry").replace("social-economic", "socio"),
                   encoding="utf-8")
    res = CliRunner().invoke(app, ["add", str(bad)])
    assert res.exit_code == 1, res.output
    assert f"{bad}:15:D (role): unknown role 'internal worry'" in res.output, res.output
    assert f"{bad}:16:C (dimension): unknown dimension 'socio'" in res.output, res.output


def test_accept_one_suggestion(env: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text((FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8").replace(
        "internal weakness,staffing,", "internal weakness,,"), encoding="utf-8")
    r = CliRunner()
    res = r.invoke(app, ["add", str(sheet)])
    assert res.exit_code == 1 and "suggested: staffing" in res.output, res.output
    res = r.invoke(app, ["add", str(sheet), "--accept", "limited-staff-time=staffing", "--as", "Ada"])
    assert res.exit_code == 0, res.output
    assert "accepted staffing" in res.output, res.output


def test_export_codebook(tmp_path: Path) -> None:
    out = tmp_path / "factors.qdc"
    res = CliRunner().invoke(app, ["export-codebook", "--out", str(out), "--store", "memory:"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>') and 'name="Digital divide and access"' in text

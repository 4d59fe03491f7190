"""Synthetic corpora for the tests that check a query against a reference over many studies: ``kg.synth`` studies
plus hand-made edge cases, laid out like kg/data, and the embedded store holding them with the shipped KG."""

from __future__ import annotations

from pathlib import Path

from kg import bulk, synth
from kg.build import Built
from kg.store import OxigraphStore


def corpus(out: Path, studies: int, seed: int, edge_cases: str | None = None) -> Path:
    """``studies`` synthetic studies (``seed``) in ``out``, and the Turtle ``edge_cases`` as one more study file."""
    synth.write(out, studies, seed=seed)
    if edge_cases:
        (out / "studies" / "zz-edge-cases.ttl").write_text(edge_cases, encoding="utf-8")
    return out


def store(built: Built, data: Path) -> OxigraphStore:
    """An in-memory embedded store with the shipped KG and the studies of ``data`` (close it when done)."""
    s = OxigraphStore()
    bulk.load(s, built, bulk.study_files(data))
    return s

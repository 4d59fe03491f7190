"""What the before/after benchmarks share: timing two versions side by side, a query text of another revision, a
synthetic store opened or loaded once, and the machine facts every result is headed with."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def side_by_side(fns: dict[str, Callable[[], Any]], runs: int) -> dict[str, Any]:
    """Each function once to warm up, then ``runs`` rounds of all of them in turn (so that a change in the machine's
    load hits each alike); medians and all runs in ms."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(runs):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[k].append(round((time.perf_counter() - t) * 1000, 1))
    out: dict[str, Any] = {f"{k}_median_ms": round(statistics.median(v), 1) for k, v in times.items()}
    out["runs_ms"] = times
    return out


def query_at(revision: str, name: str) -> str:
    """The text of ``kg/queries/<name>.rq`` at a git revision, rebased to the configured base IRI."""
    from kg import config

    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:kg/queries/{name}.rq"],
        check=True, capture_output=True, text=True,
    ).stdout
    return config.rebase(text, config.base_iri())


def synthetic_store(data: Path, path: Path, studies: int, seed: int) -> tuple[Any, float | None]:
    """The embedded store at ``path``, loaded with the shipped KG and ``studies`` synthetic studies (written to
    ``data`` with ``seed`` when missing) unless it exists; the store and the load time in s (None when it existed)."""
    from kg import bulk, synth
    from kg.build import build_dataset
    from kg.store import OxigraphStore

    if path.exists():
        return OxigraphStore(path), None
    if not (data / "studies").is_dir():
        synth.write(data, studies, seed=seed)
    store = OxigraphStore(path)
    return store, round(bulk.load(store, build_dataset(validate=False), bulk.study_files(data)).seconds, 1)


def machine(load_before: tuple[float, float, float]) -> dict[str, Any]:
    """Date, machine, Python, pyoxigraph, the load average before and now, and the revision measured."""
    import pyoxigraph

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "pyoxigraph": getattr(pyoxigraph, "__version__", "?"),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "head": head,
    }

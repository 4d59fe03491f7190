"""Crash safety: a process doing a large add into an on-disk Oxigraph store is SIGKILLed at random points, again and
again; each time the reopened store holds exactly the state before the write or exactly the state after it."""

from __future__ import annotations

import gc
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from kg import config
from kg.build import Built, load_store
from kg.store import OxigraphStore
from kg.write import graph_iri

ITERATIONS = int(os.environ.get("EGOVKG_KILL_ITERATIONS", "16"))
MENTIONS = 2000
CONCEPTS = ["privacy", "funding", "staffing", "archiving", "digital-divide", "public-trust", "information-quality"]
CHILD = """
import sys, time
from kg.ingest import read_input
from kg.store import OxigraphStore
from kg.write import add_study
store = OxigraphStore(sys.argv[1])
parsed = read_input(open(sys.argv[2], "rb").read(), "big.csv", store=store, who="kill test", max_bytes=50_000_000)
print("READY", flush=True)
commit = store.replace_graphs


def traced(graphs, version=None):
    # Mark the transaction, so that half the kill points can be aimed inside it.
    print("COMMIT", flush=True)
    c = time.perf_counter()
    commit(graphs, version)
    print("COMMITTED", time.perf_counter() - c, flush=True)


store.replace_graphs = traced
t = time.perf_counter()
# SHACL writes nothing and would take most of the time: skip it so that the kill points fall on the write.
outcome = add_study(store, parsed, who="kill test", shacl=False)
print("DONE", outcome.written, time.perf_counter() - t, flush=True)
"""


def big_sheet(path: Path) -> None:
    """A coding sheet of a large study (one row per mention)."""
    head = ["field,value", "key,big-2024", "title,A large study", 'citation,"Big, A. (2024). A large study. X, 1."',
            "year,2024", "country,china", "focus,microblogging", "purpose,transparency",
            "method,semi-structured-interview", "method section,3", "",
            "study,label,dimension,role,concept,section,cell"]
    rows = [f"big-2024,Factor number {i},information,issue,{CONCEPTS[i % len(CONCEPTS)]},{i % 9 + 1}.{i % 7},"
            f"Cell {i // 4}" for i in range(MENTIONS)]
    path.write_text("\n".join(head + rows) + "\n", encoding="utf-8")


def state(path: Path) -> dict:
    """The store's content split into: the study graph, the provenance graphs, the version, everything else."""
    store = OxigraphStore(path)
    try:
        study_g = str(graph_iri("big-2024"))
        prov_prefix = config.base_iri() + "graph/provenance/"
        meta = config.base_iri() + "graph/meta"
        study, prov, rest = set(), set(), set()
        for line in store.dump("nquads").decode("utf-8").splitlines():
            graph = line.rsplit(" ", 2)[-2] if line.endswith(" .") else ""
            if graph == f"<{study_g}>":
                study.add(line)
            elif graph.startswith(f"<{prov_prefix}"):
                prov.add(graph)
            elif graph != f"<{meta}>":
                rest.add(line)
        return {"study": frozenset(study), "prov": frozenset(prov), "rest": frozenset(rest), "version": store.version()}
    finally:
        del store
        gc.collect()  # release the store's lock before the next process opens it


def run_child(store_dir: Path, sheet: Path, kill: tuple[str, float] | None) -> dict[str, float]:
    """Run the add; SIGKILL it ``delay`` seconds after the ``READY`` or ``COMMIT`` mark (None: let it finish)."""
    env = {**os.environ, "PYTHONPATH": str(config.ROOT)}
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(store_dir), str(sheet)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env, cwd=config.ROOT)
    assert p.stdout is not None
    line = p.stdout.readline()
    assert line.startswith("READY"), f"child failed to start: {line} {p.stderr.read() if p.stderr else ''}"
    if kill is None:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        marks = dict(ln.split(maxsplit=1) for ln in out.splitlines() if " " in ln)
        assert marks.get("DONE", "").startswith("True"), out + err
        return {"total": float(marks["DONE"].split()[1]), "commit": float(marks["COMMITTED"])}
    mark, delay = kill
    if mark == "commit":
        line = p.stdout.readline()
        assert line.startswith("COMMIT"), f"expected the COMMIT mark, got {line!r}"
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    return {}


def test_sigkill_leaves_before_or_after(tmp_path: Path, built: Built) -> None:
    pristine = tmp_path / "pristine"
    store = load_store(OxigraphStore(pristine), built)
    store.close()
    del store
    gc.collect()
    sheet = tmp_path / "big.csv"
    big_sheet(sheet)
    before = state(pristine)
    assert not before["study"] and before["rest"], "the pristine store must hold the KG and not the study"

    ref = tmp_path / "reference"
    shutil.copytree(pristine, ref)
    timing = run_child(ref, sheet, None)
    after = state(ref)
    assert len(after["study"]) > 10 * MENTIONS, f"the reference add wrote {len(after['study'])} quads"
    assert len(after["prov"]) == 1 and after["version"] != before["version"] and after["rest"] == before["rest"]

    rng = random.Random(int(os.environ.get("EGOVKG_KILL_SEED", "20261126")))
    seen = {"before": 0, "after": 0}
    for i in range(ITERATIONS):
        work = tmp_path / f"run-{i}"
        shutil.copytree(pristine, work)
        # Even runs: anywhere in the write; odd runs: inside the transaction (a little past it, now and then).
        kill = ("ready", rng.uniform(0, 1.2 * timing["total"])) if i % 2 == 0 else \
            ("commit", rng.uniform(0, 1.1 * timing["commit"]))
        delay = kill[1]
        run_child(work, sheet, kill)
        s = state(work)
        assert s["rest"] == before["rest"], f"kill {i} at {delay:.3f}s changed other graphs"
        if not s["study"]:
            assert not s["prov"] and s["version"] == before["version"], f"kill {i} at {delay:.3f}s: partial state"
            seen["before"] += 1
        else:
            assert s["study"] == after["study"], f"kill {i} at {delay:.3f}s: the study graph is incomplete " \
                                                 f"({len(s['study'])} of {len(after['study'])} quads)"
            assert len(s["prov"]) == 1 and s["version"] != before["version"], f"kill {i}: provenance or version missing"
            seen["after"] += 1
        shutil.rmtree(work)
    print(f"{ITERATIONS} kills; write {timing['total']:.2f}s of which commit {timing['commit']:.2f}s: {seen}")
    assert sum(seen.values()) == ITERATIONS
    assert seen["before"] > 0, f"no kill landed before the commit: {seen}"

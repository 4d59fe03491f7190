"""What resolving a study group costs at N synthetic studies on the embedded store, before and after
``group_members.rq`` was specialized to the criteria given (studies as a VALUES block), in the same process.

"Before" is the query of another revision (``--before``, default ``main``: ``git show REV:kg/queries/group_members.rq``)
run as that code ran it: every criterion bound, "any" for those not given, over every study, and the group's
``studies`` filtered in Python afterwards. "After" is ``kg.compare.resolve_group`` of this tree. Each case runs
both, alternately (so that a change in the machine's load hits both alike), and reports the medians; the groups
of the flagship GraphQL comparison (``api/examples/compare_china_west.graphql``) are also timed through
``kg.compare.summarize`` (both groups, then ``compare.rq``), "before" with the old resolution patched in.

    .venv/bin/python benchmarks/group_bench.py --studies 10000
    .venv/bin/python benchmarks/group_bench.py --studies 10000 --data /tmp/grp-s10000 --store /tmp/grp-store-s10000

``--data`` and ``--store`` keep the synthetic studies and the loaded store between runs (made when missing);
without them both go in a temporary directory that is removed afterwards. This is a benchmark, not a test: it
asserts nothing and prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = {
    "studies=zheng-2013": {"studies": ("zheng-2013",)},
    "place=western": {"place": "western"},
    "place=china;from=2010": {"place": "china", "year_from": 2010},
}


def side_by_side(fns: dict[str, Callable[[], Any]], runs: int) -> dict[str, Any]:
    """Each function once to warm up, then ``runs`` rounds of all of them in turn; medians and all runs in ms."""
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--studies", type=int, default=10000, help="synthetic studies (seed --seed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, help="directory of the synthetic studies (written when missing)")
    ap.add_argument("--store", type=Path, help="directory of the embedded store (loaded when missing)")
    ap.add_argument("--runs", type=int, default=7, help="timed rounds per case")
    ap.add_argument("--before", default="main", help="the revision whose group_members.rq is 'before'")
    args = ap.parse_args()

    from kg import bulk, config, synth
    from kg import compare as cmp
    from kg.build import build_dataset
    from kg.store import OxigraphStore

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="egovkg-group-bench-"))
    data = args.data or tmp / "data"
    path = args.store or tmp / "store"
    try:
        if not (data / "studies").is_dir():
            synth.write(data, args.studies, seed=args.seed)
        loaded = None
        if not path.exists():
            store = OxigraphStore(path)
            loaded = round(bulk.load(store, build_dataset(validate=False), bulk.study_files(data)).seconds, 1)
        else:
            store = OxigraphStore(path)
        n = len(store.select("SELECT ?s WHERE { ?s a <https://w3id.org/egovkg/ontology/Study> }"))

        old_text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{args.before}:kg/queries/group_members.rq"],
            check=True, capture_output=True, text=True,
        ).stdout
        old_text = config.rebase(old_text, config.base_iri())

        def old_resolve(s: Any, group: cmp.StudyGroup) -> list[str]:
            wanted = {cmp.expand("study", x) for x in group.studies}
            members = [r["study"] for r in s.select(old_text, group.bindings())]
            return sorted(m for m in members if m in wanted) if wanted else sorted(members)

        new_resolve = cmp.resolve_group
        results: dict[str, Any] = {}
        for name, kw in CASES.items():
            g = cmp.StudyGroup(**kw)
            before, after = old_resolve(store, g), new_resolve(store, g)
            results[name] = {"studies": len(after), "same_studies": before == after} | side_by_side(
                {"before": lambda g=g: old_resolve(store, g), "after": lambda g=g: new_resolve(store, g)}, args.runs
            )

        a, b = cmp.StudyGroup(studies=("zheng-2013",)), cmp.StudyGroup(place="western")

        def summarize_with(resolve: Callable[..., list[str]]) -> Callable[[], Any]:
            def run() -> Any:
                cmp.resolve_group = resolve  # type: ignore[assignment]  # summarize looks it up at call time
                try:
                    return cmp.summarize(store, a, b)
                finally:
                    cmp.resolve_group = new_resolve  # type: ignore[assignment]
            return run

        s_before, s_after = summarize_with(old_resolve)(), summarize_with(new_resolve)()
        same = (s_before.studies_a, s_before.studies_b, s_before.concepts) == (
            s_after.studies_a, s_after.studies_b, s_after.concepts)
        results["summarize(studies=zheng-2013, place=western)"] = {
            "concepts": len(s_after.concepts), "same_summary": same,
        } | side_by_side({"before": summarize_with(old_resolve), "after": summarize_with(new_resolve)}, args.runs)

        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        import pyoxigraph

        print(json.dumps({
            "benchmark": "group_bench",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pyoxigraph": getattr(pyoxigraph, "__version__", "?"),
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            "head": head,
            "before": args.before,
            "synthetic_studies": args.studies,
            "seed": args.seed,
            "studies_in_store": n,
            "load_s": loaded,
            "runs": args.runs,
            "cases": results,
        }, indent=2))
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

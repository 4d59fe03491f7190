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
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import machine, query_at, side_by_side, synthetic_store  # noqa: E402 (benchmarks/, the script's dir)

CASES = {
    "studies=zheng-2013": {"studies": ("zheng-2013",)},
    "place=western": {"place": "western"},
    "place=china;from=2010": {"place": "china", "year_from": 2010},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--studies", type=int, default=10000, help="synthetic studies (seed --seed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, help="directory of the synthetic studies (written when missing)")
    ap.add_argument("--store", type=Path, help="directory of the embedded store (loaded when missing)")
    ap.add_argument("--runs", type=int, default=7, help="timed rounds per case")
    ap.add_argument("--before", default="main", help="the revision whose group_members.rq is 'before'")
    args = ap.parse_args()

    from kg import compare as cmp
    from kg import synth

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="egovkg-group-bench-"))
    data = args.data or tmp / "data"
    path = args.store or tmp / "store"
    try:
        if not (data / "studies").is_dir():
            synth.write(data, args.studies, seed=args.seed)
        store, loaded = synthetic_store(data, path, args.studies, args.seed)
        n = len(store.select("SELECT ?s WHERE { ?s a <https://w3id.org/egovkg/ontology/Study> }"))

        old_text = query_at(args.before, "group_members")

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

        print(json.dumps({
            "benchmark": "group_bench",
            **machine(load_before),
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

"""What the first read of a filtered GraphQL list costs at N synthetic studies on the embedded store, before and
after the list queries' ``FILTER EXISTS`` criteria became joins with sub-selects, in the same process.

A list connection reads its whole list once per dataset version (``api.graphql.resolvers.lists.list_items``: the
query specialized to the criteria given, every IRI read and sorted), so after every write the first page of a
filtered list costs what this read costs. "Before" is ``kg/queries/gql_*.rq`` of another revision (``--before``,
default ``main``: ``git show REV:kg/queries/NAME.rq``), "after" the one of this tree; both specialized to the same
criteria (``kg.queries.specialize``) and read the same way. Each case runs both, alternately (so that a change in
the machine's load hits both alike), and reports the medians and whether both read the same IRIs.

    .venv/bin/python benchmarks/list_filters_bench.py --store /tmp/grp-store-s10000
    .venv/bin/python benchmarks/list_filters_bench.py --studies 10000 --data /tmp/l2-s10000 --store /tmp/l2-store

An existing ``--store`` is only read; when missing it is loaded from ``--data`` (N synthetic studies, seed
``--seed``, written when missing), as ``benchmarks/group_bench.py`` does. Without ``--store`` both go in a
temporary directory that is removed afterwards. This is a benchmark, not a test: it asserts nothing and prints
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import machine, query_at, side_by_side, synthetic_store  # noqa: E402 (benchmarks/, the script's dir)

ID = "https://w3id.org/egovkg/id/"
EGOV = "https://w3id.org/egovkg/ontology/"


def cases() -> dict[str, tuple[str, dict[str, Any]]]:
    """Name -> (list query, the criteria given), as the connections bind them."""
    from rdflib import Literal, URIRef

    def iri(kind: str, key: str) -> URIRef:
        return URIRef(f"{ID}{kind}/{key}")

    def cls(name: str) -> dict[str, Any]:
        return {"class": URIRef(EGOV + name)}

    return {
        "studies place=western": ("gql_studies", {"place": iri("place", "western")}),
        "studies focus=microblogging": ("gql_studies", {"focus": iri("focus", "microblogging")}),
        "studies purpose=transparency": ("gql_studies", {"purpose": iri("purpose", "transparency")}),
        "studies concept=information-security (unchanged)": (
            "gql_studies", {"concept": iri("concept", "information-security")}),
        "studies place=china focus=microblogging": (
            "gql_studies", {"place": iri("place", "china"), "focus": iri("focus", "microblogging")}),
        "mentions place=western": ("gql_mentions", {"place": iri("place", "western")}),
        "mentions focus=microblogging": ("gql_mentions", {"focus": iri("focus", "microblogging")}),
        "mentions purpose=transparency": ("gql_mentions", {"purpose": iri("purpose", "transparency")}),
        "mentions concept=information-security": ("gql_mentions", {"concept": iri("concept", "information-security")}),
        "mentions text=security": ("gql_mentions", {"text": Literal("security")}),
        "mentions study=zheng-2013 (unchanged)": ("gql_mentions", {"study": iri("study", "zheng-2013")}),
        "concepts place=western": ("gql_concepts", {"place": iri("place", "western")}),
        "concepts text=security": ("gql_concepts", {"text": Literal("security")}),
        "evidence study=zheng-2013": ("gql_items", cls("Evidence") | {"study": iri("study", "zheng-2013")}),
        "evidence study=synth-005222": ("gql_items", cls("Evidence") | {"study": iri("study", "synth-005222")}),
        "interpretations study=zheng-2013": (
            "gql_items", cls("Interpretation") | {"study": iri("study", "zheng-2013")}),
        "evidence text=government (unchanged)": ("gql_items", cls("Evidence") | {"text": Literal("government")}),
        "studies text=government (unchanged)": ("gql_studies", {"text": Literal("government")}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--studies", type=int, default=10000, help="synthetic studies (seed --seed), when loading")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, help="directory of the synthetic studies (written when missing)")
    ap.add_argument("--store", type=Path, help="directory of the embedded store (read; loaded when missing)")
    ap.add_argument("--runs", type=int, default=5, help="timed rounds per case")
    ap.add_argument("--before", default="main", help="the revision whose gql_*.rq are 'before'")
    ap.add_argument("--only", nargs="*", help="run only the cases whose name contains one of these")
    args = ap.parse_args()


    from api.graphql.resolvers.lists import _item
    from kg import queries

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="egovkg-list-bench-"))
    data = args.data or tmp / "data"
    path = args.store or tmp / "store"
    try:
        store, loaded = synthetic_store(data, path, args.studies, args.seed)
        n = len(store.select(f"SELECT ?s WHERE {{ ?s a <{EGOV}Study> }}"))

        def old_text(name: str) -> str:
            return query_at(args.before, name)

        def read(query: str, bindings: dict[str, Any]) -> tuple[str, ...]:
            """The list as ``list_items`` reads it."""
            return tuple(sorted({_item(row[0]) for row in store.query(query, bindings)}))

        results: dict[str, Any] = {}
        for case, (name, given) in cases().items():
            if args.only and not any(o in case for o in args.only):
                continue
            before_q = queries.specialize(old_text(name), given)
            after_q = queries.specialize(queries.text(name), given)
            b, a = read(before_q, given), read(after_q, given)
            results[case] = {"items": len(a), "same_items": a == b} | side_by_side(
                {"before": lambda q=before_q, g=given: read(q, g), "after": lambda q=after_q, g=given: read(q, g)},
                args.runs,
            )
            r = results[case]
            r["speedup"] = round(r["before_median_ms"] / max(r["after_median_ms"], 0.1), 1)
            print(f"{case}: {r['before_median_ms']} -> {r['after_median_ms']} ms", file=sys.stderr, flush=True)

        print(json.dumps({
            "benchmark": "list_filters_bench",
            **machine(load_before),
            "before": args.before,
            "store": str(args.store) if args.store else None,
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

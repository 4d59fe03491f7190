"""How cost grows with the number of studies, on the embedded and the remote backend (issue 5).

For each N it writes N synthetic studies (``egovkg synth``, seed 1), and for each backend runs one child process
(so that peak memory is that configuration's alone) that measures: bulk-load time; GraphQL ``compare`` latency
(the flagship China-vs-West query of ``api/examples``) against the raw SPARQL of the same bounded comparison
(``sparql_compare``: group members, compare.rq, compare_members.rq, the members' labels) on the same store; the
paginated study list (GraphQL ``studies(first: 20)`` with nested mentions, and its SPARQL alone); adding one study
(``kg.write.add_study``: validation of what it touches + commit); and peak memory (the API process, plus the
``oxigraph serve`` process for the remote backend). Full SHACL validation of the whole KG runs in its own child,
with a time cap. Ratios are measured in the same child run.

    .venv/bin/python benchmarks/scale_bench.py --sizes 100 1000 10000 --out benchmarks/results/scale.json
    .venv/bin/python benchmarks/scale_bench.py --plot benchmarks/results/scale.json --png docs/scale-latency.png

This is a benchmark, not a test: it asserts nothing and prints JSON lines as it goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
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

LIST_QUERY = """query StudyPage($after: String) {
  studies(first: 20, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    edges { node { iri label year mentions { label dimension { label } role { label } } } }
  }
}"""


def timeit(fn: Callable[[], Any], budget_s: float = 15.0, max_runs: int = 15, min_runs: int = 3) -> dict[str, float]:
    """Run ``fn`` once to warm up, then until the budget or ``max_runs``; median and p90 in milliseconds."""
    fn()
    runs: list[float] = []
    start = time.perf_counter()
    while len(runs) < max_runs and (len(runs) < min_runs or time.perf_counter() - start < budget_s):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    runs.sort()
    return {
        "median_ms": round(statistics.median(runs), 2),
        "p90_ms": round(runs[int(0.9 * (len(runs) - 1))], 2),
        "runs": len(runs),
    }


def interleaved(
    a: Callable[[], Any], b: Callable[[], Any], budget_s: float = 30.0, max_rounds: int = 15
) -> dict[str, Any]:
    """Run ``a`` and ``b`` alternately (after one warm-up each), so that a change in the machine's load hits both;
    the median of the per-round ratios a/b, and each side's median in milliseconds."""
    a(), b()
    ta: list[float] = []
    tb: list[float] = []
    start = time.perf_counter()
    while len(ta) < max_rounds and (len(ta) < 3 or time.perf_counter() - start < budget_s):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return {
        "ratio": round(statistics.median(x / y for x, y in zip(ta, tb, strict=True)), 2),
        "a_median_ms": round(statistics.median(ta), 2),
        "b_median_ms": round(statistics.median(tb), 2),
        "rounds": len(ta),
    }


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_oxigraph(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``oxigraph serve`` on a free loopback port, data in ``workdir``."""
    import httpx

    binary = str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(workdir / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start")


REMOTE_QUERY_TIMEOUT_S = 3600.0
"""How long one query on the remote engine may take here (the per-configuration ``--timeout`` bounds the run)."""


# -- the flagship comparison as raw SPARQL ------------------------------------------------------------------------
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?x ?label WHERE { VALUES ?x { %s } ?x rdfs:label ?label }"""


def sparql_compare(store: Any, a: Any, b: Any, first: int = 10, concepts: int = 100) -> dict[str, Any]:
    """What ``api/examples/compare_china_west.graphql`` answers, straight from SPARQL: the groups
    (``group_members.rq``), every concept's status, strength, counts and label (``compare.rq``), the members of the
    sides shown (``compare_members.rq``) and their labels; the first ``concepts`` of each concept list and the first
    ``first`` members of each side, as GraphQL's defaults."""
    from kg import compare as cmp

    s = cmp.summarize(store, a, b)
    only_a, both = s.only_a[:concepts], s.both[:concepts]
    keys = [(c.concept, side) for c in only_a + both for side in ("a", "b") if c.mentions[side]]
    _, found = cmp.members(store, s.studies_a, s.studies_b, keys)
    firsts = {k: (m.studies[:first], m.mentions[:first]) for k, m in found.items()}
    shown = sorted({x for studies, mentions in firsts.values() for x in studies + mentions})
    labels = {r["x"]: r["label"] for r in store.select(LABELS % " ".join(f"<{x}>" for x in shown))} if shown else {}

    def side(c: Any, side: str, studies: bool) -> dict[str, Any]:
        got_studies, got_mentions = firsts.get((c.concept, side), ([], []))
        out: dict[str, Any] = {"mentionCount": c.mentions[side],
                               "mentions": [{"iri": m, "label": labels.get(m)} for m in got_mentions]}
        if studies:
            out |= {"studyCount": c.studies[side], "studies": [{"iri": x, "label": labels.get(x)} for x in got_studies]}
        return out

    def concept(c: Any) -> dict[str, Any]:
        return {"iri": c.concept, "label": c.label}

    return {
        "studyCountB": len(s.studies_b),
        "bothCount": len(s.both),
        "onlyACount": len(s.only_a),
        "onlyA": [{"concept": concept(c), "a": side(c, "a", False)} for c in only_a],
        "both": [{"concept": concept(c), "strength": c.strength.upper(), "a": side(c, "a", False),
                  "b": side(c, "b", True)} for c in both],
    }


def answer_of(body: dict[str, Any]) -> dict[str, Any]:
    """The GraphQL answer of the flagship comparison in the shape of :func:`sparql_compare` (keys in the same order)."""
    c = body["data"]["compare"]
    return {k: c[k] for k in ("studyCountB", "bothCount", "onlyACount", "onlyA", "both")}


# -- the child: one (N, backend) configuration --------------------------------------------------------------------
def child(
    n: int, backend: str, data_dir: Path, work: Path, light: bool = False, list_only: bool = False
) -> dict[str, Any]:
    """Measure one configuration; return a JSON-ready dict."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.config import Settings
    from api.routers import graphql
    from kg import bulk, synth
    from kg import compare as cmp
    from kg.build import build_dataset
    from kg.ingest import read_input
    from kg.remote import RemoteSparqlStore
    from kg.store import OxigraphStore, Store
    from kg.write import add_study

    out: dict[str, Any] = {"n": n, "backend": backend}
    built = build_dataset(validate=False)  # full validation is measured on its own
    files = bulk.study_files(data_dir) if n else []
    server = None
    store: Store
    if backend == "embedded":
        store = OxigraphStore(work / "store")
    else:
        server, url = start_oxigraph(work)
        # the store's default 60 s per query is a server's setting; at 100,000 studies a comparison takes minutes
        store = RemoteSparqlStore(f"{url}/query", f"{url}/update", f"{url}/store", timeout=REMOTE_QUERY_TIMEOUT_S)
    stats = bulk.load(store, built, files)
    out["quads"] = stats.quads
    out["load_s"] = round(stats.seconds, 2)

    app = FastAPI()
    app.include_router(graphql.router)
    app.state.store = store
    # Nothing kept between requests: every GraphQL compare computes its comparison, as the raw SPARQL side does
    # (paging through a comparison reuses it; that is the service's cache, not the cost measured here).
    app.state.settings = Settings(store="memory:", graphql_cache_enabled=False, graphql_compare_cache_rows=0,
                                  graphql_max_page_size=100)
    client = TestClient(app)
    compare_query = (ROOT / "api/examples/compare_china_west.graphql").read_text()

    def gql(query: str, variables: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        r = client.post("/graphql", json={"query": query, "variables": variables or {}, **extra})
        body = r.json()
        if r.status_code != 200 or "errors" in body:
            raise RuntimeError(f"GraphQL failed: {r.status_code} {str(body)[:500]}")
        return body

    study_query = (
        '{ study(iri: "https://w3id.org/egovkg/id/study/zheng-2013") { label mentions { label evidence { quote } } } }'
    )
    out["graphql_study"] = timeit(lambda: gql(study_query))
    out["health"] = timeit(lambda: (store.version(), len(store)))
    if not light and not list_only:  # light: the 100,000-study memory run, where compare and full lists take minutes
        q0 = store.query_count
        body = gql(compare_query)
        out["compare_store_queries"] = store.query_count - q0
        out["compare_response_kb"] = round(len(json.dumps(body)) / 1024, 1)
        ga, gb = cmp.StudyGroup(studies=("zheng-2013",)), cmp.StudyGroup(place="western")
        q0 = store.query_count
        raw = sparql_compare(store, ga, gb)
        out["sparql_compare_store_queries"] = store.query_count - q0
        out["compare_same_answer"] = raw == answer_of(body)  # the same comparison, both ways
        out["graphql_compare"] = timeit(lambda: gql(compare_query))
        out["sparql_compare"] = timeit(lambda: sparql_compare(store, ga, gb))
        out["compare_ratio"] = round(out["graphql_compare"]["median_ms"] / out["sparql_compare"]["median_ms"], 2)
        # the same two, alternately: on a shared machine the load moves between the two series above
        out["compare_interleaved"] = interleaved(lambda: gql(compare_query), lambda: sparql_compare(store, ga, gb))

    if not light:
        page = gql(LIST_QUERY, extensions={"sparql": True})
        cursor = page["data"]["studies"]["pageInfo"]["endCursor"]
        recorded = page.get("extensions", {}).get("sparql", [])
        out["graphql_list_first"] = timeit(lambda: gql(LIST_QUERY))
        out["graphql_list_next"] = timeit(lambda: gql(LIST_QUERY, {"after": cursor}))
        if recorded:
            from rdflib.util import from_n3

            def raw_list() -> None:
                for r in recorded:
                    store.select(r["query"], {k: from_n3(v) for k, v in r.get("bindings", {}).items()} or None)

            out["sparql_list"] = timeit(raw_list)
            out["list_ratio"] = round(out["graphql_list_first"]["median_ms"] / out["sparql_list"]["median_ms"], 2)
        if list_only:
            # the same pages without totalCount; totalCount alone; the mentions (10 per study); and each of those
            # "cold", as the first request after a write is: without the sorted lists the service keeps
            no_count = LIST_QUERY.replace("    totalCount\n", "")
            count_only = "{ studies { totalCount } }"
            mentions = LIST_QUERY.replace("studies(", "mentions(").replace(
                "edges { node { iri label year mentions { label dimension { label } role { label } } } }",
                "edges { node { iri label dimension { label } role { label } study { label } } }",
            )
            page = gql(mentions)
            m_cursor = page["data"]["mentions"]["pageInfo"]["endCursor"]
            out["graphql_list_first_no_count"] = timeit(lambda: gql(no_count))
            out["graphql_list_next_no_count"] = timeit(lambda: gql(no_count, {"after": cursor}))
            out["graphql_count_only"] = timeit(lambda: gql(count_only))
            out["graphql_mentions_first"] = timeit(lambda: gql(mentions))
            out["graphql_mentions_next"] = timeit(lambda: gql(mentions, {"after": m_cursor}))
            kept = getattr(getattr(app.state, "graphql", None), "lists", None)
            if kept is not None:

                def cold(query: str, variables: dict[str, Any] | None = None) -> Callable[[], Any]:
                    return lambda: (kept.clear(), gql(query, variables))

                out["graphql_list_first_cold"] = timeit(cold(LIST_QUERY))
                out["graphql_list_next_cold"] = timeit(cold(LIST_QUERY, {"after": cursor}))
                out["graphql_count_only_cold"] = timeit(cold(count_only))
                out["graphql_mentions_first_cold"] = timeit(cold(mentions))

    if list_only:
        out["api_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if server is not None:
            server.terminate()
            server.wait(30)
        store.close()
        return out

    # Adding one study to the KG: read, validate what it touches, commit (one transaction).
    syn = synth.Synthesizer(5, seed=4242, tail_share=0.0)
    adds = []
    for i in range(1, 4):
        key, text = syn.study_ttl(i)
        key2 = f"bench-{n}-{i}"
        text = text.replace(key, key2)
        t = time.perf_counter()
        parsed = read_input(text.encode(), f"{key2}.ttl", store=store, who="bench")
        o = add_study(store, parsed, who="bench")
        adds.append((time.perf_counter() - t) * 1000)
        if not o.written:
            out["add_error"] = str(o.as_dict())[:1000]
            break
    out["add_study_ms"] = [round(a, 1) for a in adds]
    out["add_study_median_ms"] = round(statistics.median(adds), 1)

    out["api_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if server is not None:
        out["engine_peak_rss_mb"] = vm_hwm_mb(server.pid)
        server.terminate()
        server.wait(30)
    store.close()
    return out


def validate_child(n: int, data_dir: Path) -> dict[str, Any]:
    """Full SHACL validation (pySHACL) of the shipped KG plus N synthetic studies, as ``egovkg validate --data-dir``
    does: partitioned, the shared context with 500 studies at a time, in this one process."""
    from kg.validate import validate_data_dir

    t, cpu = time.perf_counter(), time.process_time()
    report = validate_data_dir(data_dir if n else None)
    return {
        "n": n,
        "validate_s": round(time.perf_counter() - t, 1),
        "validate_cpu_s": round(time.process_time() - cpu, 1),
        "conforms": report.conforms,
        "validate_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# -- /sparql throughput against rdflib-endpoint and oxigraph serve ------------------------------------------------
THROUGHPUT_QUERY = """PREFIX egov: <https://w3id.org/egovkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?study ?label WHERE { ?study a egov:Study ; rdfs:label ?label } ORDER BY ?study LIMIT 10"""


def wrk(url: str, seconds: int, connections: int) -> dict[str, Any]:
    """Run ``wrk`` (Debian's package) against a GET URL; requests/s, p50 and p99 in ms, non-2xx count."""
    import re

    p = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept: application/sparql-results+json",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = p.stdout

    def ms(label: str) -> float | None:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not m:
            return None
        return round(float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)], 2)

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else None,
    }


def throughput(n: int, seconds: int, connections: int) -> list[dict[str, Any]]:
    """The same small SELECT over N studies: egovkg's /sparql (one uvicorn worker), rdflib-endpoint, oxigraph serve."""
    from urllib.parse import quote

    import httpx

    from kg import bulk, synth
    from kg.build import build_dataset
    from kg.store import OxigraphStore

    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sparql-bench-") as tmp:
        work = Path(tmp)
        synth.write(work / "data", n, seed=1)
        built = build_dataset(validate=False)
        emb = OxigraphStore(work / "store")
        bulk.load(emb, built, bulk.study_files(work / "data"))
        (work / "kg.nq").write_bytes(emb.dump("nquads"))
        emb.close()
        del emb
        procs: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
        # wrk is one client address: lift the per-client limits (rate, concurrent queries) that would answer 429.
        env.update({"EGOVKG_RATE_LIMIT_PER_MINUTE": "100000000", "EGOVKG_SPARQL_MAX_CONCURRENT_PER_CLIENT": "1000"})
        bindir = Path(sys.executable).parent
        # The same query again and again: with the result cache (as shipped) every answer but the first is a hit;
        # with the cache off every one runs on a worker. Two copies of the store, since one process opens each.
        shutil.copytree(work / "store", work / "store-nocache")
        for name, store_dir, cache_bytes in (("egovkg /sparql (1 worker, cache on)", "store", None),
                                             ("egovkg /sparql (1 worker, cache off)", "store-nocache", "0")):
            port = free_port()
            procs[name] = (
                subprocess.Popen(
                    [str(bindir / "egovkg"), "serve", "--store", f"oxigraph:{work / store_dir}", "--port", str(port)],
                    env=env if cache_bytes is None else {**env, "EGOVKG_SPARQL_CACHE_BYTES": cache_bytes},
                    cwd=work,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ),
                f"http://127.0.0.1:{port}/sparql?query=",
            )
        port = free_port()
        procs["rdflib-endpoint"] = (
            subprocess.Popen(
                [
                    str(bindir / "rdflib-endpoint"),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    str(work / "kg.nq"),
                ],
                cwd=work,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
            f"http://127.0.0.1:{port}/?query=",
        )
        oxi, url = start_oxigraph(work)
        httpx.post(
            f"{url}/store",
            content=(work / "kg.nq").read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            timeout=300,
        ).raise_for_status()
        procs["oxigraph serve"] = (oxi, f"{url}/query?union-default-graph&query=")
        try:
            expected = None
            for name, (proc, base) in procs.items():
                target = base + quote(THROUGHPUT_QUERY)
                for _ in range(600):  # rdflib-endpoint parses the whole dump at start
                    try:
                        r = httpx.get(target, headers={"Accept": "application/sparql-results+json"}, timeout=30)
                        if r.status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.2)
                if "results" not in r.text:
                    raise RuntimeError(f"{name} answered {r.status_code}: {r.text[:500]}")
                rows = [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]
                expected = expected or rows
                result = {
                    "n": n,
                    "server": name,
                    "same_rows": rows == expected,
                    "connections": connections,
                    "seconds": seconds,
                    **wrk(target, seconds, connections),
                }
                result["peak_rss_mb"] = vm_hwm_mb(proc.pid)
                out.append(result)
                print(json.dumps(result), flush=True)
        finally:
            for proc, _ in procs.values():
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    on = next(r for r in out if r["server"].endswith("cache on)"))
    off = next(r for r in out if r["server"].endswith("cache off)"))
    for r in out:
        r["egovkg_ratio"] = round(on["rps"] / r["rps"], 2) if r["rps"] else None
        r["egovkg_cache_off_ratio"] = round(off["rps"] / r["rps"], 2) if r["rps"] else None
    print(json.dumps({"ratios": {r["server"]: [r["egovkg_ratio"], r["egovkg_cache_off_ratio"]] for r in out}}))
    return out


# -- the parent --------------------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """Where the numbers come from."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "uname": " ".join(platform.uname()[:3] + platform.uname()[4:5]),
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }


def run_child(args: list[str], timeout: float) -> dict[str, Any]:
    """Run this script as a child and read its last JSON line; a timeout is recorded, not raised."""
    cmd = [sys.executable, __file__, *args]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"timeout_s": timeout}
    lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"error": (p.stderr or p.stdout)[-2000:]}
    return json.loads(lines[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--backends", nargs="+", default=["embedded", "remote"])
    ap.add_argument(
        "--validate-sizes",
        type=int,
        nargs="*",
        default=None,
        help="sizes at which to run full SHACL validation (default: all)",
    )
    ap.add_argument("--light", action="store_true", help="only load, lookups, adding a study and memory (for 100,000)")
    ap.add_argument("--list-only", action="store_true", help="only load and the study list pages (no compare, no add)")
    ap.add_argument("--validate-timeout", type=float, default=900)
    ap.add_argument("--timeout", type=float, default=1800, help="per configuration")
    ap.add_argument("--out", type=Path, help="append results (JSON lines) to this file")
    ap.add_argument("--plot", type=Path, help="plot a results file instead of measuring")
    ap.add_argument("--markdown", type=Path, help="print a results file as markdown tables instead of measuring")
    ap.add_argument("--png", type=Path, default=ROOT / "docs/scale-latency.png")
    ap.add_argument("--throughput", type=int, metavar="N", help="compare /sparql throughput at N studies instead")
    ap.add_argument("--seconds", type=int, default=10, help="wrk duration per server (--throughput)")
    ap.add_argument("--connections", type=int, default=50, help="wrk connections (--throughput)")
    ap.add_argument("--child", nargs=3, metavar=("N", "BACKEND", "DATA"), help=argparse.SUPPRESS)
    ap.add_argument("--validate-child", nargs=2, metavar=("N", "DATA"), help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.child:
        with tempfile.TemporaryDirectory(prefix="scale-child-", ignore_cleanup_errors=True) as work:
            out = child(int(a.child[0]), a.child[1], Path(a.child[2]), Path(work), a.light, a.list_only)
            print(json.dumps(out), flush=True)
        return
    if a.validate_child:
        print(json.dumps(validate_child(int(a.validate_child[0]), Path(a.validate_child[1]))), flush=True)
        return
    if a.plot:
        plot(a.plot, a.png)
        return
    if a.markdown:
        print(markdown(a.markdown))
        return
    if a.throughput:
        header = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv])}
        rows = throughput(a.throughput, a.seconds, a.connections)
        if a.out:
            with a.out.open("a") as sink:
                for r in [header, *rows]:
                    sink.write(json.dumps(r) + "\n")
        return

    from kg import synth

    header = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv])}
    print(json.dumps(header), flush=True)
    sink = a.out.open("a") if a.out else None
    if sink:
        sink.write(json.dumps(header) + "\n")
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        for n in a.sizes:
            data = Path(tmp) / f"synth-{n}"
            t = time.perf_counter()
            synth.write(data, n, seed=1)
            rows = [{"n": n, "synth_s": round(time.perf_counter() - t, 2)}]
            for backend in a.backends:
                extra = (["--light"] if a.light else []) + (["--list-only"] if a.list_only else [])
                rows.append(
                    run_child(["--child", str(n), backend, str(data), *extra], a.timeout) | {"n": n, "backend": backend}
                )
            if a.validate_sizes is None or n in a.validate_sizes:
                rows.append(
                    run_child(["--validate-child", str(n), str(data)], a.validate_timeout)
                    | {"n": n, "kind": "validate"}
                )
            for r in rows:
                print(json.dumps(r), flush=True)
                if sink:
                    sink.write(json.dumps(r) + "\n")
                    sink.flush()
            shutil.rmtree(data)


def markdown(results: Path) -> str:
    """The results as the tables of BENCHMARKS.md's Scale section."""
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    runs = [r for r in rows if r.get("backend") and "quads" in r]
    val = {r["n"]: r for r in rows if r.get("kind") == "validate"}
    med = lambda r, k: r[k]["median_ms"] if isinstance(r.get(k), dict) else None  # noqa: E731

    def f(x: float | None, unit: str = "") -> str:
        if x is None:
            return "–"
        return (f"{x:,.0f}" if x >= 100 else f"{x:,.1f}" if x >= 10 else f"{x:,.2f}") + unit

    out = [
        "| N | backend | quads | load (s) | GraphQL compare (ms) | SPARQL compare (ms) | ratio | list page 1 / 2 (ms) "
        "| list SPARQL (ms) | study lookup (ms) | add one study (ms) | peak RSS API / engine (MB) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(runs, key=lambda r: (r["n"], r["backend"])):
        out.append(
            f"| {r['n']:,} | {r['backend']} | {r['quads']:,} | {f(r['load_s'])} | {f(med(r, 'graphql_compare'))} "
            f"| {f(med(r, 'sparql_compare'))} | {f(r.get('compare_ratio'))}{'×' if r.get('compare_ratio') else ''} "
            f"| {f(med(r, 'graphql_list_first'))} / {f(med(r, 'graphql_list_next'))} "
            f"| {f(med(r, 'sparql_list'))} | {f(med(r, 'graphql_study'))} | {f(r.get('add_study_median_ms'))} "
            f"| {f(r['api_peak_rss_mb'])} / {f(r.get('engine_peak_rss_mb'))} |"
        )
    out += ["", "| N | full SHACL validation (s) | conforms | peak RSS (MB) |", "|---:|---:|---|---:|"]
    for n, v in sorted(val.items()):
        if "validate_s" in v:
            out.append(f"| {n:,} | {v['validate_s']} | {v['conforms']} | {v['validate_peak_rss_mb']} |")
        else:
            out.append(f"| {n:,} | > {v.get('timeout_s', '?')} (stopped) | – | – |")
    return "\n".join(out)


def plot(results: Path, png: Path) -> None:
    """Latency against N for each backend: GraphQL compare, raw SPARQL compare, the list page, adding a study."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("backend") and "quads" in r]
    series = [
        ("graphql_compare", "GraphQL compare"),
        ("sparql_compare", "SPARQL compare"),
        ("graphql_list_first", "GraphQL studies(first: 20)"),
        ("add_study_median_ms", "add one study"),
        ("graphql_study", "GraphQL study by IRI"),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, backend in zip(axes, ["embedded", "remote"], strict=True):
        mine = sorted((r for r in rows if r["backend"] == backend), key=lambda r: r["n"])
        for key, label in series:
            pts = [(r["n"], r[key]["median_ms"] if isinstance(r.get(key), dict) else r.get(key)) for r in mine]
            pts = [(x, y) for x, y in pts if y is not None]
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{backend} ({'pyoxigraph in process' if backend == 'embedded' else 'oxigraph serve over HTTP'})")
        ax.set_xlabel("studies (about 10 mentions each)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("median latency (ms)")
    axes[1].legend(loc="upper left", fontsize=8)
    fig.suptitle("egovkg: latency against the number of studies")
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    main()

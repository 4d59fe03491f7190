"""GraphQL benchmark: one uvicorn worker, 50 concurrent clients, ``wrk`` (or an async httpx client if wrk is absent).

    .venv/bin/python benchmarks/graphql_bench.py [--duration 20] [--connections 50] [--out results.json]

Scenarios, each on the same app (``create_app`` on the embedded store with the shipped KG, plus two reference routes):

  a  bare FastAPI JSON route                            GET /bench/bare
  b  strawberry hello world (strawberry's own router)   GET /bench/hello?query={hello}
  b2 the same trivial query through /graphql            GET /graphql?query={__typename}
  c  compare China vs West, response cache off          GET /graphql?query=<compare>
  d  study list with nested mentions and evidence       GET /graphql?query=<list>
  e  (c) and (d) as persisted queries (sha256 only in the URL) with the response cache on

The server runs twice: caches off for a, b, b2, c, d (and c with one client for its p50), caches on for e. Not a
test: numbers depend on the machine; BENCHMARKS.md records them with the machine and the command.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

COMPARE = """query CompareChinaWest {
  compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) {
    onlyA { concept { iri label } a { mentions { label evidence { quote section } } } }
    both { concept { iri label } strength b { studies { label } } }
  }
}"""

LIST = """query StudyList {
  studies(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { iri label year mentions { label dimension { label } evidence { quote section } } }
  }
}"""


def bench_app() -> Any:
    """The app under test: the real app plus a bare JSON route and strawberry's hello world (uvicorn factory)."""
    import strawberry
    from fastapi.responses import JSONResponse
    from strawberry.fastapi import GraphQLRouter

    from api.main import create_app

    app = create_app()

    @app.get("/bench/bare")
    async def bare() -> JSONResponse:
        return JSONResponse({"hello": "world"})

    @strawberry.type
    class Query:
        @strawberry.field
        def hello(self) -> str:
            return "world"

    app.include_router(GraphQLRouter(strawberry.Schema(query=Query), graphql_ide=None), prefix="/bench/hello")
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cache: bool, store_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn, one worker, on a free port; returns when /health answers."""
    port = free_port()
    # The abuse limits (rate per client) would answer 429 to a load generator: lift them for the benchmark.
    env = {
        **os.environ,
        "EGOVKG_STORE": f"oxigraph:{store_dir}",
        "EGOVKG_GRAPHQL_CACHE_ENABLED": str(cache).lower(),
        "EGOVKG_RATE_LIMIT_PER_MINUTE": "100000000",
        "PYTHONPATH": str(ROOT / "benchmarks") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "graphql_bench:bench_app",
        "--factory",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    # The app's access log (one JSON line per request) goes to a file, as in a deployment, not to the terminal.
    log = (store_dir.parent / f"server-{port}.log").open("ab")
    proc = subprocess.Popen(cmd, env=env, cwd=store_dir.parent, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, duration: int, connections: int) -> dict[str, float]:
    """wrk with latency percentiles; threads = min(2, connections); a 30 s timeout so that slow answers count."""
    cmd = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {p: to_ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\b", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {
        "requests": int(total.group(1)) if total else 0,
        "rps": rps,
        "p50_ms": lat.get("50", float("nan")),
        "p99_ms": lat.get("99", float("nan")),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
    }


async def _httpx_load(url: str, duration: int, connections: int) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + duration
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=connections)) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop_at:
                t = time.perf_counter()
                r = await client.get(url)
                latencies.append((time.perf_counter() - t) * 1000)
                errors += r.status_code >= 400

        await asyncio.gather(*(worker() for _ in range(connections)))
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50_ms": q[49],
        "p99_ms": q[98],
        "non2xx": errors,
        "timeouts": 0,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (Linux /proc): a cost that does not depend on how busy the
    machine is, unlike requests per second on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain(base: str) -> None:
    """Wait until the server has worked off what the previous run left queued (a cheap request answers fast)."""
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        t = time.perf_counter()
        httpx.get(base + "/health", timeout=60)
        if time.perf_counter() - t < 0.05:
            return
        time.sleep(0.5)


def load(url: str, duration: int, connections: int, proc: subprocess.Popen[bytes] | None = None) -> dict[str, float]:
    """Drive ``url`` with wrk (preferred) or async httpx; with ``proc``, also the server's CPU ms per request."""
    drain(url.split("/", 3)[0] + "//" + url.split("/", 3)[2])
    before = cpu_seconds(proc.pid) if proc else 0.0
    if shutil.which("wrk"):
        result = run_wrk(url, duration, connections)
    else:
        result = asyncio.run(_httpx_load(url, duration, connections))
    if proc and result["requests"]:
        # CPU spent during the run over the requests completed in it (what is still queued at the end is not
        # counted, and neither is its CPU beyond the end of the run)
        result["server_cpu_ms_per_req"] = (cpu_seconds(proc.pid) - before) * 1000 / result["requests"]
    return result


def gql_url(base: str, query: str | None = None, persisted: str | None = None) -> str:
    params = {}
    if query:
        params["query"] = query
    if persisted:
        h = hashlib.sha256(persisted.encode()).hexdigest()
        params["extensions"] = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": h}}, separators=(",", ":"))
    return base + "/graphql?" + urllib.parse.urlencode(params)


def check(url: str) -> None:
    """Fail fast if a scenario does not answer 200 without errors."""
    import httpx

    r = httpx.get(url, timeout=30)
    body = r.json() if "json" in r.headers.get("content-type", "") else {}
    if r.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{url[:120]}… answered {r.status_code}: {r.text[:300]}")


LABELS = {
    "a": "(a) bare FastAPI JSON route",
    "b": "(b) strawberry hello world (strawberry's router)",
    "b2": "(b2) `{__typename}` through /graphql, caches off",
    "c": "(c) compare China vs West, caches off",
    "c_single_client": "(c) the same, one client",
    "d": "(d) 20 studies with nested mentions and evidence, caches off",
    "e_compare": "(e) (c) as a persisted query, response cache on",
    "e_list": "(e) (d) as a persisted query, response cache on",
}


def markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown table BENCHMARKS.md shows."""
    rows = ["| scenario | req/s | p50 ms | p99 ms | errors | server CPU ms/req |", "|---|---:|---:|---:|---:|---:|"]
    for key, label in LABELS.items():
        r = results["scenarios"].get(key)
        if r:
            errors = r["non2xx"] + r.get("timeouts", 0)
            cpu = r.get("server_cpu_ms_per_req", float("nan"))
            rows.append(f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {errors} | {cpu:.2f} |")
    ratios = results.get("ratios", {})
    nan = float("nan")
    rows += [
        "",
        "| ratio | by req/s | by server CPU per request | target |",
        "|---|---:|---:|---:|",
        f"| (c) / (b) | {ratios.get('c_over_b', nan):.1%} | {ratios.get('cpu_c_over_b', nan):.1%} | at least 40% |",
        f"| (c) / (b2) | {ratios.get('c_over_b2', nan):.1%} | | (for reference) |",
        f"| (e) compare / (a) | {ratios.get('e_compare_over_a', nan):.1%} | "
        f"{ratios.get('cpu_e_compare_over_a', nan):.1%} | at least 50% |",
        f"| (e) list / (a) | {ratios.get('e_list_over_a', nan):.1%} | {ratios.get('cpu_e_list_over_a', nan):.1%} "
        "| at least 50% |",
    ]
    return "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--markdown", type=Path, help="render an earlier --out JSON as the BENCHMARKS.md table and exit")
    args = ap.parse_args()
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())), end="")
        return
    d, c = args.duration, args.connections
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "uname": " ".join(platform.uname()),
        "python": platform.python_version(),
        "load_generator": "wrk" if shutil.which("wrk") else "httpx",
        "duration_s": d,
        "connections": c,
        "loadavg_before": os.getloadavg(),
        "scenarios": {},
    }
    res = results["scenarios"]
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp) / "store"
        proc, base = start_server(cache=False, store_dir=store_dir)
        try:
            urls = {
                "a": base + "/bench/bare",
                "b": base + "/bench/hello?query=%7Bhello%7D",
                "b2": gql_url(base, "{__typename}"),
                "c": gql_url(base, COMPARE),
                "d": gql_url(base, LIST),
            }
            for name, url in urls.items():
                check(url)
                res[name] = load(url, d, c, proc)
                print(name, res[name], flush=True)
            res["c_single_client"] = load(urls["c"], max(5, d // 2), 1, proc)
            print("c_single_client", res["c_single_client"], flush=True)
        finally:
            stop(proc)
        proc, base = start_server(cache=True, store_dir=store_dir)
        try:
            import httpx

            for name, q in (("e_compare", COMPARE), ("e_list", LIST)):
                h = hashlib.sha256(q.encode()).hexdigest()
                httpx.post(
                    base + "/graphql",
                    json={"query": q, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": h}}},
                    timeout=30,
                ).raise_for_status()  # register (APQ)
                url = gql_url(base, persisted=q)
                check(url)
                res[name] = load(url, d, c, proc)
                print(name, res[name], flush=True)
        finally:
            stop(proc)
    res_ratio = {
        "c_over_b": res["c"]["rps"] / res["b"]["rps"],
        "c_over_b2": res["c"]["rps"] / res["b2"]["rps"],
        "e_compare_over_a": res["e_compare"]["rps"] / res["a"]["rps"],
        "e_list_over_a": res["e_list"]["rps"] / res["a"]["rps"],
    }

    def per_cpu(k: str) -> float:
        return 1000 / res[k]["server_cpu_ms_per_req"] if res[k].get("server_cpu_ms_per_req") else float("nan")

    res_ratio.update(
        {
            "cpu_c_over_b": per_cpu("c") / per_cpu("b"),
            "cpu_e_compare_over_a": per_cpu("e_compare") / per_cpu("a"),
            "cpu_e_list_over_a": per_cpu("e_list") / per_cpu("a"),
        }
    )
    results["ratios"] = res_ratio
    results["loadavg_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    print(markdown(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Load test: 50 concurrent clients for 60 s mixing GraphQL, SPARQL, page and dump requests against one real server
process on loopback; optionally while a writer adds and removes a study through the write API.

    .venv/bin/python benchmarks/load_test.py [--duration 60] [--clients 50] [--writer] [--url URL]
                                             [--out benchmarks/results/load.json]

Without ``--url`` the script starts ``uvicorn --factory api.main:create_app`` (one worker, embedded on-disk store
built from the shipped data, 2 SPARQL workers) on a free loopback port and stops it at the end. All clients share
one address, so the per-client limits that would throttle them are opened for the run: the rate limit is off
(``EGOVKG_RATE_LIMIT_PER_MINUTE=0``) and a client may run 64 SPARQL queries at once; the work cap stays as shipped.

The clients are asyncio tasks over one httpx connection pool (one connection per client), each sending its next
request as soon as the previous one is answered. Every answer is checked: 5xx and connection errors are counted
(the target is zero of each), and so are 4xx, which this mix should never get. A Turtle dump must hold the version
its ``X-Dataset-Version`` names (else it counts as a torn read); dump answers that are the newest complete set of an
older version while the current one is being written (``X-Dumps-Pending``) are counted as ``older_dumps_set``.

With ``--writer`` one more task adds the study of ``tests/ingest/fixtures/sheet-comma.csv`` (``POST /studies``) and
removes it (``DELETE /studies/{key}``) in a loop, and readers also ask, through SPARQL and through GraphQL, how many
mentions the study has: every answer must be the whole study (its full mention count, and the study node) or none
of it. The SPARQL probe asks about the study's named graph; the GraphQL probe asks for the study and its mentions.

Not a test: it asserts nothing, it prints a table and writes JSON; BENCHMARKS.md ("Load") records the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "tests" / "ingest" / "fixtures" / "sheet-comma.csv"
SHEET_KEY = "ana-2021"
STUDIES = ["zheng-2013", "bertot-2010", "cui-2011", "kavanaugh-2012", "li-2010", "picazo-vela-2012"]
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
SERVER_KEEPALIVE_S = 5
KEEPALIVE_EXPIRY_S = 2.0

GQL_STUDIES = """query($n: Int) { studies(first: $n) { totalCount edges { node { iri label year
  mentions { iri label evidence { quote } } } } } }"""
GQL_MENTIONS = """query($role: String, $n: Int) { mentions(filter: {role: $role}, first: $n) { totalCount
  edges { node { iri label } } } }"""
GQL_COMPARE = """query { compare(a: {studies: ["zheng-2013"]}, b: {place: "western"}) {
  onlyA { concept { iri label } } both { concept { iri label } strength } } }"""
GQL_STATS = "{ datasetStatistics { version triples dimensions { key count } roles { key count } } }"
GQL_PROBE = 'query { study(iri: "' + SHEET_KEY + '") { iri mentions { iri } } }'

SPARQL_CLASSES = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"
SPARQL_STUDY = """PREFIX egov: <%s>
SELECT ?m ?label WHERE { ?m egov:reportedIn <%s> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }"""
SPARQL_ASK = "ASK { ?s ?p ?o }"
SPARQL_PROBE = """PREFIX egov: <%s>
SELECT (COUNT(DISTINCT ?m) AS ?mentions) (COUNT(DISTINCT ?s) AS ?studies)
WHERE { GRAPH <%s> { { ?m a egov:FactorMention } UNION { ?s a egov:Study } } }"""


# -- the request mix --------------------------------------------------------------------------------------------------
@dataclass
class Request:
    """One request to send: a kind (for the report), and how to send it."""

    kind: str
    method: str
    path: str
    params: dict[str, str] | None = None
    json: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    check: Callable[[httpx.Response], str | None] | None = None
    """For the consistency probes: None if the answer is consistent, else what is wrong."""


def gql(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"query": query, "variables": variables or {}}


def mix(base: str, egov: str, probe_count: int | None) -> list[tuple[int, Callable[[random.Random], Request]]]:
    """(weight, request builder) pairs: GraphQL 35, SPARQL 30, pages 25, dumps 10, plus the probes with a writer."""
    graph = f"{base}graph/study/{SHEET_KEY}"

    def r_gql(rng: random.Random) -> Request:
        choice = rng.randrange(4)
        if choice == 0:
            body = gql(GQL_STUDIES, {"n": rng.randint(1, 20)})
        elif choice == 1:
            body = gql(GQL_MENTIONS, {"role": rng.choice(["external-driver", "external-challenge",
                                                          "internal-strength", "internal-weakness"]),
                                      "n": rng.randint(1, 50)})
        elif choice == 2:
            body = gql(GQL_COMPARE)
        else:
            body = gql(GQL_STATS)
        return Request("graphql", "POST", "/graphql", json=body)

    def r_sparql(rng: random.Random) -> Request:
        query = rng.choice([SPARQL_CLASSES, SPARQL_ASK,
                            SPARQL_STUDY % (egov, f"{base}id/study/{rng.choice(STUDIES)}")])
        return Request("sparql", "GET", "/sparql", params={"query": query}, headers=JSON_RESULTS)

    def r_page(rng: random.Random) -> Request:
        path = rng.choice(["/", "/tables/1", "/tables/2", "/compare", "/network", f"/id/study/{rng.choice(STUDIES)}"])
        params = {"a_place": "china", "b_place": "western"} if path == "/compare" else None
        return Request("page", "GET", path, params=params, headers={"Accept": "text/html"})

    def dump_check(resp: httpx.Response) -> str | None:
        version = resp.headers.get("X-Dataset-Version")
        if not version:
            return "a dump without X-Dataset-Version"
        if f'"{version}"' not in resp.text:
            return f"the dump served as version {version} does not hold that version"
        return None

    def r_dump(rng: random.Random) -> Request:
        path = rng.choice(["/dumps/", "/dumps/egovkg.ttl", "/dumps/SHA256SUMS", "/.well-known/void"])
        return Request("dump", "GET", path, headers={"Accept": "application/json" if path == "/dumps/" else "*/*",
                                                      "Accept-Encoding": "gzip"},
                       check=dump_check if path == "/dumps/egovkg.ttl" else None)

    out: list[tuple[int, Callable[[random.Random], Request]]] = [(35, r_gql), (30, r_sparql), (25, r_page),
                                                                 (10, r_dump)]
    if probe_count is not None:
        def sparql_check(resp: httpx.Response) -> str | None:
            row = resp.json()["results"]["bindings"][0]
            seen = (int(row["mentions"]["value"]), int(row["studies"]["value"]))
            return None if seen in ((0, 0), (probe_count, 1)) else f"SPARQL saw {seen[0]} mentions, {seen[1]} study"

        def gql_check(resp: httpx.Response) -> str | None:
            body = resp.json()
            if body.get("errors"):
                return f"GraphQL errors: {body['errors'][:2]}"
            study = body["data"]["study"]
            if study is None or len(study["mentions"]) == probe_count:
                return None
            return f"GraphQL saw the study with {len(study['mentions'])} of {probe_count} mentions"

        def r_probe_sparql(rng: random.Random) -> Request:
            return Request("probe-sparql", "GET", "/sparql", params={"query": SPARQL_PROBE % (egov, graph)},
                           headers=JSON_RESULTS, check=sparql_check)

        def r_probe_gql(rng: random.Random) -> Request:
            return Request("probe-graphql", "POST", "/graphql", json=gql(GQL_PROBE), check=gql_check)

        out += [(10, r_probe_sparql), (10, r_probe_gql)]
    return out


# -- measuring --------------------------------------------------------------------------------------------------------
@dataclass
class Tally:
    """What one kind of request got."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    older_dumps: int = 0
    """Dump answers that were the newest complete set of an older version (``X-Dumps-Pending``)."""

    def summary(self, seconds: float) -> dict[str, Any]:
        lat = sorted(self.latencies)
        return {"requests": len(lat), "rps": round(len(lat) / seconds, 1), "p50_ms": pct(lat, 50),
                "p90_ms": pct(lat, 90), "p99_ms": pct(lat, 99), "max_ms": round(lat[-1] * 1000, 1) if lat else None,
                "statuses": dict(sorted(self.statuses.items())), "5xx": sum(n for s, n in self.statuses.items()
                                                                           if s >= 500),
                "4xx": sum(n for s, n in self.statuses.items() if 400 <= s < 500),
                "connection_errors": sum(self.errors.values()), "errors": dict(self.errors),
                "violations": len(self.violations), "violation_examples": self.violations[:5],
                "older_dumps_set": self.older_dumps}


def pct(sorted_values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank), in milliseconds."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[k] * 1000, 1)


async def send(client: httpx.AsyncClient, req: Request, tallies: dict[str, Tally]) -> None:
    """Send one request and record its latency, status, connection error or consistency violation."""
    tally = tallies[req.kind]
    start = time.perf_counter()
    try:
        resp = await client.request(req.method, req.path, params=req.params, json=req.json, headers=req.headers)
        await resp.aread()
    except httpx.HTTPError as e:
        tally.errors[type(e).__name__] += 1
        return
    tally.latencies.append(time.perf_counter() - start)
    tally.statuses[resp.status_code] += 1
    if "x-dumps-pending" in resp.headers:
        tally.older_dumps += 1
    if req.check is not None and resp.status_code == 200:
        try:
            problem = req.check(resp)
        except (ValueError, KeyError, IndexError, TypeError) as e:
            problem = f"unreadable answer: {e!r}"
        if problem:
            tally.violations.append(problem)


async def reader(client: httpx.AsyncClient, weighted: list[tuple[int, Callable[[random.Random], Request]]],
                 tallies: dict[str, Tally], until: float, seed: int) -> None:
    rng = random.Random(seed)
    builders = [b for _, b in weighted]
    weights = [w for w, _ in weighted]
    while time.perf_counter() < until:
        await send(client, rng.choices(builders, weights)[0](rng), tallies)


async def writer(url: str, token: str, tallies: dict[str, Tally], until: float) -> int:
    """Add and remove the study until the end; return the number of completed add+remove cycles."""
    data = SHEET.read_bytes()
    auth = {"Authorization": f"Bearer {token}"}
    cycles = 0
    limits = httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        while time.perf_counter() < until:
            for kind, call in (("write-add", lambda: client.post("/studies", headers=auth,
                                                                  files={"file": ("sheet.csv", data, "text/csv")})),
                               ("write-remove", lambda: client.delete(f"/studies/{SHEET_KEY}", headers=auth))):
                start = time.perf_counter()
                try:
                    resp = await call()
                except httpx.HTTPError as e:
                    tallies[kind].errors[type(e).__name__] += 1
                    continue
                tallies[kind].latencies.append(time.perf_counter() - start)
                tallies[kind].statuses[resp.status_code] += 1
                if resp.status_code not in (200, 201):
                    tallies[kind].violations.append(f"{resp.status_code}: {resp.text[:200]}")
            cycles += 1
    return cycles


async def probe_count(url: str, token: str, base: str, egov: str) -> int:
    """The whole study's mention count: add it, count through SPARQL, remove it."""
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:
        r = await c.post("/studies", headers=auth, files={"file": ("sheet.csv", SHEET.read_bytes(), "text/csv")})
        if r.status_code != 201:
            raise SystemExit(f"cannot add the probe study: {r.status_code} {r.text[:500]}")
        q = SPARQL_PROBE % (egov, f"{base}graph/study/{SHEET_KEY}")
        row = (await c.get("/sparql", params={"query": q}, headers=JSON_RESULTS)).json()["results"]["bindings"][0]
        n = int(row["mentions"]["value"])
        r = await c.delete(f"/studies/{SHEET_KEY}", headers=auth)
        if r.status_code != 200 or n == 0 or row["studies"]["value"] != "1":
            raise SystemExit(f"probe study: {n} mentions; remove {r.status_code} {r.text[:300]}")
        return n


async def warm_up(url: str, weighted: list[tuple[int, Callable[[random.Random], Request]]]) -> float:
    """Every request form once (dumps written, pages rendered, SPARQL workers loaded) before the clock starts."""
    start = time.perf_counter()
    rng = random.Random(0)
    async with httpx.AsyncClient(base_url=url, timeout=300) as c:
        for _ in range(4):
            for _, build in weighted:
                req = build(rng)
                await c.request(req.method, req.path, params=req.params, json=req.json, headers=req.headers)
    return time.perf_counter() - start


async def run(url: str, clients: int, duration: float, token: str | None) -> dict[str, Any]:
    """The load run; with ``token``, the writer and the probes too."""
    from kg import config
    from kg.namespaces import EGOV

    base, egov = config.base_iri(), config.rebase(str(EGOV))
    n = await probe_count(url, token, base, egov) if token else None
    weighted = mix(base, egov, n)
    warm = await warm_up(url, weighted)
    tallies: dict[str, Tally] = defaultdict(Tally)
    # The client drops a connection idle for 2 s, before the server's keep-alive timeout (uvicorn: 5 s) closes it:
    # with equal timeouts a request sent just as the server closes the connection fails (a ReadError) on the client.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients,
                          keepalive_expiry=KEEPALIVE_EXPIRY_S)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        start = time.perf_counter()
        until = start + duration
        tasks = [asyncio.create_task(reader(client, weighted, tallies, until, seed)) for seed in range(clients)]
        write_task = asyncio.create_task(writer(url, token, tallies, until)) if token else None
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start  # the readers' time; the writer finishes the cycle it is in
        cycles = await write_task if write_task else None
    reads = Tally()
    for kind, t in tallies.items():
        if not kind.startswith("write"):
            reads.latencies += t.latencies
            reads.statuses.update(t.statuses)
            reads.errors.update(t.errors)
            reads.violations += t.violations
            reads.older_dumps += t.older_dumps
    return {"clients": clients, "duration_s": round(elapsed, 1), "warm_up_s": round(warm, 1),
            "writer": token is not None, "probe_mentions": n, "write_cycles": cycles,
            "reads": reads.summary(elapsed), "by_kind": {k: t.summary(elapsed) for k, t in sorted(tallies.items())}}


# -- the server -------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workdir: Path, token: str | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVKG_")}
    env.update({"EGOVKG_STORE": f"oxigraph:{workdir / 'store'}", "EGOVKG_RATE_LIMIT_PER_MINUTE": "0",
                "EGOVKG_SPARQL_MAX_CONCURRENT_PER_CLIENT": "64", "EGOVKG_SPARQL_WORKERS": "2"})
    if token:
        env["EGOVKG_WRITE_TOKEN"] = token
    log = (workdir / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host",
                             "127.0.0.1", "--port", str(port), "--no-access-log",
                             "--timeout-keep-alive", str(SERVER_KEEPALIVE_S)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {(workdir / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise SystemExit("server did not start")


def server_errors(workdir: Path) -> int:
    """Tracebacks in the server's log (an unhandled exception the client may not have seen as a 5xx)."""
    return (workdir / "server.log").read_text(errors="replace").count("Traceback")


def table(result: dict[str, Any]) -> str:
    rows = ["| kind | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | 4xx | 5xx | conn errors | torn reads |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, s in [("all reads", result["reads"]), *result["by_kind"].items()]:
        rows.append(f"| {kind} | {s['requests']} | {s['rps']} | {s['p50_ms']} | {s['p90_ms']} | {s['p99_ms']} | "
                    f"{s['max_ms']} | {s['4xx']} | {s['5xx']} | {s['connection_errors']} | {s['violations']} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--writer", action="store_true", help="add and remove a study during the run; probe reads")
    ap.add_argument("--url", help="an already running server (with EGOVKG_WRITE_TOKEN=--token for --writer)")
    ap.add_argument("--token", help="the write token of --url")
    ap.add_argument("--out", type=Path, help="append the result as one JSON line")
    ap.add_argument("--server-log", type=Path, help="keep the started server's log here")
    args = ap.parse_args()
    token = (args.token or secrets.token_urlsafe(24)) if args.writer else None
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="egovkg-load-") as tmp:
        proc = None
        url = args.url
        if url is None:
            proc, url = start_server(Path(tmp), token)
        try:
            result = asyncio.run(run(url, args.clients, args.duration, token))
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(30)
        if proc is not None:
            result["server_tracebacks"] = server_errors(Path(tmp))
            if args.server_log:
                args.server_log.write_bytes((Path(tmp) / "server.log").read_bytes())
    # The machine may be shared: its load average (1 min) before and after the run says how much CPU the run had.
    result["loadavg_before_after"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    result.update({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.platform(),
                   "cpus": os.cpu_count(), "python": platform.python_version(),
                   "command": "python benchmarks/load_test.py " + " ".join(sys.argv[1:])})
    print(table(result))
    print(json.dumps({k: v for k, v in result.items() if k not in ("by_kind", "reads")}, indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

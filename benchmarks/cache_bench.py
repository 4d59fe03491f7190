"""Micro-benchmark of the API's three caches: the per-version LRU (``api/cache.py``) against the copies it replaced.

    .venv/bin/python benchmarks/cache_bench.py [--rounds 31] [--ops 20000] [--out results.json]

For the GraphQL response cache, the GraphQL kept lists and the ``/sparql`` result cache, the old implementation
(copied below as it was at commit c09985f, before the caches shared ``VersionedLRU``) and the current one run side
by side in the same process, alternating within each round: ``get`` of a present key (hit), ``get`` of an absent key
(miss) and ``put`` of a new key into a full cache (each put evicts one entry). Each figure is the median over the
rounds of the CPU time per call (the thread's own: time spent descheduled on a busy machine is not counted), loop
included (``loop_ns`` is the loop alone); ``ratio`` is new / old. Not a test: it asserts nothing; the machine may be
shared, so the JSON carries its load average before and after.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.graphql.cache import ListCache, ResponseCache  # noqa: E402
from api.sparql.cache import (  # noqa: E402
    MAX_ENTRY_SHARE,
    Cached,
    ResultCache,
)

# ---------------------------------------------------------------------------------------------------------------
# The baseline: the three caches as they were at commit c09985f (docstrings shortened), each its own copy.


class OldResponseCache:
    def __init__(self, maxsize: int, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self._data: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._version: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, version: str) -> tuple[int, bytes] | None:
        with self._lock:
            if version != self._version:
                self._data.clear()
                self.size_bytes = 0
                self._version = version
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, version: str, status: int, body: bytes) -> None:
        if self.maxsize <= 0 or len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if version != self._version:
                self._data.clear()
                self.size_bytes = 0
                self._version = version
            old = self._data.pop(key, None)
            if old is not None:
                self.size_bytes -= len(old[1])
            self._data[key] = (status, body)
            self.size_bytes += len(body)
            while len(self._data) > self.maxsize or self.size_bytes > self.max_bytes:
                _, (_, dropped) = self._data.popitem(last=False)
                self.size_bytes -= len(dropped)


class OldListCache:
    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.items = 0
        self._data: OrderedDict[Any, tuple[str, ...] | int] = OrderedDict()
        self._version: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _weight(value: tuple[str, ...] | int) -> int:
        return len(value) if isinstance(value, tuple) else 1

    def _at(self, version: str) -> None:
        if version != self._version:
            self._data.clear()
            self.items = 0
            self._version = version

    def get(self, key: Any, version: str) -> tuple[str, ...] | int | None:
        with self._lock:
            self._at(version)
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Any, version: str, value: tuple[str, ...] | int) -> None:
        weight = self._weight(value)
        if weight > self.max_items:
            return
        with self._lock:
            self._at(version)
            old = self._data.pop(key, None)
            if old is not None:
                self.items -= self._weight(old)
            self._data[key] = value
            self.items += weight
            while self.items > self.max_items:
                _, dropped = self._data.popitem(last=False)
                self.items -= self._weight(dropped)


class OldResultCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self.entries: OrderedDict[Any, Cached] = OrderedDict()
        self.bytes = 0
        self.version: str | None = None
        self.hits = self.misses = self.evictions = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @staticmethod
    def _cost(key: Any, value: Cached) -> int:
        return value.size + len(key[1])

    def get(self, key: Any) -> Cached | None:
        if not self.enabled:
            return None
        self._observe(key[0])
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: Any, value: Cached) -> bool:
        if not self.enabled:
            return False
        cost = self._cost(key, value)
        if self.version is None:
            self.version = key[0]
        if cost > self.max_bytes // MAX_ENTRY_SHARE or key[0] != self.version:
            return False
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= self._cost(key, old)
        self.entries[key] = value
        self.bytes += cost
        while self.bytes > self.max_bytes:
            k, v = self.entries.popitem(last=False)
            self.bytes -= self._cost(k, v)
            self.evictions += 1
        return True

    def _observe(self, version: str) -> None:
        if version != self.version:
            self.version = version
            self.entries.clear()
            self.bytes = 0


# ---------------------------------------------------------------------------------------------------------------
# Timed loops: one per call shape, the same loop for old and new.

VERSION = "v1"


def loop_get2(get: Callable[..., Any], keys: list[Any]) -> int:
    v = VERSION
    t = time.thread_time_ns()
    for k in keys:
        get(k, v)
    return time.thread_time_ns() - t


def loop_get1(get: Callable[..., Any], keys: list[Any]) -> int:
    t = time.thread_time_ns()
    for k in keys:
        get(k)
    return time.thread_time_ns() - t


def loop_put_response(put: Callable[..., Any], keys: list[Any]) -> int:
    v, body = VERSION, b"x" * 2000
    t = time.thread_time_ns()
    for k in keys:
        put(k, v, 200, body)
    return time.thread_time_ns() - t


def loop_put_list(put: Callable[..., Any], keys: list[Any]) -> int:
    v, value = VERSION, tuple(f"https://example.org/study/{i}" for i in range(50))
    t = time.thread_time_ns()
    for k in keys:
        put(k, v, value)
    return time.thread_time_ns() - t


RESULT = Cached(b"x" * 2000, "text/csv; charset=utf-8", (("Vary", "Accept"), ("X-SPARQL-Row-Cap", "10000"),
                                                         ("X-SPARQL-Rows", "20"), ("X-SPARQL-Truncated", "false")))


def loop_put_result(put: Callable[..., Any], keys: list[Any]) -> int:
    value = RESULT
    t = time.thread_time_ns()
    for k in keys:
        put(k, value)
    return time.thread_time_ns() - t


def loop_empty(_: Any, keys: list[Any]) -> int:
    t = time.thread_time_ns()
    for _k in keys:
        pass
    return time.thread_time_ns() - t


# ---------------------------------------------------------------------------------------------------------------
# The three caches: how to build each, fill it, and name its keys.

ENTRIES = 1000


def response_key(i: int) -> str:
    return f"{i:064x}\x1f{{}}\x1f\x1f{VERSION}\x1fapplication/json\x1f"


def list_key(i: int) -> Any:
    return ("items", f"SELECT ?item WHERE {{ ?item a <https://example.org/Study{i}> }}", (("place", f"<p{i}>"),))


def result_key(i: int) -> Any:
    return (VERSION, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {i}", None, None, "text/csv", None, 10000)


CACHES: dict[str, dict[str, Any]] = {
    "graphql_response": {
        "old": lambda: OldResponseCache(ENTRIES, max_bytes=ENTRIES * 2000 * 4),
        "new": lambda: ResponseCache(ENTRIES, max_bytes=ENTRIES * 2000 * 4),
        "key": response_key, "get": loop_get2, "put": loop_put_response,
        "fill": lambda c, k: c.put(k, VERSION, 200, b"x" * 2000),
    },
    "graphql_lists": {
        "old": lambda: OldListCache(ENTRIES * 50),
        "new": lambda: ListCache(ENTRIES * 50),
        "key": list_key, "get": loop_get2, "put": loop_put_list,
        "fill": lambda c, k: c.put(k, VERSION, tuple(f"https://example.org/study/{i}" for i in range(50))),
    },
    "sparql_results": {
        "old": lambda: OldResultCache(ENTRIES * (RESULT.size + 40)),
        "new": lambda: ResultCache(ENTRIES * (RESULT.size + 40)),
        "key": result_key, "get": loop_get1, "put": loop_put_result,
        "fill": lambda c, k: c.put(k, RESULT),
    },
}


def fresh(spec: dict[str, Any], impl: str) -> Any:
    cache = spec[impl]()
    for i in range(ENTRIES):
        spec["fill"](cache, spec["key"](i))
    return cache


def bench(rounds: int, ops: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    loop_ns = []
    for name, spec in CACHES.items():
        caches = {impl: fresh(spec, impl) for impl in ("old", "new")}
        present = [spec["key"](i % ENTRIES) for i in range(ops)]
        absent = [spec["key"](ENTRIES + i) for i in range(ops)]
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(rounds):
            # each round's puts are of keys never seen, into the full cache: every put evicts one entry
            new_keys = [spec["key"](10 * ENTRIES + r * ops + i) for i in range(ops)]
            order = ("old", "new") if r % 2 == 0 else ("new", "old")
            for impl in order:
                cache = caches[impl]
                for op, loop, arg, keys in (("get_hit", spec["get"], cache.get, present),
                                            ("get_miss", spec["get"], cache.get, absent),
                                            ("put", spec["put"], cache.put, new_keys)):
                    gc.collect()
                    gc.disable()
                    try:
                        ns = loop(arg, keys)
                    finally:
                        gc.enable()
                    times.setdefault((op, impl), []).append(ns / ops)
                    if op == "put":  # back to the entries the gets expect
                        caches[impl] = cache = fresh(spec, impl)
            gc.disable()
            loop_ns.append(loop_empty(None, present) / ops)
            gc.enable()
        out[name] = {
            op: {
                "old_ns": round(statistics.median(times[(op, "old")]), 1),
                "new_ns": round(statistics.median(times[(op, "new")]), 1),
                "ratio": round(statistics.median(times[(op, "new")]) / statistics.median(times[(op, "old")]), 3),
            }
            for op in ("get_hit", "get_miss", "put")
        }
    out["loop_ns"] = round(statistics.median(loop_ns), 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=31, help="rounds per figure (the median is reported)")
    ap.add_argument("--ops", type=int, default=20_000, help="calls per round")
    ap.add_argument("--out", type=Path, help="also write the JSON here")
    args = ap.parse_args()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip()
    except OSError:
        commit = ""
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": commit,
        "uname": " ".join(platform.uname()),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "rounds": args.rounds,
        "ops_per_round": args.ops,
        "entries": ENTRIES,
        "loadavg_before": os.getloadavg(),
    }
    results["results"] = bench(args.rounds, args.ops)
    results["loadavg_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

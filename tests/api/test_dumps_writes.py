"""Dumps while the dataset changes: written out of the request path, one set at a time, versions coalesced; a
request gets one whole, consistent set (the current version's, or after a bounded wait the newest complete one, whose
version it is told); after a write the dumps reflect it (at once when they are written within the wait, else soon).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import random
import re
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL

from api.routers.dumps import CHECKSUMS, DumpCache
from kg import workers
from kg.build_info import DUMP_FILES
from kg.store import Store

pytestmark = pytest.mark.server

SHEET = (Path(__file__).parents[1] / "ingest" / "fixtures" / "sheet-comma.csv").read_bytes()
KEY = "ana-2021"
TOKEN = "dumps-writer-token-7f3a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPDX = Namespace("http://spdx.org/rdf/terms#")


# -- the cache, in process ------------------------------------------------------------------------------------------
class SlowWorker:
    """A dumps worker that takes ``delay`` seconds longer than the real work (run in a thread of the test)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.written: list[str] = []
        self.running = 0
        self.most_at_once = 0

    async def acall(self, fn, *args, timeout=None):  # noqa: ANN001, ANN002, ANN201
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(self.delay)
            result = await asyncio.to_thread(fn, *args)
        finally:
            self.running -= 1
        self.written.append(result["version"])
        return result


class FakeWorker:
    """A dumps worker that writes nothing and takes ``delay`` seconds: for timing the cache alone."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.written: list[str] = []

    async def acall(self, fn, nquads: bytes, out: str, base: str, timeout=None):  # noqa: ANN001, ANN201
        await asyncio.sleep(self.delay)
        Path(out).mkdir(parents=True)
        version = re.search(rb'/hasVersion> "([^"]+)"', nquads).group(1).decode()  # type: ignore[union-attr]
        self.written.append(version)
        return {"version": version, "files": {}}


def bump(store: Store, version: str) -> None:
    """A write: only the dataset version changes."""
    store.replace_graphs({}, version)


def check_set_on_disk(cache: DumpCache) -> None:
    s = cache.current
    assert s is not None
    for f in s.files.values():
        assert hashlib.sha256(f.path.read_bytes()).hexdigest() == f.sha256 and f.path.stat().st_size == f.size
        assert hashlib.sha256(f.gz_path.read_bytes()).hexdigest() == f.gz_sha256
        assert f'"{s.version}"'.encode() in f.path.read_bytes(), f"{f.name} does not hold its set's version"


def test_writes_in_a_burst_are_coalesced(fresh_store: Store, tmp_path: Path) -> None:
    async def scenario() -> None:
        worker = SlowWorker(0.5)
        cache = DumpCache(tmp_path, wait=0.05, worker=worker, min_interval=0)  # type: ignore[arg-type]
        first = await cache.get(fresh_store)
        assert first.version == fresh_store.version() and worker.written == [first.version]
        for i in range(6):
            bump(fresh_store, f"burst-{i}")
            cache.nudge(fresh_store)
            await asyncio.sleep(0.02)
        served = await cache.serve(fresh_store)
        assert served.dataset_version == "burst-5"
        assert not served.current and served.dumps is first, "within the wait: the newest complete set, as it is"
        served = await cache.serve(fresh_store, wait=60)
        assert served.current and served.dumps.version == "burst-5"
        while cache._running():  # noqa: SLF001
            await asyncio.sleep(0.05)
        assert worker.most_at_once == 1, "one set at a time"
        assert worker.written[-1] == "burst-5" and len(worker.written) <= 3, (
            f"six versions in a burst: only the first caught and the latest are written, not {worker.written}")
        check_set_on_disk(cache)
        assert first.directory.exists(), "a superseded set's files stay for the answers still sending them"
        assert cache.current.modified >= int(first.modified) + 1, "Last-Modified moves on from set to set"
        cache.close()

    asyncio.run(scenario())


def test_a_request_waits_for_its_version_within_the_bound(fresh_store: Store, tmp_path: Path) -> None:
    async def scenario() -> None:
        worker = SlowWorker(0.3)
        cache = DumpCache(tmp_path, wait=20, worker=worker, min_interval=0)  # type: ignore[arg-type]
        await cache.get(fresh_store)
        bump(fresh_store, "after-write")
        served = await cache.serve(fresh_store)  # no nudge: the request itself starts the writing, then waits
        assert served.current and served.dumps.version == "after-write"
        again = await cache.serve(fresh_store)
        assert again.dumps is served.dumps and len(worker.written) == 2, "a version is written once"
        cache.close()

    asyncio.run(scenario())


def test_sets_are_spaced_and_a_request_does_not_wait_for_one_that_cannot_be_ready(fresh_store: Store,
                                                                                 tmp_path: Path) -> None:
    async def scenario() -> None:
        worker = FakeWorker(0.2)
        cache = DumpCache(tmp_path, wait=0.5, worker=worker, min_interval=2.0)  # type: ignore[arg-type]
        first = await cache.get(fresh_store)
        bump(fresh_store, "soon-after")
        cache.nudge(fresh_store)
        t = time.monotonic()
        served = await cache.serve(fresh_store)
        assert time.monotonic() - t < 0.45, "the next set starts after the interval: no point waiting for it"
        assert served.dumps is first and served.dataset_version == "soon-after" and not served.current
        served = await cache.serve(fresh_store, wait=30)
        assert served.current and time.monotonic() - t >= 1.5, "the second set started after the interval"
        assert len(worker.written) == 2
        cache.close()

    asyncio.run(scenario())


def test_the_real_worker_writes_the_set(fresh_store: Store, tmp_path: Path) -> None:
    worker = workers.Worker("dumps-test", nice=10)

    async def scenario() -> None:
        cache = DumpCache(tmp_path, worker=worker)
        s = await cache.get(fresh_store)
        assert set(s.files) == {name for name, _ in DUMP_FILES.values()}
        check_set_on_disk(cache)
        cache.close()

    try:
        asyncio.run(scenario())
    finally:
        worker.close()


# -- a real server, written to while it serves dumps ------------------------------------------------------------------
MENTION = re.compile(rb"^<[^>]*/id/mention/" + KEY.encode() + rb"\.[^>]*>", re.M)


def mentions_in(nquads: bytes) -> int:
    return len(set(MENTION.findall(nquads)))


def test_dumps_during_writes_are_whole_and_consistent(server_factory, tmp_path: Path) -> None:  # noqa: ANN001
    # A private embedded store: these writes must not reach a store other tests share.
    server = server_factory(write_token=TOKEN, store=f"oxigraph:{tmp_path / 'own-store'}",
                            rate_limit_per_minute=0)
    assert server.get("/dumps/", headers={"Accept": "application/json"}).status_code == 200
    stop = threading.Event()
    versions: list[str] = []
    problems: list[str] = []
    seen: list[tuple[str, str, httpx.Response]] = []

    def writer() -> None:
        with httpx.Client(base_url=server.url, timeout=120) as c:
            for _ in range(3):
                for r in (c.post("/studies", files={"file": ("sheet.csv", SHEET, "text/csv")}, headers=AUTH),
                          c.delete(f"/studies/{KEY}", headers=AUTH)):
                    if r.status_code not in (200, 201):
                        problems.append(f"write answered {r.status_code}: {r.text[:300]}")
                    versions.append(r.headers.get("X-Dataset-Version", ""))
            r = c.post("/studies", files={"file": ("sheet.csv", SHEET, "text/csv")}, headers=AUTH)
            versions.append(r.headers.get("X-Dataset-Version", ""))
        stop.set()

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=server.url, timeout=120) as c:
            while not stop.is_set():
                path = rng.choice(["/dumps/", "/dumps/egovkg.nq", "/dumps/egovkg.nq.gz", f"/dumps/{CHECKSUMS}",
                                   "/.well-known/void"])
                r = c.get(path, headers={"Accept": "application/json" if path == "/dumps/" else "text/turtle",
                                         "Accept-Encoding": "identity"})
                seen.append((path, r.headers.get("X-Dataset-Version", ""), r))

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    assert not problems, problems
    assert all(r.status_code == 200 for _, _, r in seen), [(p, r.status_code, r.text[:200]) for p, _, r in seen
                                                           if r.status_code != 200]

    # Every answer is one whole set: the file matches its ETag and holds the version it is served as, and the study
    # in it is whole or absent; answers of one version agree on every checksum, and so do the listing, SHA256SUMS
    # and the VoID description of that version.
    sums: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    whole = {0}
    for path, version, r in seen:
        if path == "/.well-known/void":
            g = Graph().parse(data=r.content, format="turtle")
            for name, _ in DUMP_FILES.values():
                dist = URIRef(f"{server.url}/dumps/{name}#distribution")
                v = str(g.value(dist, OWL.versionInfo))
                sums[v][name].add(str(g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue)))
            continue
        assert version, f"{path}: no X-Dataset-Version"
        if path == "/dumps/":
            body = r.json()
            assert body["version"] == version and body["current"] == (version == body["datasetVersion"])
            for f in body["files"]:
                sums[version][f["name"]].add(f["sha256"])
                sums[version][f["name"] + ".gz"].add(f["gzipSha256"])
            continue
        assert r.headers["ETag"] == f'"{hashlib.sha256(r.content).hexdigest()}"', f"{path}: ETag is not the body's"
        if path.endswith(CHECKSUMS):
            for line in r.text.splitlines():
                sha, name = line.split("  ")
                sums[version][name].add(sha)
            continue
        name = path.rsplit("/", 1)[-1]
        sums[version][name].add(hashlib.sha256(r.content).hexdigest())
        data = gzip.decompress(r.content) if name.endswith(".gz") else r.content
        assert f'"{version}"'.encode() in data, f"{path}: the file does not hold version {version}"
        whole.add(mentions_in(data))
    for version, files in sums.items():
        for name, shas in files.items():
            assert len(shas) == 1, f"version {version}: {name} served with {len(shas)} different checksums"

    # After the last write its version's dumps are served: at once if written within the wait, else the newest
    # complete set with X-Dumps-Pending naming the version being written, and that one soon after.
    last = versions[-1]
    r = server.get("/dumps/egovkg.nq", headers={"Accept-Encoding": "identity"})
    assert r.headers["X-Dataset-Version"] == last or r.headers.get("X-Dumps-Pending") == last, r.headers
    deadline = time.monotonic() + 120
    while r.headers["X-Dataset-Version"] != last and time.monotonic() < deadline:
        time.sleep(0.5)
        r = server.get("/dumps/egovkg.nq", headers={"Accept-Encoding": "identity"})
    assert r.headers["X-Dataset-Version"] == last and "X-Dumps-Pending" not in r.headers
    k = mentions_in(r.content)
    assert k > 0, "the last write (an add) is in the dump"
    assert whole <= {0, k}, f"the study was seen with {sorted(whole)} mentions (whole: {k}): a torn dump"
    listing = server.get("/dumps/", headers={"Accept": "application/json"}).json()
    assert listing["version"] == listing["datasetVersion"] == last and listing["current"] is True
    assert server.get("/health").json()["version"] == last

"""The SPARQL worker pool under a steady load of cheap queries: extra workers started while every worker was busy
stay while the load lasts (starting and stopping processes back to back cost more CPU than the queries) and are
retired once the pool has been quiet for a while."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from api.sparql import pool as pool_module
from api.sparql.pool import WorkerPool
from api.sparql.snapshot import Snapshot
from kg.store import Store

CHEAP = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"


def job() -> dict[str, object]:
    return {"query": CHEAP, "default_graph": None, "named_graphs": None, "accept": "text/csv", "format": None,
            "row_cap": 100, "prefixes": {}}


def test_extra_workers_linger_under_load_then_retire(store: Store, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pool_module, "EXTRA_WORKER_LINGER_S", 1.0)

    async def scenario() -> dict[str, object]:
        snap = Snapshot(store, tmp_path)
        snap.write()
        pool = WorkerPool(1, max_size=2, snapshot=snap)
        await pool.start()
        try:
            answers = []
            for _ in range(6):  # bursts of concurrent queries, each saturating the pool
                outcomes = await asyncio.gather(*(pool.run(job(), 30) for _ in range(8)))
                answers += [o.ok and o.body.startswith(b"s\r\n") for o in outcomes]
            during = (len(pool.pids()), pool.spawned)
            await asyncio.sleep(2.5)  # quiet for longer than the linger time
            return {"answers": answers, "during": during, "after": len(pool.pids())}
        finally:
            await pool.close()
            snap.close()

    out = asyncio.run(scenario())
    assert out["answers"] == [True] * 48, out["answers"]
    workers, spawned = out["during"]  # type: ignore[misc]
    assert workers == 2, "the extra worker stays while the load lasts"
    assert spawned == 2, f"one worker of the pool's size and one extra, not a start per burst: {spawned} started"
    assert out["after"] == 1, "the extra worker is retired once the pool has been quiet"

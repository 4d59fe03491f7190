"""The SHACL validation of a write in a warm worker process (``kg.workers``): the same findings as in-process
validation, a killed worker replaced (and the write it was validating tried again or refused, never half-written),
and the server's write routes using it."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from apps import router_app
from fastapi.testclient import TestClient

from api.routers import studies
from kg import config, workers
from kg.ingest import read_input
from kg.store import Store
from kg.write import Validator, add_study, graph_iri, validate_in_process, validator_of

FIXTURES = Path(__file__).parent / "fixtures"
SHEET = (FIXTURES / "sheet-comma.csv").read_text(encoding="utf-8")
TURTLE = (FIXTURES / "study-file.ttl").read_text(encoding="utf-8")
TOKEN = "worker-token-5e1c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Inputs whose problems only SHACL finds (and the valid fixtures): file name, bytes.
CASES = {
    "table2-factor-without-description": ("s.csv", SHEET.replace(
        "Residents' use of Twitter pushes cities to be there too.", "").encode()),
    "mention-without-section": ("s.csv", SHEET.replace("privacy,,5,", "privacy,,,").encode()),
    "year-out-of-range": ("t.ttl", TURTLE.replace('"2019"^^xsd:gYear', '"1850"^^xsd:gYear').encode()),
    "valid-sheet": ("sheet.csv", SHEET.encode()),
    "valid-study-file": ("study.ttl", TURTLE.encode()),
}


@pytest.fixture(scope="module")
def worker() -> Iterator[workers.Worker]:
    """A private validation worker (the tests kill it)."""
    w = workers.Worker("validation-test", warm=workers.warm_validation)
    yield w
    w.close()


def in_worker(w: workers.Worker) -> Validator:
    """A write validator running in ``w``."""
    return lambda data: w.call(workers.validate_in_worker, list(data), config.base_iri(), timeout=120)


def findings(store: Store, name: str, data: bytes, validator: Validator) -> list[dict]:
    """The findings of a dry-run add of the input, validated by ``validator``."""
    parsed = read_input(data, name, store=store, who="tester", max_bytes=200_000)
    o = add_study(store, parsed, who="tester", dry_run=True, validator=validator)
    return [vars(f) for f in o.findings]


@pytest.mark.parametrize("case", list(CASES))
def test_worker_gives_the_in_process_findings(module_store: Store, worker: workers.Worker, case: str) -> None:
    name, data = CASES[case]
    here = findings(module_store, name, data, validate_in_process)
    there = findings(module_store, name, data, in_worker(worker))
    assert there == here, f"{case}: the worker's findings differ"
    if not case.startswith("valid"):
        assert any(f["shape"] for f in there), f"{case}: no SHACL finding (the case should exercise SHACL)"
        assert all(f["file"] == name and (f["line"] or f["field"]) for f in there), there


def test_killed_worker_is_replaced(module_store: Store, worker: workers.Worker) -> None:
    name, data = CASES["mention-without-section"]
    expected = findings(module_store, name, data, validate_in_process)
    assert findings(module_store, name, data, in_worker(worker)) == expected
    old = worker.pid()
    assert old is not None
    os.kill(old, signal.SIGKILL)
    # The next call finds the worker dead, starts another (warmed the same way) and runs there.
    assert findings(module_store, name, data, in_worker(worker)) == expected
    assert worker.pid() not in (None, old) and worker.replaced >= 1


def test_worker_killed_mid_validation_retries_on_a_new_one(module_store: Store, worker: workers.Worker) -> None:
    name, data = CASES["table2-factor-without-description"]
    expected = findings(module_store, name, data, validate_in_process)
    worker.call(os.getpid)  # running and warm
    old, replaced = worker.pid(), worker.replaced
    # Keep the worker busy, so that the validation's call is still in flight (queued behind this) when it is killed,
    # however fast validation is and however loaded the machine.
    busy = worker._executor().submit(time.sleep, 60)
    asked = threading.Event()
    inner = in_worker(worker)

    def validator(graph):  # type: ignore[no-untyped-def]
        asked.set()
        return inner(graph)

    got: list[list[dict]] = []
    t = threading.Thread(target=lambda: got.append(findings(module_store, name, data, validator)))
    t.start()
    assert asked.wait(120), "the write never reached its validation"
    time.sleep(0.5)  # let the thread submit its call behind the busy one (if not yet, it meets the broken pool)
    assert not busy.done()
    os.kill(old, signal.SIGKILL)  # type: ignore[arg-type]
    t.join(120)
    assert got == [expected], "the validation was not completed on a new worker"
    assert worker.pid() != old and worker.replaced > replaced


def test_worker_past_its_deadline_is_stopped(worker: workers.Worker) -> None:
    worker.call(os.getpid)
    old = worker.pid()
    with pytest.raises(workers.WorkerLost, match="ran past"):
        worker.call(time.sleep, 30, timeout=0.5)
    assert worker.call(os.getpid) != old, "a new worker answers after the stopped one"


# -- the write routes ---------------------------------------------------------------------------------------------
@pytest.fixture()
def client(fresh_store: Store) -> Iterator[TestClient]:
    with TestClient(router_app(fresh_store, studies.router, write_token=TOKEN)) as c:
        yield c


def test_server_validates_in_the_worker(client: TestClient, fresh_store: Store) -> None:
    assert validator_of(fresh_store) is studies.validate_in_worker, "the app's store validates in the worker"
    name, data = CASES["mention-without-section"]
    r = client.post("/studies", files={"file": (name, data, "text/csv")}, headers=AUTH)
    assert r.status_code == 422, r.text
    here = findings(fresh_store, name, data, validate_in_process)
    assert r.json()["results"] == here, "the HTTP report is the in-process report"
    assert workers.shared("validation").pid() is not None
    r = client.post("/studies", files={"file": ("sheet.csv", SHEET.encode(), "text/csv")}, headers=AUTH)
    assert r.status_code == 201, r.text


def test_after_the_app_stops_the_store_validates_in_process(fresh_store: Store) -> None:
    with TestClient(router_app(fresh_store, studies.router, write_token=TOKEN)):
        assert validator_of(fresh_store) is studies.validate_in_worker
    assert validator_of(fresh_store) is validate_in_process


def test_worker_killed_during_an_http_write_leaves_before_or_after(client: TestClient, fresh_store: Store) -> None:
    w = workers.shared("validation")
    w.call(os.getpid)
    before = fresh_store.dump("nquads")
    answers: list = []
    t = threading.Thread(target=lambda: answers.append(
        client.post("/studies", files={"file": ("sheet.csv", SHEET.encode(), "text/csv")}, headers=AUTH)))
    t.start()
    time.sleep(0.3)
    pid = w.pid()
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
    t.join(120)
    (r,) = answers
    assert r.status_code in (201, 503), r.text
    exists = str(graph_iri("ana-2021")) in fresh_store.named_graphs()
    if r.status_code == 201:
        assert exists, "answered 201 but the study is not in the store"
    else:
        assert fresh_store.dump("nquads") == before, "refused, but the store changed"
        assert r.headers.get("Retry-After")
    # Whatever happened, the next write is validated by a live worker.
    r = client.post("/studies", params={"dry_run": "true"}, files={"file": ("t.ttl", TURTLE.encode(), "text/turtle")},
                    headers=AUTH)
    assert r.status_code == 200, r.text

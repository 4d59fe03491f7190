"""The worker process: holds a private in-memory copy of the dataset and answers one query at a time.

A worker may be killed at any moment (that is how the deadline stops a query's CPU work), so it owns nothing the
server needs: it loads the dataset from an N-Quads snapshot file and reloads when the dataset version changes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from api.sparql import negotiation as n
from api.sparql import results

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the server dies, even in the middle of a query."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def load(path: str) -> ox.Store:
    """A fresh in-memory store holding the snapshot at ``path``."""
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return store


def _dataset(job: dict[str, Any]) -> dict[str, Any]:
    """The pyoxigraph query options for the request's RDF dataset (protocol parameters override FROM clauses)."""
    default, named = job.get("default_graph"), job.get("named_graphs")
    if default is None and named is None:
        return {"use_default_graph_as_union": True}
    return {"default_graph": [ox.NamedNode(g) for g in default or []] or [ox.DefaultGraph()],
            "named_graphs": [ox.NamedNode(g) for g in named or []]}


def execute(store: ox.Store, job: dict[str, Any]) -> tuple:
    """Run one query and serialize its result: ``("ok", media, body, truncated, rows)`` or
    ``("error", status, message)``."""
    try:
        res = store.query(job["query"], **_dataset(job))
    except SyntaxError as e:
        return ("error", 400, f"Malformed query: {e}")
    except (OSError, ValueError, RuntimeError) as e:
        return ("error", 400, f"Query evaluation failed: {e}")
    accept, fmt, cap = job.get("accept"), job.get("format"), int(job["row_cap"])
    try:
        if isinstance(res, ox.QueryBoolean):
            media = n.choose(accept, fmt, n.RESULT_TYPES)
            if media is None:
                return ("error", 406, _not_acceptable("an ASK query", n.RESULT_TYPES))
            return ("ok", media, results.boolean_to_bytes(bool(res), media), False, 1)
        if isinstance(res, ox.QuerySolutions):
            media = n.choose(accept, fmt, n.RESULT_TYPES)
            if media is None:
                return ("error", 406, _not_acceptable("a SELECT query", n.RESULT_TYPES))
            variables = [v.value for v in res.variables]
            rows, truncated = results.take(res, cap)
            return ("ok", media, results.select_to_bytes(variables, rows, media), truncated, len(rows))
        media = n.choose(accept, fmt, n.GRAPH_TYPES)
        if media is None:
            return ("error", 406, _not_acceptable("a CONSTRUCT or DESCRIBE query", n.GRAPH_TYPES))
        triples, truncated = results.take(res, cap)
        return ("ok", media, results.graph_to_bytes(triples, media, job.get("prefixes")), truncated, len(triples))
    except (OSError, ValueError, RuntimeError) as e:
        return ("error", 400, f"Query evaluation failed: {e}")


def _not_acceptable(what: str, offers: list[str]) -> str:
    return f"None of the requested media types is available for {what}; available: {', '.join(offers)}"


def _limit_memory(megabytes: int | None) -> None:
    """Cap the worker's address space, so that a query that materializes too much (a sorted cross join) kills its
    worker instead of the machine; the server then answers 503 and starts a fresh worker."""
    if megabytes:
        limit = megabytes << 20
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(conn: Connection, memory_limit_mb: int | None = None) -> None:
    """Serve jobs from the pipe until it closes."""
    _die_with_parent()
    _limit_memory(memory_limit_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops its workers
    store: ox.Store | None = None
    version: str | None = None
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if store is None or job["version"] != version:
            try:
                store = load(job["snapshot"])
            except (OSError, ValueError, SyntaxError) as e:  # a missing or cut file: say so, stay alive
                store, version = None, None
                conn.send(("error", 503, f"the dataset snapshot could not be loaded: {e}"))
                continue
            version = job["version"]
        if job.get("warm"):
            conn.send(("loaded", version))
            continue
        conn.send(execute(store, job))

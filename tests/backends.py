"""Which store backend the suite runs on (see tests/conftest.py); importable by every test directory."""

import os

TEST_STORE_ENV = "EGOVKG_TEST_STORE"
TEST_REMOTE_ENV = "EGOVKG_TEST_REMOTE"


def oxigraph_server_spec(url: str) -> str:
    """The store spec of an Oxigraph server at base ``url`` (its /query, /update and /store endpoints)."""
    if url.startswith("sparql:"):
        return url
    base = url.rstrip("/")
    return f"sparql:{base}/query,{base}/update,{base}/store"


def backend_spec() -> str:
    """The store spec the suite runs on: ``memory:``, ``oxigraph:tmp`` or ``sparql:…``."""
    remote = os.environ.get(TEST_REMOTE_ENV)
    if remote:
        return oxigraph_server_spec(remote)
    return os.environ.get(TEST_STORE_ENV, "memory:")


def backend_kind() -> str:
    """``memory``, ``oxigraph`` or ``remote``."""
    kind = backend_spec().partition(":")[0]
    return {"sparql": "remote"}.get(kind, kind)

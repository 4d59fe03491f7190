"""The security review, point by point: no server-side requests from SPARQL, XML without entity expansion, no
path traversal, CORS only for reads, security headers on HTML, introspection and GraphiQL switchable off."""

from __future__ import annotations

import base64
import http.client
import re
import socket
import threading
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from kg.ingest import IngestError, read_input

TOKEN = "tok-7f3a9c1e5b2d4a68-never-log-me"  # the conftest's write token
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRETS = ("root:x:0:0", "[build-system]", "def create_app", "egovkg-secret-marker", "Traceback", 'File "/')


# -- no server-side request forgery ---------------------------------------------------------------------------------
class Listener:
    """A TCP listener on loopback that counts connections: the host a forged request would reach."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


FORGED = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service<{url}>{?s ?p ?o} }",
    "SELECT * WHERE { SeRvIcE SILENT <{url}> { ?s ?p ?o } }",
    "PREFIX x: <{url}> SELECT * WHERE { SERVICE x: { ?s ?p ?o } }",
    "SELECT * WHERE { #comment\n SERVICE\n#another\n<{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{url}> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "ASK { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", FORGED)
def test_sparql_service_refused_and_no_connection(client, listener, template):
    query = template.replace("{url}", f"http://127.0.0.1:{listener.port}/sparql")
    answers = [client.get("/sparql", params={"query": query}),
               client.post("/sparql", data={"query": query}),
               client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})]
    assert all(r.status_code == 403 for r in answers), [(r.status_code, r.text) for r in answers]
    assert "SERVICE" in answers[0].text
    assert listener.connections == 0, "the server connected to the host the query named"


@pytest.mark.parametrize("update", ["LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <urn:g>",
                                    "PREFIX p: <urn:p> LOAD <{url}>"])
def test_sparql_load_refused_and_no_connection(client, listener, update):
    text = update.replace("{url}", f"http://127.0.0.1:{listener.port}/data.ttl")
    version = client.app.state.store.version()
    answers = [client.post("/sparql", data={"update": text}),
               client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-update"}),
               client.get("/sparql", params={"query": text})]
    assert all(400 <= r.status_code < 500 for r in answers), [(r.status_code, r.text) for r in answers]
    assert listener.connections == 0
    assert client.app.state.store.version() == version


def test_from_and_graph_iris_are_not_dereferenced(client, listener):
    url = f"http://127.0.0.1:{listener.port}/g"
    for query in (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }} LIMIT 1",
                  f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1"):
        r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
    r = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": url, "named-graph-uri": url})
    assert r.status_code == 200, r.text
    assert listener.connections == 0, "a FROM/default-graph-uri IRI was fetched"


# -- XML without entity expansion -----------------------------------------------------------------------------------
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{g}" name="&lol9;" isCodable="true"/></Codes></CodeBook>
"""


def xxe(target: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "{target}">]>'
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="7b1c4a4e-0c57-4c39-9d3a-6f1b2a3c4d5e" '
            'name="&x;" isCodable="true"/></Codes></CodeBook>').encode()


def external_dtd(target: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE CodeBook SYSTEM "{target}">'
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>').encode()


def parameter_entity(target: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY % p SYSTEM "{target}"> %p;]>'
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>').encode()


def hostile_xml(port: int) -> dict[str, bytes]:
    url = f"http://127.0.0.1:{port}/evil.dtd"
    return {"billion-laughs": LAUGHS, "xxe-file": xxe("file:///etc/passwd"), "xxe-http": xxe(url),
            "external-dtd": external_dtd(url), "parameter-entity": parameter_entity(url)}


def test_xml_entities_never_expanded_by_the_parser(listener):
    for name, data in hostile_xml(listener.port).items():
        with pytest.raises(IngestError) as info:
            read_input(data, f"{name}.qdc")
        text = "\n".join(p.message for p in info.value.problems)
        assert "DTD" in text or "refused" in text or "entit" in text.lower(), f"{name}: {text}"
        assert "root:x:0:0" not in text and "lollol" not in text, f"{name} was expanded: {text}"
    assert listener.connections == 0, "the parser fetched an external entity or DTD"


def test_xml_entities_refused_through_rest_and_graphql(client, listener):
    version = client.app.state.store.version()
    for name, data in hostile_xml(listener.port).items():
        r = client.post("/studies", files={"file": (f"{name}.qdc", data, "application/xml")}, headers=AUTH)
        assert r.status_code == 422 and r.json()["written"] is False, f"{name}: {r.status_code} {r.text[:300]}"
        assert not any(s in r.text for s in SECRETS) and "lollollol" not in r.text
        q = ("mutation($f: StudyFileInput!) { validateStudy(file: $f) { conforms results { message } } }")
        f = {"filename": f"{name}.qdc", "content": base64.b64encode(data).decode(), "base64": True}
        g = client.post("/graphql", json={"query": q, "variables": {"f": f}}, headers=AUTH)
        assert g.status_code == 200 and g.json()["data"]["validateStudy"]["conforms"] is False, g.text
        assert "root:x:0:0" not in g.text and "lollollol" not in g.text
    assert listener.connections == 0
    assert client.app.state.store.version() == version


# -- path traversal -------------------------------------------------------------------------------------------------
TRAVERSALS = [
    "../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "..%2F..%2F..%2Fpyproject.toml",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "%2e%2e%2f%2e%2e%2fpyproject.toml", "..%252f..%252fpyproject.toml",
    "....//....//etc/passwd", "..\\..\\..\\etc\\passwd", "..%5c..%5cpyproject.toml",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "..%00/etc/passwd", "%2fetc%2fpasswd", "/etc/passwd", "..;/..;/pyproject.toml", ".%2e/.%2e/api/main.py",
]
PREFIXES = ["/dumps/", "/static/", "/static/css/", "/graphql/static/", "/id/", "/ontology/", "/shapes/", "/graph/",
            "/id/study/", "/tables/", "/sparql/"]


def raw_get(host: str, port: int, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written (no client-side normalisation of dot segments or percent escapes)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.putheader("Accept", "text/html, */*")
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_no_path_traversal(live, prefix):
    for t in TRAVERSALS:
        status, body = raw_get(live.host, live.port, prefix + t)
        text = body.decode("utf-8", "replace")
        assert status < 500, f"{prefix}{t}: {status} {text[:300]}"
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, f"{prefix}{t}: {status} leaked {leaked}"
        assert status != 200 or prefix in ("/id/", "/ontology/", "/shapes/", "/graph/") and "passwd" not in text, (
            f"{prefix}{t} answered 200: {text[:200]}")


# -- CORS only for reads --------------------------------------------------------------------------------------------
ORIGIN = {"Origin": "https://portal.example"}


def preflight(client, path: str, method: str, headers: str = "content-type"):
    return client.options(path, headers={**ORIGIN, "Access-Control-Request-Method": method,
                                         "Access-Control-Request-Headers": headers})


def test_cors_for_reads(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers=ORIGIN)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    r = client.get("/graphql", params={"query": "{ __typename }"}, headers=ORIGIN)
    assert r.headers["access-control-allow-origin"] == "*"
    r = preflight(client, "/graphql", "POST")
    assert r.status_code == 200 and "POST" in r.headers["access-control-allow-methods"], "GraphQL POST reads"
    r = preflight(client, "/sparql", "POST")
    assert r.status_code == 200


@pytest.mark.parametrize("path,method", [("/studies", "POST"), ("/studies/zheng-2013", "PUT"),
                                         ("/studies/zheng-2013", "DELETE"), ("/graphql", "PUT"), ("/sparql", "DELETE")])
def test_cors_preflight_for_writes_refused(client, path, method):
    r = preflight(client, path, method)
    assert r.status_code >= 400, f"{method} {path}: {r.status_code}"
    assert "access-control-allow-origin" not in r.headers and "access-control-allow-methods" not in r.headers


def test_no_cors_headers_on_write_answers(client):
    r = client.post("/studies", headers=ORIGIN, files={"file": ("s.csv", b"x", "text/csv")})
    assert r.status_code == 401 and "access-control-allow-origin" not in r.headers
    r = client.delete("/studies/zheng-2013", headers=ORIGIN)
    assert r.status_code == 401 and "access-control-allow-origin" not in r.headers


def test_authorization_header_not_allowed_cross_origin(client):
    """A cross-origin script cannot attach the write token: Authorization is not an allowed request header."""
    r = preflight(client, "/graphql", "POST", "authorization, content-type")
    assert r.status_code >= 400 or "authorization" not in r.headers.get("access-control-allow-headers", "").lower()


# -- security headers on HTML ---------------------------------------------------------------------------------------
class Scripts(HTMLParser):
    """Inline scripts and inline event handlers, which a strict CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in a and a.get("type", "").lower() not in ("application/json",
                                                                                    "application/ld+json")
        self.inline += [f"<{tag} {k}=…>" for k in a if k.lower().startswith("on")]
        self.inline += [f"<{tag} {k}={v!r}>" for k, v in a.items() if k in ("href", "src") and v
                        and v.strip().lower().startswith("javascript:")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append("<script>" + data.strip()[:60])


HTML_PAGES = ["/", "/tables/1", "/tables/2", "/compare", "/compare?a_place=china&b_place=western", "/network",
              "/sparql", "/graphql", "/dumps/", "/ontology/", "/id/study/zheng-2013", "/shapes/",
              "/no-such-page", "/id/no-such-thing"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_security_headers_on_html(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code < 500, r.text[:300]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers.get("referrer-policy"), "a referrer policy"
    if not r.headers.get("content-type", "").startswith("text/html"):
        return
    csp = r.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, f"{path}: no script policy in {csp!r}"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts, csp
    assert "frame-ancestors" in directives or r.headers.get("x-frame-options"), "no framing by other sites"
    parser = Scripts()
    parser.feed(r.text)
    assert not parser.inline, f"{path}: inline scripts the policy would block: {parser.inline[:5]}"


def test_security_headers_on_every_response(client):
    for path in ["/health", "/metrics", "/sparql?query=ASK%7B%7D", "/dumps/SHA256SUMS"]:
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "x-request-id" in r.headers, path


# -- introspection and GraphiQL: on by default, off by a setting ----------------------------------------------------
INTROSPECT = "{ __schema { queryType { name } } }"


def test_introspection_and_graphiql_on_by_default(client):
    r = client.post("/graphql", json={"query": INTROSPECT})
    assert r.status_code == 200 and r.json()["data"]["__schema"]["queryType"]["name"] == "Query", r.text
    r = client.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "graphiql" in r.text.lower()


def test_introspection_and_graphiql_switched_off(make_client):
    with make_client(introspection=False, graphiql=False) as c:
        r = c.post("/graphql", json={"query": INTROSPECT})
        assert 400 <= r.status_code < 500 and "data" not in r.json(), r.text
        assert re.search(r"introspection", r.json()["errors"][0]["message"], re.I), r.text
        r = c.post("/graphql", json={"query": "{ __type(name: \"Study\") { name } }"})
        assert 400 <= r.status_code < 500, r.text
        r = c.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql.min.js" not in r.text and r.status_code >= 400, r.text[:200]
        assert c.get("/graphql", params={"query": "{ __typename }"}).status_code == 200, "queries still work"

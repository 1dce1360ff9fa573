"""A small interpreter of the W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests.

Reads a manifest (and those it includes) with rdflib into `ProtocolTest`s, each a list of
`ProtocolRequest`s with what the response must have: status codes or classes, a result
format, a boolean, a content type, a body (graph-isomorphic), a Location. `run_test` sends
them in order with httpx, putting the endpoint in place of the manifest's path prefix
(`/sparql/` or `/gsp`) and the Location of an earlier answer in place of its template
variable. A test that needs a writable endpoint (an update, a Graph Store write) names its
first write in `first_write`, so that a read-only endpoint can be checked refusing it.
The manifests are the project's copies in standards/w3c-sparql11 (W3C test-suite licence).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

STANDARDS = Path(__file__).resolve().parents[1] / "standards" / "w3c-sparql11"
PROTOCOL = STANDARDS / "protocol"
GRAPH_STORE = STANDARDS / "graph-store-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
STATUS_CODES = {"OK": "200", "Created": "201", "NoContent": "204", "NotFound": "404"}
FORMAT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
}
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt"}


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: frozenset[str]  # codes ("201") or classes ("2xx")
    format: str | None = None
    boolean: bool | None = None
    content_type: str | None = None
    graph: str | None = None  # Turtle the response must be isomorphic to
    location: str | None = None  # the template variable the Location header fills


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def first_write(self) -> ProtocolRequest | None:
        """The first request that needs a writable endpoint (an update, a Graph Store
        PUT, POST or DELETE); None for a test that only reads."""
        for request in self.requests:
            if self.name.startswith("update_") or (
                request.path.startswith("/gsp") and request.method in ("PUT", "POST", "DELETE")
            ):
                return request
        return None


def load_manifest(path: Path) -> list[ProtocolTest]:
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = URIRef(path.as_uri())
    includes = graph.value(manifest, MF.include)
    if includes is not None:
        return [t for m in Collection(graph, includes) for t in load_manifest(_file(m))]
    entries = graph.value(manifest, MF.entries)
    return [_test(graph, entry) for entry in Collection(graph, entries)]


def _file(iri: object) -> Path:
    return Path(str(iri).removeprefix("file://"))


def _test(graph: Graph, node: URIRef) -> ProtocolTest:
    action = graph.value(node, MF.action)
    requests = Collection(graph, graph.value(action, HT.requests))
    name = str(node).rsplit("#", 1)[-1]
    return ProtocolTest(
        name, str(graph.value(node, MF.name)), [_request(graph, r) for r in requests]
    )


def _headers(graph: Graph, node: object) -> dict[str, str]:
    header_list = graph.value(node, HT.headers)
    if header_list is None:
        return {}
    return {
        str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
        for h in Collection(graph, header_list)
    }


def _body(graph: Graph, node: object) -> str | None:
    body = graph.value(node, HT.body)
    return None if body is None else str(graph.value(body, CNT.chars))


def _status(iri: object) -> str:
    name = str(iri).rsplit("#", 1)[-1]
    return STATUS_CODES[name] if name in STATUS_CODES else name.removeprefix("StatusCode")


def _request(graph: Graph, node: URIRef) -> ProtocolRequest:
    response = graph.value(node, HT.resp)
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    location = graph.value(response, MF.expectedLocation)
    return ProtocolRequest(
        str(graph.value(node, HT.methodName)),
        str(graph.value(node, HT.absolutePath)),
        _headers(graph, node),
        _body(graph, node),
        frozenset(_status(s) for s in graph.objects(response, MF.expectedStatus)),
        None if fmt is None else str(fmt),
        None if boolean is None else boolean.toPython(),
        _headers(graph, response).get("content-type"),
        _body(graph, response),
        None if location is None else str(location),
    )


def endpoint_path(base: str, path: str) -> str:
    """The manifest's path on the service at `base`: /sparql/… and /gsp… mapped."""
    if path.startswith("/gsp"):
        return f"{base}/rdf-graph-store" + path.removeprefix("/gsp")
    return f"{base}/sparql" + path.removeprefix("/sparql/")


def run_test(
    client: httpx.Client, base: str, test: ProtocolTest, headers: dict[str, str] | None = None
) -> list[str]:
    """Send every request of `test` (with `headers` added); the differences found, by step."""
    filled: dict[str, str] = {}
    problems = []
    for step, request in enumerate(test.requests, 1):
        found = run_request(client, base, request, headers or {}, filled)
        problems += [f"request {step} ({request.method}): {p}" for p in found]
    return problems


def run_request(
    client: httpx.Client,
    base: str,
    request: ProtocolRequest,
    headers: dict[str, str] | None = None,
    filled: dict[str, str] | None = None,
) -> list[str]:
    """Send one request; the list of ways the response differs from what the manifest expects."""
    filled = {} if filled is None else filled
    path, body = request.path, request.body
    for variable, value in filled.items():
        path = path.replace(variable, value)
        body = None if body is None else body.replace(variable, value)
    response = client.request(
        request.method,
        endpoint_path(base, path),
        headers={**request.headers, **(headers or {})},
        content=None if body is None else body.encode(),
    )
    if request.location is not None and "location" in response.headers:
        filled[request.location] = response.headers["location"]
    return _differences(request, response)


def _differences(request: ProtocolRequest, response: httpx.Response) -> list[str]:
    code = str(response.status_code)
    problems = []
    if code not in request.statuses and f"{code[0]}xx" not in request.statuses:
        problems.append(f"status {code}, expected {sorted(request.statuses)}: {response.text}")
    media_type = response.headers.get("content-type", "").split(";")[0]
    if request.format and media_type not in FORMAT_TYPES[request.format]:
        problems.append(f"media type {media_type}, expected {request.format}")
    if request.content_type and media_type != request.content_type.split(";")[0]:
        problems.append(f"media type {media_type}, expected {request.content_type}")
    if request.location is not None and "location" not in response.headers:
        problems.append("no Location header")
    if (
        request.boolean is not None
        and response.is_success
        and json.loads(response.text).get("boolean") is not request.boolean
    ):
        problems.append(f"boolean {response.text}, expected {request.boolean}")
    if request.graph is not None and response.is_success:
        expected = Graph().parse(data=request.graph, format="turtle")
        got = Graph().parse(data=response.text, format=RDFLIB_FORMATS.get(media_type, "turtle"))
        if not isomorphic(expected, got):
            problems.append(f"graph not isomorphic to the expected one:\n{response.text}")
    return problems

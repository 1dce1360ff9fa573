"""A small interpreter of the W3C SPARQL 1.1 Protocol test manifest.

Reads manifest.ttl with rdflib into `ProtocolTest`s (each a list of `ProtocolRequest`s with
the expected status classes, format and boolean) and runs them against an endpoint with
httpx, replacing the manifest's `/sparql/` path prefix by the endpoint's. Tests that need a
writable endpoint (`update_*`) are reported by `applies_to_read_only` so the caller can
check them as refusals instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
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


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # status classes: 2, 3, 4, 5
    format: str | None = None
    boolean: bool | None = None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def applies_to_read_only(self) -> bool:
        return not self.name.startswith("update_")


def load_manifest(path: Path) -> list[ProtocolTest]:
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    entries = graph.value(URIRef(path.as_uri()), MF.entries)
    return [_test(graph, entry) for entry in Collection(graph, entries)]


def _test(graph: Graph, node: URIRef) -> ProtocolTest:
    action = graph.value(node, MF.action)
    requests = Collection(graph, graph.value(action, HT.requests))
    name = str(node).rsplit("#", 1)[-1]
    return ProtocolTest(
        name, str(graph.value(node, MF.name)), [_request(graph, r) for r in requests]
    )


def _request(graph: Graph, node: URIRef) -> ProtocolRequest:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(
                graph.value(header, HT.fieldValue)
            )
    body_node = graph.value(node, HT.body)
    body = None if body_node is None else str(graph.value(body_node, CNT.chars)).encode()
    response = graph.value(node, HT.resp)
    statuses = frozenset(int(str(s)[-3]) for s in graph.objects(response, MF.expectedStatus))
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return ProtocolRequest(
        str(graph.value(node, HT.methodName)),
        str(graph.value(node, HT.absolutePath)),
        headers,
        body,
        statuses,
        None if fmt is None else str(fmt),
        None if boolean is None else boolean.toPython(),
    )


def run_request(client: httpx.Client, endpoint: str, request: ProtocolRequest) -> list[str]:
    """Send one request; the list of ways the response differs from what the manifest expects."""
    path = endpoint + request.path.removeprefix("/sparql/")
    response = client.request(request.method, path, headers=request.headers, content=request.body)
    problems = []
    if response.status_code // 100 not in request.statuses:
        problems.append(f"status {response.status_code}, expected {sorted(request.statuses)}xx")
    media_type = response.headers.get("content-type", "").split(";")[0]
    if request.format and media_type not in FORMAT_TYPES[request.format]:
        problems.append(f"media type {media_type}, expected {request.format}")
    if (
        request.boolean is not None
        and response.is_success
        and json.loads(response.text).get("boolean") is not request.boolean
    ):
        problems.append(f"boolean {response.text}, expected {request.boolean}")
    return problems

"""/rdf-graph-store: the SPARQL 1.1 Graph Store HTTP Protocol; reads public, writes need a token.

A graph is named indirectly (`?graph=IRI`, `?default`) or directly: the URL of a request
under `/rdf-graph-store/…` is the graph's IRI. Reads go through the same guarded,
time-limited worker pool as /sparql (a CONSTRUCT over one graph), so they get the same
negotiation, ETag, cache and limits. Writes build a new store generation (see
`lcgraph.querying.updates`): PUT replaces a graph, POST adds to it (an RDF body, or a
`multipart/form-data` one of RDF parts), POST to the store itself makes a new graph and
answers its IRI in `Location`; a write that makes a graph answers 201, others 204.
"""

from __future__ import annotations

import asyncio
import secrets
from email.parser import BytesParser
from email.policy import HTTP

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode

from lcgraph.querying import updates
from lcgraph.querying.job import DEFAULT_GRAPH
from lcgraph.web import answers
from lcgraph.web.deps import ServiceDep, SettingsDep, StoreDep, WriteLockDep, require_update_token
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest, read_body, request_iri

router = APIRouter(tags=["graph store"])
PATH = "/rdf-graph-store"
DIRECT = PATH + "/{graph:path}"
MULTIPART = "multipart/form-data"


def target_graph(request: Request) -> str | None:
    """The graph a request names: its own URL (direct), the IRI in ?graph=, or None for
    ?default; 400 unless exactly one is given."""
    if request.scope["path"] != PATH:
        if request.query_params:
            raise HttpProblem(400, "a graph named by its URL takes no ?graph= or ?default")
        return request_iri(request)
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if default == bool(graphs) or len(graphs) > 1:
        raise HttpProblem(400, "give exactly one of ?graph=IRI or ?default")
    if graphs:
        try:
            NamedNode(graphs[0])
        except ValueError as err:
            raise HttpProblem(400, f"?graph= is not an absolute IRI: {err}") from err
        return graphs[0]
    return None


@router.get(PATH, response_model=None)
@router.get(DIRECT, response_model=None, include_in_schema=False)
async def read_graph(request: Request, service: ServiceDep) -> Response:
    """The graph's triples in the negotiated RDF format; 404 when the graph has none."""
    graph = target_graph(request)
    if graph is None:
        operation = SparqlRequest("query", "CONSTRUCT WHERE { ?s ?p ?o }", [DEFAULT_GRAPH])
    else:
        iri = NamedNode(graph)
        if not await service.ask(f"ASK {{ GRAPH {iri} {{ ?s ?p ?o }} }}"):
            raise HttpProblem(404, f"no graph {graph} in the store")
        operation = SparqlRequest(
            "query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}"
        )
    return await answers.respond(service, operation, request)


@router.put(PATH, response_model=None)
@router.post(PATH, response_model=None)
@router.put(DIRECT, response_model=None, include_in_schema=False)
@router.post(DIRECT, response_model=None, include_in_schema=False)
async def write_graph(
    request: Request, settings: SettingsDep, store: StoreDep, write_lock: WriteLockDep
) -> Response:
    """PUT replaces the graph, POST adds to it, POST to the store makes one; needs the token."""
    require_update_token(request, settings)
    made = request.method == "POST" and request.scope["path"] == PATH and not request.query_params
    graph = f"{request_iri(request)}/{secrets.token_hex(8)}" if made else target_graph(request)
    body = await read_body(request, settings.service.max_body_bytes)
    documents = _documents(body, request.headers.get("content-type", ""))
    replace = request.method == "PUT"
    async with write_lock:
        revision, created = await asyncio.to_thread(
            updates.write_graph, store, graph, documents, replace
        )
    headers = {"X-Lcgraph-Revision": revision}
    if made:
        headers["Location"] = str(graph)
    return Response(status_code=201 if created else 204, headers=headers)


def _documents(body: bytes, content_type: str) -> list[tuple[bytes, str]]:
    """The RDF documents of a body, each with its media type: the body itself, or each
    part of a `multipart/form-data` body (RFC 7578, read with the standard MIME parser)."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type != MULTIPART:
        return [(body, media_type)]
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise HttpProblem(400, "a multipart/form-data body needs its boundary")
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append((payload if isinstance(payload, bytes) else b"", part.get_content_type()))
    return parts


@router.delete(PATH, response_model=None)
@router.delete(DIRECT, response_model=None, include_in_schema=False)
async def delete_graph(
    request: Request, settings: SettingsDep, store: StoreDep, write_lock: WriteLockDep
) -> Response:
    """Remove the graph; 404 when it has no triples."""
    require_update_token(request, settings)
    graph = target_graph(request)
    async with write_lock:
        revision = await asyncio.to_thread(updates.drop_graph, store, graph)
    return Response(status_code=204, headers={"X-Lcgraph-Revision": revision})

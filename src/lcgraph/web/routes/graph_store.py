"""/rdf-graph-store: the SPARQL 1.1 Graph Store HTTP Protocol; reads public, writes need a token.

Reads go through the same guarded, time-limited worker pool as /sparql (a CONSTRUCT over
one graph), so they get the same negotiation, ETag, cache and limits. Writes build a new
store generation (see `lcgraph.querying.updates`).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode

from lcgraph.querying import updates
from lcgraph.querying.worker import DEFAULT_GRAPH
from lcgraph.web.deps import RunnerDep, SettingsDep, StoreDep, WriteLockDep, require_update_token
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest, read_body

router = APIRouter(tags=["graph store"])
PATH = "/rdf-graph-store"


def target_graph(request: Request) -> str | None:
    """The IRI in ?graph=, or None for ?default; 400 unless exactly one is given."""
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
async def read_graph(request: Request, runner: RunnerDep) -> Response:
    """The graph's triples in the negotiated RDF format; 404 when the graph has none."""
    graph = target_graph(request)
    if graph is None:
        operation = SparqlRequest("query", "CONSTRUCT WHERE { ?s ?p ?o }", [DEFAULT_GRAPH])
    else:
        iri = NamedNode(graph)
        if not await runner.ask(f"ASK {{ GRAPH {iri} {{ ?s ?p ?o }} }}"):
            raise HttpProblem(404, f"no graph {graph} in the store")
        operation = SparqlRequest(
            "query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri} {{ ?s ?p ?o }} }}"
        )
    return await runner.respond(operation, request)


@router.put(PATH, response_model=None)
@router.post(PATH, response_model=None)
async def write_graph(
    request: Request, settings: SettingsDep, store: StoreDep, write_lock: WriteLockDep
) -> Response:
    """PUT replaces the graph, POST adds to it; needs the update token."""
    require_update_token(request, settings)
    graph = target_graph(request)
    body = await read_body(request, settings.max_body_bytes)
    media_type = request.headers.get("content-type", "").split(";")[0].strip()
    replace = request.method == "PUT"
    async with write_lock:
        revision = await asyncio.to_thread(
            updates.write_graph, store, graph, body, media_type, replace
        )
    return Response(status_code=204, headers={"X-Lcgraph-Revision": revision})


@router.delete(PATH, response_model=None)
async def delete_graph(
    request: Request, settings: SettingsDep, store: StoreDep, write_lock: WriteLockDep
) -> Response:
    require_update_token(request, settings)
    graph = target_graph(request)
    async with write_lock:
        revision = await asyncio.to_thread(updates.drop_graph, store, graph)
    return Response(status_code=204, headers={"X-Lcgraph-Revision": revision})

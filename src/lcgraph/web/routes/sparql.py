"""/sparql: the SPARQL 1.1 Protocol (query and, with a token, update) and its description."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lcgraph.querying import guard, update_dataset, updates
from lcgraph.web import answers, negotiation, service_description
from lcgraph.web.deps import (
    EditorContextDep,
    SettingsDep,
    StoreDep,
    TemplatesDep,
    WriteLockDep,
    editor_context_of,
    require_update_token,
    service_of,
    settings_of,
    store_of,
    templates_of,
    write_lock_of,
)
from lcgraph.web.edge import hot
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest, read_sparql_request, request_iri

router = APIRouter(tags=["sparql"])


# One route per method, so each gets its own OpenAPI operation id.
@router.get("/sparql", response_model=None)
@router.post("/sparql", response_model=None)
@hot
async def sparql(request: Request) -> Response:
    """Run a query (GET, POST form, POST sparql-query) or an update; no query: describe.

    Hot (`lcgraph.web.edge`): it reads the app's parts with `deps`'s plain calls
    (`settings_of`, ...) instead of taking six `Annotated` dependencies, which cost ~10% of
    a cached answer (benchmarks/serve.py) to resolve, and all but the query service and
    settings serve rare branches.
    """
    settings = settings_of(request)
    operation = await read_sparql_request(request, settings.service.max_body_bytes)
    if operation is None:
        return describe(request, settings, templates_of(request), editor_context_of(request))
    return await answer(request, operation)


async def answer(request: Request, operation: SparqlRequest) -> Response:
    """Run a protocol operation: a query for anyone, an update with the bearer token."""
    settings = settings_of(request)
    if operation.operation == "update":
        require_update_token(request, settings)
        return await run_update(
            operation,
            request_iri(request),
            settings.service.service_allowlist,
            store_of(request),
            write_lock_of(request),
        )
    return await answers.respond(service_of(request), operation, request)


def describe(
    request: Request, settings: SettingsDep, templates: TemplatesDep, editor: EditorContextDep
) -> Response:
    """The service description: the query editor for a browser, Turtle (or RDF) otherwise."""
    accept = request.headers.get("accept")
    if negotiation.wants_html(accept):
        # a copy: TemplateResponse puts `request` into the dict, and `editor` is shared
        return templates.TemplateResponse(request, "sparql.html", dict(editor))
    ranked = negotiation.rank(accept, service_description.offered_rdf_types())
    if not ranked:
        raise HttpProblem(
            406,
            "the service description is available as "
            + ", ".join(service_description.offered_rdf_types())
            + " or text/html",
        )
    body = service_description.render(str(request.url.replace(query="")), settings, ranked[0])
    return Response(body, media_type=ranked[0], headers={"Vary": "Accept"})


async def run_update(
    operation: SparqlRequest,
    base_iri: str,
    allowlist: list[str],
    store: StoreDep,
    write_lock: WriteLockDep,
) -> Response:
    """Apply an update as a new store generation (see `lcgraph.querying.updates`)."""
    if operation.default_graphs or operation.named_graphs:
        raise HttpProblem(
            400,
            "default-graph-uri / named-graph-uri are for queries: "
            "an update takes using-graph-uri / using-named-graph-uri",
        )
    text = update_dataset.with_dataset(
        operation.text, operation.using_graphs, operation.using_named_graphs
    )
    guard.check_remote_access(text, allowlist)  # a relative target has no host: refused
    async with write_lock:
        revision = await asyncio.to_thread(updates.apply_update, store, text, base_iri)
    return Response(status_code=204, headers={"X-Lcgraph-Revision": revision})

"""/sparql: the SPARQL 1.1 Protocol (query and, with a token, update) and its description."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from lcgraph.config import Settings
from lcgraph.errors import LcgraphError
from lcgraph.querying import guard, updates
from lcgraph.web import errors, negotiation, service_description
from lcgraph.web.deps import (
    EditorContextDep,
    SettingsDep,
    StoreDep,
    TemplatesDep,
    WriteLockDep,
    require_update_token,
)
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest, read_sparql_request
from lcgraph.web.runner import QueryRunner

router = APIRouter(tags=["sparql"])
_ROUTE = SimpleNamespace(path="/sparql")
_FAST = ("GET", "POST")


# One route per method, so each gets its own OpenAPI operation id.
@router.get("/sparql", response_model=None)
@router.post("/sparql", response_model=None)
@router.head("/sparql", response_model=None, include_in_schema=False)
async def sparql(request: Request) -> Response:
    """Run a query (GET, POST form, POST sparql-query) or an update; no query: describe.

    The one hot route reads `app.state` itself instead of taking six `Annotated`
    dependencies: resolving them cost ~10% of a cached answer (benchmarks/serve.py), and
    all but the runner and settings serve rare branches.
    """
    state = request.app.state
    settings: Settings = state.settings
    operation = await read_sparql_request(request, settings.max_body_bytes)
    if operation is None:
        return describe(request, settings, state.templates, state.editor_context)
    return await answer(request, operation)


async def answer(request: Request, operation: SparqlRequest) -> Response:
    """Run a protocol operation: a query for anyone, an update with the bearer token."""
    state = request.app.state
    settings: Settings = state.settings
    if operation.operation == "update":
        require_update_token(request, settings)
        return await run_update(
            operation, settings.service_allowlist, state.store, state.write_lock
        )
    runner: QueryRunner = state.runner
    return await runner.respond(operation, request)


class SparqlFastPath:
    """ASGI middleware: a GET or POST to /sparql with an operation goes straight to `answer`.

    FastAPI's request machinery (routing, dependency resolution, exception middleware) cost
    about as much as answering a point lookup (benchmarks/serve.py); the endpoint needs none
    of it. Installed inside the CORS, metrics and error-guard middleware, so those still
    apply; it renders domain errors itself, as the app's handlers would. A GET without a
    query (the service description, a page with links) and other methods go through the
    router.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in _FAST:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        scope["route"] = _ROUTE  # the metrics label, as the router would set it
        try:
            operation = await read_sparql_request(
                request, request.app.state.settings.max_body_bytes
            )
            if operation is None:
                await self.app(scope, receive, send)
                return
            response = await answer(request, operation)
        except LcgraphError as err:
            response = errors.render(err)
        await response(scope, receive, send)


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
    operation: SparqlRequest, allowlist: list[str], store: StoreDep, write_lock: WriteLockDep
) -> Response:
    """Apply an update as a new store generation (see `lcgraph.querying.updates`)."""
    if operation.using_graphs or operation.default_graphs or operation.named_graphs:
        raise HttpProblem(
            400,
            "using-graph-uri / using-named-graph-uri are not supported; "
            "put USING or WITH in the update",
        )
    guard.check_remote_access(operation.text, allowlist)
    async with write_lock:
        revision = await asyncio.to_thread(updates.apply_update, store, operation.text)
    return Response(status_code=204, headers={"X-Lcgraph-Revision": revision})

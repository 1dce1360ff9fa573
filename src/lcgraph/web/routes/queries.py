"""/api/queries: the named queries (issue 4) as a typed REST API, one route per query file.

    GET /api/queries                     the catalogue (JSON; an HTML page for a browser)
    GET /api/queries/{name}?p=v          run it: SPARQL results JSON, CSV or an HTML table
    GET /api/queries/{name}.json|.csv    the same, the suffix overriding Accept
    GET /id/query/{name}                 the query as a thing: 303 to its page
    GET /doc/query/{name}                its page: SPARQL, parameters, a form, JSON/CSV links

The routes are generated from the loaded queries (`query_router(queries, iris)`), so
OpenAPI has one operation per query whose parameters carry the header's JSON schemas.
A run goes through the same `QueryService` as /sparql (time limit, row limit, cache, ETag,
CORS, the one error shape); its routes are hot (`lcgraph.web.edge`), so the edge answers
them past FastAPI's routing; parameter values travel to the workers as RDF terms
(`substitutions`) and never become query text. The pages and URLs are in `query_pages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from lcgraph.errors import QueryParamError
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery
from lcgraph.named_queries.params import Term
from lcgraph.querying.pool import CHEAP
from lcgraph.querying.terms import encode_substitutions
from lcgraph.web import answers, negotiation
from lcgraph.web.deps import service_of
from lcgraph.web.edge import Endpoint, hot
from lcgraph.web.errors import HttpProblem
from lcgraph.web.protocol import SparqlRequest
from lcgraph.web.routes.query_pages import (
    api_path,
    doc_path,
    entry,
    frame,
    html_results,
    id_path,
    query_page,
    render,
    runnable,
)

TAG = "named queries"
CATALOGUE_TITLE = {"en": "Named queries", "nl": "Vaste vragen"}
SUFFIXES = ("json", "csv")  # `/api/queries/{name}.{suffix}`: format names of negotiation


def query_router(queries: Mapping[str, NamedQuery], iris: Iris) -> APIRouter:
    """The routes for `queries`: catalogue, one operation per query, suffixes, IRI and page."""
    router = APIRouter(tags=[TAG])
    router.add_api_route(
        "/api/queries",
        _catalogue_endpoint(queries, iris),
        methods=["GET"],
        operation_id="list_named_queries",
        summary="The named-query catalogue",
        response_model=None,
    )
    for query in queries.values():
        _add_query_routes(router, query, iris)
    for path in ("/api/queries/{name}", "/doc/query/{name}", "/id/query/{name}"):
        router.add_api_route(path, _unknown, methods=["GET"], include_in_schema=False)
    return router


def _add_query_routes(router: APIRouter, query: NamedQuery, iris: Iris) -> None:
    path = api_path(query.name)
    router.add_api_route(
        path,
        _run_endpoint(query, iris, None),
        methods=["GET"],
        operation_id=query.name,
        summary=query.title["en"],
        description=_description(query),
        response_class=Response,
        responses=_RESPONSES,
        openapi_extra={"parameters": [_openapi_param(p) for p in query.params]},
    )
    for suffix in SUFFIXES:
        router.add_api_route(
            f"{path}.{suffix}",
            _run_endpoint(query, iris, suffix),
            methods=["GET"],
            include_in_schema=False,
        )
    router.add_api_route(
        doc_path(iris, query.name),
        _page_endpoint(query, iris),
        methods=["GET"],
        include_in_schema=False,
    )
    router.add_api_route(
        id_path(iris, query.name),
        _see_other(doc_path(iris, query.name)),
        methods=["GET"],
        include_in_schema=False,
    )


# --- OpenAPI ------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    """The one error shape (web/errors.py), declared for OpenAPI and generated clients."""

    ok: bool = False
    error: str
    errors: list[str]
    status: int
    type: str


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The results (SPARQL results JSON, CSV or an HTML table)",
        "content": {
            negotiation.media_type("json"): {},
            negotiation.media_type("csv"): {},
            "text/html": {},
        },
    },
    304: {"description": "Not modified (If-None-Match matched the ETag)"},
    400: {
        "description": "A parameter is unknown, missing or of the wrong type",
        "model": ErrorBody,
    },
    406: {"description": "No acceptable result format", "model": ErrorBody},
    503: {"description": "Over the time limit, busy, or no graph built yet", "model": ErrorBody},
}


def _openapi_param(param: Any) -> dict[str, Any]:
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": (param.description or "") + f" Expected: {param.expected}.",
        "schema": param.json_schema(),
        "example": param.example,
    }


def _description(query: NamedQuery) -> str:
    nl = f"**{query.title['nl']}**: {query.description['nl']}"
    return f"{query.description['en']}\n\n{nl}\n\n```sparql\n{query.sparql.rstrip()}\n```"


# --- endpoints ----------------------------------------------------------------------------


def _catalogue_endpoint(queries: Mapping[str, NamedQuery], iris: Iris) -> Endpoint:
    async def list_named_queries(request: Request) -> Response:
        """The catalogue: every query's description, IRI and links; HTML for a browser."""
        entries = [entry(q, iris) for q in queries.values()]
        if negotiation.wants_html(request.headers.get("accept")):
            shown = [
                {**e, "runnable": runnable(q)}
                for e, q in zip(entries, queries.values(), strict=True)
            ]

            context = {**frame(request, request.url.path, "", True), "queries": shown}
            context["title"] = CATALOGUE_TITLE[context["lang"]]
            return render(request, "queries.html", context, {"Vary": "Accept"})
        return JSONResponse({"queries": entries}, headers={"Vary": "Accept"})

    return list_named_queries


def _run_endpoint(query: NamedQuery, iris: Iris, suffix: str | None) -> Endpoint:
    @hot
    async def run_named_query(request: Request) -> Response:
        """Bind the parameters as terms, then answer as /sparql would (or as an HTML table).

        A browser that sends no values gets the form; one with a refused value gets the
        form again, the message next to the field (400); everyone else the error shape."""
        html = suffix is None and negotiation.wants_html(request.headers.get("accept"))
        if html and not request.url.query and not runnable(query):
            return await query_page(request, query, iris)
        try:
            bindings = await bind(query, request)
        except QueryParamError as problem:
            if not html:
                raise
            return await query_page(request, query, iris, given=_given(request), problem=problem)
        req = SparqlRequest("query", query.text, format="json" if html else suffix)
        response = await answers.respond(
            service_of(request), req, request, encode_substitutions(bindings), CHEAP
        )
        if not html or response.status_code != 200:
            return response
        return await html_results(request, query, iris, response, raw_params(request))

    return run_named_query


def _page_endpoint(query: NamedQuery, iris: Iris) -> Endpoint:
    async def named_query_page(request: Request) -> Response:
        """The query's page (HTML), or its catalogue entry as JSON when asked for JSON."""
        accept = request.headers.get("accept")
        if negotiation.rank(accept, ["text/html", "application/json"])[:1] == ["application/json"]:
            return JSONResponse(entry(query, iris), headers={"Vary": "Accept"})
        return await query_page(request, query, iris)

    return named_query_page


def _see_other(location: str) -> Endpoint:
    async def see_other(request: Request) -> Response:
        """The query is a thing, not a document: 303 to the page about it."""
        return RedirectResponse(location, status_code=303)

    return see_other


async def _unknown(request: Request) -> Response:
    name = request.path_params["name"]
    raise HttpProblem(404, f"no named query {name!r}: see /api/queries for the catalogue")


# --- binding ------------------------------------------------------------------------------


def raw_params(request: Request) -> dict[str, str]:
    """The query-string values; an empty value (a blank form field) counts as absent.

    Raises QueryParamError for a parameter given twice: one name, one value.
    """
    raw: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in raw:
            raise QueryParamError(name, "a single value")
        if value != "":
            raw[name] = value
    return raw


def _given(request: Request) -> dict[str, str]:
    """The values to refill a form with: the last of each name, blanks left out."""
    return {name: value for name, value in request.query_params.items() if value != ""}


async def bind(query: NamedQuery, request: Request) -> dict[Any, Term]:
    """Typed terms for the request's values; an IRI of the wrong class is a QueryParamError.

    The class check is a lookup of the query service (remembered per revision there).
    """
    bindings = query.bind(raw_params(request))
    service = service_of(request)
    for param in query.params:
        value = bindings.get(param.variable)
        if value is None or param.class_iri is None:
            continue
        if not await service.is_instance(value, param.class_iri):
            raise QueryParamError(param.name, param.expected, value.value)
    return bindings

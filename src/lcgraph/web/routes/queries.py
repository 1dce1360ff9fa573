"""/api/queries: the named queries (issue 4) as a typed REST API, one route per query file.

    GET /api/queries                     the catalogue (JSON; an HTML page for a browser)
    GET /api/queries/{name}?p=v          run it: SPARQL results JSON, CSV or an HTML table
    GET /api/queries/{name}.json|.csv    the same, the suffix overriding Accept
    GET /id/query/{name}                 the query as a thing: 303 to its page
    GET /doc/query/{name}                its page: SPARQL, parameters, a form, JSON/CSV links

The routes are generated from the loaded queries (`query_router(queries, iris)`), so
OpenAPI has one operation per query whose parameters carry the header's JSON schemas.
A run goes through the same `QueryRunner` as /sparql (time limit, row limit, cache, ETag,
CORS, the one error shape); parameter values travel to the workers as RDF terms
(`substitutions`) and never become query text.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from lcgraph.errors import QueryParamError
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery
from lcgraph.named_queries.params import Term
from lcgraph.publish.urls import LANGUAGES, choose_language
from lcgraph.querying.terms import encode_substitutions
from lcgraph.web import negotiation
from lcgraph.web.errors import HttpProblem
from lcgraph.web.fast_routes import FastEndpoint, FastRoutes
from lcgraph.web.protocol import SparqlRequest
from lcgraph.web.runner import QueryRunner

TAG = "named queries"
SUFFIXES = ("json", "csv")  # `/api/queries/{name}.{suffix}`: format names of negotiation
SERVED = ("/id/", "/def/", "/doc/")  # our IRIs that this server dereferences (not /graph/)
HTML_ROWS = 1000  # rows an HTML table shows; JSON and CSV carry the whole result
Endpoint = Callable[[Request], Awaitable[Response]]


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


def query_fast_routes(queries: Mapping[str, NamedQuery], iris: Iris) -> FastRoutes:
    """Each query's run paths as fast routes (`lcgraph.web.fast_routes`), except for a
    browser: its HTML table is rendered by the router's endpoint."""
    routes: FastRoutes = {}
    for query in queries.values():
        for suffix in (None, *SUFFIXES):
            routes[("GET", api_path(query.name, suffix))] = _fast(
                _run_endpoint(query, iris, suffix), suffix
            )
    return routes


def _fast(endpoint: Endpoint, suffix: str | None) -> FastEndpoint:
    async def run_unless_html(request: Request) -> Response | None:
        if suffix is None and negotiation.wants_html(request.headers.get("accept")):
            return None
        return await endpoint(request)

    return run_unless_html


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


# --- URLs: the query's IRI, its page and its API paths ------------------------------------


def query_iri(iris: Iris, name: str) -> str:
    """`{base}/id/query/{name}`: the query as a linked-data thing (docs/model.md)."""
    return iris.id_iri("query", name)


def id_path(iris: Iris, name: str) -> str:
    """The path of the query's IRI on this server: `/id/query/{name}`."""
    return query_iri(iris, name).removeprefix(iris.base)


def doc_path(iris: Iris, name: str) -> str:
    """The path of the page about the query: `/doc/query/{name}` (iris.doc_url)."""
    return str(iris.doc_url(query_iri(iris, name))).removeprefix(iris.base)


def api_path(name: str, suffix: str | None = None) -> str:
    return f"/api/queries/{name}" + (f".{suffix}" if suffix else "")


def links(query: NamedQuery, iris: Iris, query_string: str = "") -> dict[str, str]:
    """Where the query lives: its IRI, page, API operation and JSON/CSV results."""
    tail = f"?{query_string}" if query_string else ""
    return {
        "iri": query_iri(iris, query.name),
        "page": doc_path(iris, query.name),
        "api": api_path(query.name),
        "json": api_path(query.name, "json") + tail,
        "csv": api_path(query.name, "csv") + tail,
    }


def entry(query: NamedQuery, iris: Iris) -> dict[str, Any]:
    """A catalogue entry: `NamedQuery.describe()` plus the query's IRI and links."""
    return {**query.describe(), "iri": query_iri(iris, query.name), "links": links(query, iris)}


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

            context = {**frame(request, request.url.path, "Named queries", True), "queries": shown}
            return _render(request, "queries.html", context, {"Vary": "Accept"})
        return JSONResponse({"queries": entries}, headers={"Vary": "Accept"})

    return list_named_queries


def _run_endpoint(query: NamedQuery, iris: Iris, suffix: str | None) -> Endpoint:
    async def run_named_query(request: Request) -> Response:
        """Bind the parameters as terms, then answer as /sparql would (or as an HTML table)."""
        bindings = await bind(query, request)
        runner: QueryRunner = request.app.state.runner
        html = suffix is None and negotiation.wants_html(request.headers.get("accept"))
        req = SparqlRequest("query", query.text, format="json" if html else suffix)
        response = await runner.respond(req, request, encode_substitutions(bindings))
        if not html or response.status_code != 200:
            return response
        return await _html_results(request, query, iris, response)

    return run_named_query


def _page_endpoint(query: NamedQuery, iris: Iris) -> Endpoint:
    async def named_query_page(request: Request) -> Response:
        """The query's page (HTML), or its catalogue entry as JSON when asked for JSON."""
        accept = request.headers.get("accept")
        if negotiation.rank(accept, ["text/html", "application/json"])[:1] == ["application/json"]:
            return JSONResponse(entry(query, iris), headers={"Vary": "Accept"})
        return _query_page(request, query, iris, None)

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


async def bind(query: NamedQuery, request: Request) -> dict[Any, Term]:
    """Typed terms for the request's values; an IRI of the wrong class is a QueryParamError.

    The class check asks the live graph (cached per revision by NamedQuery), off the loop.
    """
    bindings = query.bind(raw_params(request))
    if any(p.class_iri and p.variable in bindings for p in query.params):
        store = request.app.state.store
        await asyncio.to_thread(query.check_classes, store, bindings)
    return bindings


# --- HTML ---------------------------------------------------------------------------------


async def _html_results(
    request: Request, query: NamedQuery, iris: Iris, response: Response
) -> Response:
    results = json.loads(await _body(response))
    table = results_table(results, iris)
    return _query_page(request, query, iris, table)


async def _body(response: Response) -> bytes:
    """The whole body of a runner response, releasing its worker if it was streamed."""
    if not isinstance(response, StreamingResponse):
        return bytes(response.body)
    parts: list[bytes] = []
    try:
        async for chunk in response.body_iterator:
            parts.append(chunk.encode() if isinstance(chunk, str) else bytes(chunk))
        return b"".join(parts)
    finally:
        stream = getattr(response, "stream", None)
        if stream is not None:
            stream.release()


def results_table(results: dict[str, Any], iris: Iris) -> dict[str, Any]:
    """SPARQL results JSON as header + rows of cells {text, href}, at most HTML_ROWS rows."""
    names: list[str] = results["head"]["vars"]
    bindings = results["results"]["bindings"]
    rows = [[_cell(b.get(n), iris) for n in names] for b in bindings[:HTML_ROWS]]
    return {
        "vars": names,
        "rows": rows,
        "shown": len(rows),
        "total": len(bindings),
        "truncated": bool(results.get("lcgraph", {}).get("truncated")),
    }


def _cell(term: dict[str, Any] | None, iris: Iris) -> dict[str, str | None]:
    if term is None:
        return {"text": "", "href": None}
    if term["type"] == "uri":
        iri = term["value"]
        if not iri.startswith(iris.base + "/"):
            return {"text": iri, "href": iri}
        local = iri.removeprefix(iris.base)  # a page on this server, if it is one of ours
        return {"text": iri, "href": local if local.startswith(SERVED) else None}
    lang = term.get("xml:lang")
    return {"text": term["value"] + (f" @{lang}" if lang else ""), "href": None}


def frame(request: Request, path: str, title: str, asks_lang: bool) -> dict[str, Any]:
    """What templates/base.html needs: language, title, nav section, language links.

    `?lang=` chooses the language only where it is not a query parameter (`asks_lang`);
    a run page follows Accept-Language and its language links lead to the query's page.
    """
    asked = request.query_params.get("lang") if asks_lang else None
    lang = choose_language(asked, request.headers.get("accept-language"))
    return {
        "lang": lang,
        "title": title,
        "section": "queries",
        "languages": {code: f"{path}?lang={code}" for code in LANGUAGES},
    }


def runnable(query: NamedQuery) -> bool:
    """Whether the query runs without values, so that a bare result link is not a 400.

    A required parameter's example is no safe link either: it may name a thing the live
    graph lacks (then the class check answers 400).
    """
    return not any(p.required for p in query.params)


def _query_page(
    request: Request, query: NamedQuery, iris: Iris, table: dict[str, Any] | None
) -> Response:
    """The query page; after a run (`table`) with its results and the values filled in."""
    ran = table is not None
    page_links = links(query, iris, request.url.query if ran else "")
    described = entry(query, iris)
    results = ran or runnable(query)
    context = frame(request, page_links["page"], "", asks_lang=not ran)
    context["title"] = described["title"].get(context["lang"]) or query.name
    context |= {
        "query": described,
        "given": raw_params(request) if ran else {},
        "table": table,
        "links": page_links,
        "results": results,  # whether the JSON/CSV links run (see `runnable`)
    }
    headers = _alternates(page_links) if results else {"Vary": "Accept"}
    return _render(request, "queries_query.html", context, headers)


def _alternates(page_links: dict[str, str]) -> dict[str, str]:
    """`Vary` and a `Link` header naming the JSON and CSV twins of a page."""
    json_type = negotiation.media_type("json")
    link = (
        f'<{page_links["json"]}>; rel="alternate"; type="{json_type}", '
        f'<{page_links["csv"]}>; rel="alternate"; type="text/csv"'
    )
    return {"Vary": "Accept", "Link": link}


def _render(
    request: Request, template: str, context: dict[str, Any], headers: dict[str, str]
) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, headers=headers)

"""The named queries' HTML pages, and the URLs that name and link them.

    /id/query/{name}      the query as a thing (`query_iri`, `id_path`)
    /doc/query/{name}     its page: SPARQL, parameters, a form, JSON/CSV links (`query_page`)
    /api/queries/{name}   its API operation and result twins (`api_path`, `links`)

The routes that serve them are in `lcgraph.web.routes.queries`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from lcgraph.errors import QueryParamError
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery
from lcgraph.pages.labeller import Labeller
from lcgraph.pages.urls import LANGUAGES, Urls, choose_language
from lcgraph.web import negotiation
from lcgraph.web.deps import store_of, templates_of
from lcgraph.web.routes.query_forms import TEXT, form_fields

SERVED = ("/id/", "/def/", "/doc/")  # our IRIs that this server dereferences (not /graph/)
HTML_ROWS = 1000  # rows an HTML table shows; JSON and CSV carry the whole result


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


# --- HTML ---------------------------------------------------------------------------------


async def html_results(
    request: Request, query: NamedQuery, iris: Iris, response: Response, given: dict[str, str]
) -> Response:
    """A run's results as the query page with a table, the values given filled in."""
    results = json.loads(await _body(response))
    table = results_table(results, iris)
    return await query_page(request, query, iris, table, given)


async def _body(response: Response) -> bytes:
    """The whole body of a query response, releasing its worker if it was streamed."""
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


async def query_page(
    request: Request,
    query: NamedQuery,
    iris: Iris,
    table: dict[str, Any] | None = None,
    given: dict[str, str] | None = None,
    problem: QueryParamError | None = None,
) -> Response:
    """The query page; after a run (`table`) with its results and the values filled in;
    after a refused value (`problem`, a 400) with the message next to its field."""
    ran = table is not None or problem is not None
    page_links = links(query, iris, request.url.query if ran else "")
    described = entry(query, iris)
    results = table is not None or runnable(query)
    context = frame(request, page_links["page"], "", asks_lang=not ran)
    context["title"] = described["title"].get(context["lang"]) or query.name
    labeller = Labeller(store_of(request).reader(), iris, Urls(iris), context["lang"])
    context |= {
        "query": described,
        "given": given or {},
        "selected": _expanded(given or {}, iris),
        "fields": await asyncio.to_thread(form_fields, query, labeller),
        "search_text": TEXT,
        "problem": _problem(problem, given or {}),
        "table": table,
        "links": page_links,
        "results": results,  # whether the JSON/CSV links run (see `runnable`)
    }
    headers = _alternates(page_links) if results else {"Vary": "Accept"}
    return render(request, "queries_query.html", context, headers, 200 if problem is None else 400)


def _expanded(given: dict[str, str], iris: Iris) -> dict[str, str]:
    """The values given, CURIEs as full IRIs: what a drop-down's options carry."""
    expanded: dict[str, str] = {}
    for name, value in given.items():
        try:
            expanded[name] = iris.expand(value)
        except (KeyError, ValueError):
            expanded[name] = value
    return expanded


def _problem(problem: QueryParamError | None, given: dict[str, str]) -> dict[str, Any] | None:
    """What the form says about a refused value: which field, the value, the engine's words."""
    if problem is None:
        return None
    return {
        "param": problem.param,
        "value": given.get(problem.param),
        "expected": problem.expected,
        "message": str(problem),
    }


def _alternates(page_links: dict[str, str]) -> dict[str, str]:
    """`Vary` and a `Link` header naming the JSON and CSV twins of a page."""
    json_type = negotiation.media_type("json")
    link = (
        f'<{page_links["json"]}>; rel="alternate"; type="{json_type}", '
        f'<{page_links["csv"]}>; rel="alternate"; type="text/csv"'
    )
    return {"Vary": "Accept", "Link": link}


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str],
    status: int = 200,
) -> Response:
    return templates_of(request).TemplateResponse(
        request, template, context, status_code=status, headers=headers
    )

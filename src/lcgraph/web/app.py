"""The web service: `create_app(settings)` builds it, the lifespan starts the query workers.

    app = create_app(Settings(store="var/store", query_timeout_s=2))

Middleware, outermost first: CORS (any origin, no credentials, also on errors), metrics,
the error guard (an unhandled exception becomes the one JSON error shape). The hot routes
(/sparql operations, named-query runs) take a shorter way past them (`LcgraphApp`). Routers per
resource: /sparql, /rdf-graph-store, /health and /metrics, /api/queries (one
route per named query, generated from `settings.queries` here); static files under /static.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery, load_queries
from lcgraph.querying.pool import WorkerPool
from lcgraph.querying.service import QueryService
from lcgraph.store import open_store
from lcgraph.web import cors, editor_vocabulary, errors, fast_routes, rendering
from lcgraph.web.fast_routes import FastRoutes
from lcgraph.web.metrics import PUBLISH_INTERVAL_S, Metrics, MetricsMiddleware
from lcgraph.web.routes import (
    changes,
    dashboard,
    explore,
    graph_store,
    landing,
    linked_data,
    meta,
    releases,
    search,
    sparql,
)
from lcgraph.web.routes.queries import query_fast_routes, query_router

WEB = Path(__file__).resolve().parent


class LcgraphApp(FastAPI):
    """FastAPI, except that `fast_routes` (the hot GET and POST routes) skip its middleware
    and router (see `lcgraph.web.fast_routes`), and that every GET route answers HEAD."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.fast_routes: FastRoutes = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            # RFC 9110 9.3.2: HEAD is GET without the body. Here, in one place, rather than
            # a HEAD route beside each GET route (FastAPI adds none).
            scope, send = {**scope, "method": "GET"}, _without_body(send)
        if scope["type"] == "http":
            endpoint = self.fast_routes.get((scope["method"], scope["path"]))
            if endpoint is not None:
                scope["app"] = self
                if await fast_routes.serve(endpoint, scope, receive, send):
                    return
        await super().__call__(scope, receive, send)


def _without_body(send: Send) -> Send:
    """`send` with every body chunk dropped: one empty last chunk ends the answer."""

    async def head_send(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
        elif not message.get("more_body", False):
            await send({"type": "http.response.body", "body": b""})

    return head_send


def create_app(settings: Settings, metrics_dir: str | None = None) -> FastAPI:
    """A new service over `settings.store`; nothing starts until the lifespan runs.

    `metrics_dir`: a folder shared by the HTTP processes of one service, so that /metrics
    counts all of them (`lcgraph.web.metrics`).
    """
    app = LcgraphApp(
        title="lcgraph SPARQL service",
        lifespan=_lifespan,
        docs_url=None,  # /api/docs is routes/meta.py's: Swagger UI from our static files
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.metrics = Metrics(metrics_dir)
    app.state.templates = rendering.templates()
    errors.install(app)
    iris = Iris(settings.base_iri)
    app.state.queries = load_queries(settings.queries, iris)  # a bad file stops start-up
    app.include_router(sparql.router)  # first: routes are matched in order, /sparql is hot
    app.include_router(query_router(app.state.queries, iris))  # before /doc/{type}
    app.fast_routes = {**sparql.FAST_ROUTES, **query_fast_routes(app.state.queries, iris)}
    app.include_router(search.router)  # issue 15: /search, /api/search, /api/suggest
    app.fast_routes.update(search.FAST_ROUTES)
    app.include_router(dashboard.router)  # issue 6: /dashboard
    app.include_router(explore.router)  # issue 16: /explore
    for router in (graph_store.router, meta.router):
        app.include_router(router)
    app.include_router(releases.router)  # issue 17: before landing's /dumps (the live files)
    app.include_router(changes.router)  # issue 17: the change feed
    for router in (landing.router, linked_data.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.add_middleware(errors.ErrorGuard)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    cors.install(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    store = open_store(settings.store, settings)
    service = QueryService.for_settings(settings, store)
    pool = service.pool
    await pool.start()
    app.state.store = store
    app.state.service = service
    app.state.write_lock = asyncio.Lock()
    app.state.editor_context = editor_context(settings, app.state.queries)
    publishing = asyncio.create_task(_publish_metrics(app.state.metrics, pool))
    try:
        yield
    finally:
        publishing.cancel()
        app.state.metrics.publish(pool.timeouts)
        pool.close()
        store.close()


async def _publish_metrics(metrics: Metrics, pool: WorkerPool) -> None:
    while metrics.shared_dir is not None:
        metrics.publish(pool.timeouts)
        await asyncio.sleep(PUBLISH_INTERVAL_S)


def editor_context(
    settings: Settings, loaded: dict[str, NamedQuery] | None = None
) -> dict[str, Any]:
    """What templates/sparql.html shows: our prefixes and the named queries as examples."""
    iris = Iris(settings.base_iri)
    queries = loaded if loaded is not None else load_queries(settings.queries, iris)
    examples = [
        {
            "name": name,
            "title": _text(q.title) or name,
            "description": _text(q.description),
            "titles": q.title,  # {lang: text}: the page shows its own language
            "descriptions": q.description,
            "query": q.text,
        }
        for name, q in queries.items()
    ]
    # class and property completion from our ontology (LOV is off; see editor_vocabulary)
    vocabulary = editor_vocabulary.ontology_terms(settings.ontology)
    return {"prefixes": iris.prefixes, "examples": examples, "vocabulary": vocabulary}


def _text(texts: dict[str, str]) -> str:
    return texts.get("en") or texts.get("nl") or next(iter(texts.values()), "")

"""The web service: `create_app(settings)` builds it, the lifespan starts the query workers.

    app = create_app(Settings(store="var/store", query_timeout_s=2))

No middleware: one edge ahead of Starlette (`lcgraph.web.edge`) does HEAD, CORS, metrics
and the last-resort error shape for every request, and answers the `@hot` routes (/sparql,
named-query runs, /api/search and /api/suggest) past FastAPI's routing. Routers per
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
from starlette.types import Receive, Scope, Send

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery, load_queries
from lcgraph.querying.pool import WorkerPool
from lcgraph.querying.service import QueryService
from lcgraph.store import open_store
from lcgraph.web import editor_vocabulary, errors, rendering
from lcgraph.web.edge import Edge, hot_routes
from lcgraph.web.metrics import PUBLISH_INTERVAL_S, Metrics
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
from lcgraph.web.routes.queries import query_router

WEB = Path(__file__).resolve().parent


class LcgraphApp(FastAPI):
    """FastAPI behind the edge (`lcgraph.web.edge`): every request goes through `edge`."""

    def __init__(self, metrics: Metrics, **options: Any) -> None:
        super().__init__(**options)
        self.edge = Edge(super().__call__, metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self  # as Starlette does: the hot routes' `request.app`
        await self.edge(scope, receive, send)


def create_app(settings: Settings, metrics_dir: str | None = None) -> FastAPI:
    """A new service over `settings.store`; nothing starts until the lifespan runs.

    `metrics_dir`: a folder shared by the HTTP processes of one service, so that /metrics
    counts all of them (`lcgraph.web.metrics`).
    """
    metrics = Metrics(metrics_dir)
    app = LcgraphApp(
        metrics,
        title="lcgraph SPARQL service",
        lifespan=_lifespan,
        docs_url=None,  # /api/docs is routes/meta.py's: Swagger UI from our static files
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.templates = rendering.templates()
    errors.install(app)
    iris = app.state.iris = Iris(settings.base_iri)  # one per app: routes read it (deps.iris_of)
    app.state.queries = load_queries(settings.queries, iris)  # a bad file stops start-up
    app.include_router(sparql.router)  # first: routes are matched in order, /sparql is busiest
    app.include_router(query_router(app.state.queries, iris))  # before /doc/{type}
    app.include_router(search.router)  # issue 15: /search, /api/search, /api/suggest
    app.include_router(dashboard.router)  # issue 6: /dashboard
    app.include_router(explore.router)  # issue 16: /explore
    for router in (graph_store.router, meta.router):
        app.include_router(router)
    app.include_router(releases.router)  # issue 17: before landing's /dumps (the live files)
    app.include_router(changes.router)  # issue 17: the change feed
    for router in (landing.router, linked_data.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    # here, not in the lifespan: the ~12,000 objects of FastAPI's route contexts that this
    # makes are then frozen out of the garbage collector's sight with the app (web/server.py)
    app.edge.hot = hot_routes(app.routes)
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

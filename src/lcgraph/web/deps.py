"""Request dependencies: what the routes need from the app, typed for FastAPI's `Annotated`.

Everything lives on `app.state`, put there by the lifespan in `lcgraph.web.app`; routes
never reach for globals. The getters are `async def` although they never await: FastAPI
runs a plain `def` dependency in a thread pool, and those hops (seven per /sparql request)
cost more than the rest of a cached answer.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.querying.service import QueryService
from lcgraph.store import GraphStore
from lcgraph.web.errors import HttpProblem
from lcgraph.web.metrics import Metrics


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def iris_of(request: Request) -> Iris:
    """The app's IRIs under its base, made once at start-up (a plain call, not a dependency)."""
    iris: Iris = request.app.state.iris
    return iris


async def get_service(request: Request) -> QueryService:
    service: QueryService = request.app.state.service
    return service


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_write_lock(request: Request) -> asyncio.Lock:
    lock: asyncio.Lock = request.app.state.write_lock
    return lock


async def get_editor_context(request: Request) -> dict[str, Any]:
    context: dict[str, Any] = request.app.state.editor_context
    return context


def require_update_token(
    request: Request, settings: Annotated[Settings, Depends(get_settings)]
) -> None:
    """Let a write through only with the configured bearer token.

    403 when writes are off (no `update_token`), 401 with a Bearer challenge when the token
    is missing or wrong; compared in constant time.
    """
    if not settings.service.update_token:
        raise HttpProblem(403, "this endpoint is read-only: updates are disabled")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), settings.service.update_token.encode()
    ):
        raise HttpProblem(
            401, "updates need a valid bearer token", {"WWW-Authenticate": 'Bearer realm="lcgraph"'}
        )


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[QueryService, Depends(get_service)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
WriteLockDep = Annotated[asyncio.Lock, Depends(get_write_lock)]
EditorContextDep = Annotated[dict[str, Any], Depends(get_editor_context)]

"""What the routes need from the app, in one place: plain accessors and FastAPI dependencies.

Everything lives on `app.state`, put there by `create_app` and its lifespan in
`lcgraph.web.app`; this module is the one that reads it, so routes never name `app.state`
(tests/test_layering.py holds them to it). Two forms of each thing:

* `store_of(request)` and its siblings: plain calls, for the `@hot` routes
  (`lcgraph.web.edge`), which take only the request, and for helpers below a route.
* `StoreDep` and its siblings: `Annotated` dependencies for the other routes. Their getters
  are `async def` although they never await: FastAPI runs a plain `def` dependency in a
  thread pool, and those hops (seven per /sparql request) cost more than the rest of a
  cached answer.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery
from lcgraph.querying.service import QueryService
from lcgraph.store import GraphStore
from lcgraph.web.errors import HttpProblem
from lcgraph.web.metrics import Metrics

T = TypeVar("T")


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def iris_of(request: Request) -> Iris:
    """The app's IRIs under its base, made once at start-up."""
    iris: Iris = request.app.state.iris
    return iris


def queries_of(request: Request) -> dict[str, NamedQuery]:
    """The named queries by name, loaded once at start-up."""
    queries: dict[str, NamedQuery] = request.app.state.queries
    return queries


def service_of(request: Request) -> QueryService:
    service: QueryService = request.app.state.service
    return service


def store_of(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def metrics_of(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def templates_of(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def write_lock_of(request: Request) -> asyncio.Lock:
    lock: asyncio.Lock = request.app.state.write_lock
    return lock


def editor_context_of(request: Request) -> dict[str, Any]:
    context: dict[str, Any] = request.app.state.editor_context
    return context


def made_once(request: Request, name: str, make: Callable[[], T]) -> T:
    """What a route keeps on the app under `name` (a cache), made by `make` on first use.

    For what only one route module knows the type of; the app need not make it up front.
    """
    state = request.app.state
    if getattr(state, name, None) is None:
        setattr(state, name, make())
    value: T = getattr(state, name)
    return value


async def get_settings(request: Request) -> Settings:
    return settings_of(request)


async def get_service(request: Request) -> QueryService:
    return service_of(request)


async def get_store(request: Request) -> GraphStore:
    return store_of(request)


async def get_metrics(request: Request) -> Metrics:
    return metrics_of(request)


async def get_templates(request: Request) -> Jinja2Templates:
    return templates_of(request)


async def get_write_lock(request: Request) -> asyncio.Lock:
    return write_lock_of(request)


async def get_editor_context(request: Request) -> dict[str, Any]:
    return editor_context_of(request)


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

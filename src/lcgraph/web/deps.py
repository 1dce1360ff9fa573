"""What the routes need from the app, in one place: plain accessors and FastAPI dependencies.

Everything lives on `app.state`, put there by `create_app` and its lifespan in
`lcgraph.web.app`; this module is the one that reads it, so routes never name `app.state`
(tests/test_layering.py holds them to it). Two forms of each thing:

* `store_of(request)` and its siblings (each an `OnApp`, one line of the table below): plain
  calls, for the `@hot` routes (`lcgraph.web.edge`), which take only the request, and for
  helpers below a route.
* `StoreDep` and its siblings: `Annotated` dependencies for the other routes. Their getters
  (`OnApp.dependency`) are `async def` although they never await: FastAPI runs a plain
  `def` dependency in a thread pool, and those hops (seven per /sparql request) cost more
  than the rest of a cached answer.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.applications import Starlette

from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import NamedQuery
from lcgraph.querying.service import QueryService
from lcgraph.store import GraphStore
from lcgraph.web.errors import HttpProblem
from lcgraph.web.metrics import Metrics

T = TypeVar("T")


class OnApp(Generic[T]):
    """One thing the app keeps on `app.state` under `name`: `thing(request)` reads it, and
    `thing.dependency` is the same as a FastAPI dependency (async: see the module docstring);
    `thing.of_app(app)` reads it where there is no request (a benchmark, a script)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, request: Request) -> T:
        return self.of_app(request.app)

    def of_app(self, app: Starlette) -> T:
        value: T = getattr(app.state, self.name)
        return value

    async def dependency(self, request: Request) -> T:
        return self(request)


settings_of = OnApp[Settings]("settings")
iris_of = OnApp[Iris]("iris")  # the app's IRIs under its base, made once at start-up
queries_of = OnApp[dict[str, NamedQuery]]("queries")  # by name, loaded once at start-up
service_of = OnApp[QueryService]("service")
store_of = OnApp[GraphStore]("store")
metrics_of = OnApp[Metrics]("metrics")
templates_of = OnApp[Jinja2Templates]("templates")
write_lock_of = OnApp[asyncio.Lock]("write_lock")
editor_context_of = OnApp[dict[str, Any]]("editor_context")


def made_once(request: Request, name: str, make: Callable[[], T]) -> T:
    """What a route keeps on the app under `name` (a cache), made by `make` on first use.

    For what only one route module knows the type of; the app need not make it up front.
    """
    state = request.app.state
    if getattr(state, name, None) is None:
        setattr(state, name, make())
    value: T = getattr(state, name)
    return value


def require_update_token(
    request: Request, settings: Annotated[Settings, Depends(settings_of.dependency)]
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


SettingsDep = Annotated[Settings, Depends(settings_of.dependency)]
ServiceDep = Annotated[QueryService, Depends(service_of.dependency)]
StoreDep = Annotated[GraphStore, Depends(store_of.dependency)]
MetricsDep = Annotated[Metrics, Depends(metrics_of.dependency)]
TemplatesDep = Annotated[Jinja2Templates, Depends(templates_of.dependency)]
WriteLockDep = Annotated[asyncio.Lock, Depends(write_lock_of.dependency)]
EditorContextDep = Annotated[dict[str, Any], Depends(editor_context_of.dependency)]

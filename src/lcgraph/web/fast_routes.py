"""The hot routes, answered past FastAPI's middleware and router.

FastAPI's stack (routing, the exception, CORS, metrics and error-guard middleware, each
wrapping `send`) cost more than answering a point lookup (benchmarks/serve.py). The routes
that dashboards and scripts hit hardest (/sparql operations, named-query runs) have plain
`Request -> Response` endpoints that need none of it, so `LcgraphApp` (lcgraph.web.app)
hands them their requests directly; `serve` does for them what the middleware does for all
other routes: CORS headers, metrics, the one error shape. An endpoint that returns None has
read nothing and leaves the request to the router (a browser's HTML page, the service
description).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from lcgraph.errors import LcgraphError
from lcgraph.web import cors, errors

FastEndpoint = Callable[[Request], Awaitable[Response | None]]
FastRoutes = dict[tuple[str, str], FastEndpoint]  # (method, exact path) -> endpoint


async def serve(endpoint: FastEndpoint, scope: Scope, receive: Receive, send: Send) -> bool:
    """Answer with `endpoint`; False when it declined (the router answers then)."""
    started = time.perf_counter()
    request = Request(scope, receive)
    try:
        response = await endpoint(request)
        if response is None:
            return False
    except LcgraphError as err:
        response = errors.render(err)
    except Exception as err:  # the error guard's job on other routes
        response = errors.internal_error(err)
    cors.add_simple_headers(response, request.headers.get("origin"))
    try:
        await response(scope, receive, send)
    finally:
        elapsed = time.perf_counter() - started
        request.app.state.metrics.record(
            scope["method"], scope["path"], response.status_code, elapsed
        )
    return True

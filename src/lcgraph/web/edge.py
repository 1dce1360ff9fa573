"""The one pure-ASGI layer ahead of Starlette: HEAD, CORS, metrics and the last-resort error.

    LcgraphApp -> Edge -> a hot route's function, or Starlette (routing, FastAPI, handlers)

Every request passes here once, whichever way it is answered, so what all answers share is
written once (issue 14; before, a second pipeline beside the app did it all again):

- HEAD is answered as GET without the body (RFC 9110 9.3.2), rather than by a HEAD route
  beside each GET route (FastAPI adds none); the headers are GET's.
- CORS for a read-only service: any origin, no credentials, on answers and errors alike;
  a preflight is answered here, a refused one with 400 in the one error shape.
- Metrics: every request timed and counted by route template (`lcgraph.web.metrics`).
- The error shape: an exception that no handler turned into an answer becomes the one JSON
  shape with 500 (`lcgraph.web.errors`), never a traceback in a body.

Hot routes. FastAPI's route and dependency machinery cost more than answering a point
lookup (130-216 µs against 84-99 µs, benchmarks/serve.py). A route function marked `@hot`
takes only the `Request` and returns a `Response`, so it needs none of that: `hot_routes`
finds those routes among the app's ordinary ones when the app is made, and the edge calls
the function itself for that exact (method, path). The router and the edge serve the one
function, registered once; OpenAPI documents it as any other route.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lcgraph.web import errors
from lcgraph.web.metrics import Metrics

Endpoint = Callable[[Request], Awaitable[Response]]
E = TypeVar("E", bound=Endpoint)
HotRoutes = dict[tuple[str, str], Endpoint]  # (method, exact path) -> route function
_HOT = "_lcgraph_hot"

EXPOSED_HEADERS = (
    "ETag",
    "Retry-After",
    "X-Lcgraph-Truncated",
    "X-Lcgraph-Row-Limit",
    "X-Lcgraph-Revision",
)
ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
# what a preflight may ask for: the CORS-safelisted request headers and a conditional GET
ALLOWED_HEADERS = ("Accept", "Accept-Language", "Content-Language", "Content-Type", "If-None-Match")
MAX_AGE_S = 3600
_SIMPLE = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode()),
]
_PREFLIGHT = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
    "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
    "Access-Control-Max-Age": str(MAX_AGE_S),
    "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
}
_ALLOWED_LOWER = {name.lower() for name in ALLOWED_HEADERS}
_END: Message = {"type": "http.response.body", "body": b"", "more_body": False}


def hot(endpoint: E) -> E:
    """Mark a route function that the edge may call past FastAPI's routing (see above).

    It must take one parameter, the `Request`, and return a `Response`: whatever it needs
    beyond that it reads with the plain accessors of `lcgraph.web.deps` (`store_of`, ...).
    Raises TypeError otherwise.
    """
    parameters = inspect.signature(endpoint).parameters
    if len(parameters) != 1:
        raise TypeError(f"a hot route takes only the request, not {list(parameters)}")
    setattr(endpoint, _HOT, True)
    return endpoint


def hot_routes(routes: Sequence[BaseRoute]) -> HotRoutes:
    """The (method, path) table of the `@hot` routes among `routes`, each path one that the
    router would answer with that very route.

    FastAPI keeps an included router as one entry of `routes`; `iter_route_contexts` (its
    public view) lists their routes in the order that the router matches them.
    """
    contexts = list(iter_route_contexts(routes))
    table: HotRoutes = {}
    for context in contexts:
        route = context.original_route
        if not isinstance(route, APIRoute) or not getattr(route.endpoint, _HOT, False):
            continue
        if route.param_convertors or context.path is None:  # the table is of exact paths
            raise TypeError(f"a hot route has no path parameters: {context.path}")
        for method in context.methods or ():
            if _first_match(contexts, method, context.path) is context:
                table[(method, context.path)] = route.endpoint
    return table


def _first_match(contexts: list[RouteContext], method: str, path: str) -> RouteContext | None:
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    return next((c for c in contexts if c.matches(scope)[0] is Match.FULL), None)


class Edge:
    """The layer itself, around `app` (the Starlette app); `hot` is filled once the routes
    are all there (`create_app`), until then everything goes to the router."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics
        self.hot: HotRoutes = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin, preflight = _cors_headers(scope)
        if preflight and scope["method"] == "OPTIONS" and origin is not None:
            await _preflight(Headers(scope=scope))(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started, status, route = time.perf_counter(), 500, "other"
        try:
            endpoint = self.hot.get((scope["method"], scope["path"]))
            if endpoint is not None:
                route = scope["path"]
                status = await _serve_hot(endpoint, scope, receive, send, origin, head)
            else:
                status = await self._route(scope, receive, send, origin, head)
                route = getattr(scope.get("route"), "path", "other")
        finally:
            self.metrics.record(scope["method"], route, status, time.perf_counter() - started)

    async def _route(
        self, scope: Scope, receive: Receive, send: Send, origin: str | None, head: bool
    ) -> int:
        """Answer through Starlette; the status sent."""
        status, started, ended = 500, False, False

        async def edge_send(message: Message) -> None:
            nonlocal status, started, ended
            if message["type"] == "http.response.start":
                status, started = int(message["status"]), True
                message["headers"] = add_cors(list(message.get("headers", ())), origin)
            elif message["type"] == "http.response.body":
                ended = not message.get("more_body", False)
                if head:
                    if not ended:
                        return
                    message = _END
            await send(message)

        try:
            await self.app(scope, receive, edge_send)
        except Exception as err:
            # Starlette's last-resort handler (`errors.install`) has logged it and answered
            # in the one shape if nothing had started, then raised it again for the server
            # to log once more: stopped here, unless a body was cut, which only the server
            # can end. Not started: it came from outside that handler.
            if started and not ended:
                raise
            if not started:
                await errors.for_exception(err)(scope, receive, edge_send)
        return status


async def _serve_hot(
    endpoint: Endpoint, scope: Scope, receive: Receive, send: Send, origin: str | None, head: bool
) -> int:
    """Answer with a hot route's function; the status sent.

    No wrapper around `send` unless for HEAD: the CORS headers go into the response's own
    header list before it starts, and its status is known then.
    """
    try:
        response = await endpoint(Request(scope, receive))
    except Exception as err:  # the handlers' job on routed requests
        response = errors.for_exception(err)
    add_cors(response.raw_headers, origin)
    await response(scope, receive, _without_body(send) if head else send)
    return response.status_code


def add_cors(raw: list[tuple[bytes, bytes]], origin: str | None) -> list[tuple[bytes, bytes]]:
    """`raw` (response headers, changed in place) as Starlette's CORSMiddleware configured
    for any origin without credentials would send them: `Vary: Origin` always, the allow
    and expose headers when the request came with an Origin.

    By hand rather than wrapping that middleware, because it is measured faster: +0.3-0.4 µs
    per answer against +5.2-5.9 µs for the middleware, which builds `Headers`,
    `MutableHeaders` and a `partial` per request around one more `send` (benchmarks/cors.py).
    """
    for i, (name, value) in enumerate(raw):
        if name == b"vary":
            raw[i] = (name, value + b", Origin")
            break
    else:
        raw.append((b"vary", b"Origin"))
    if origin is not None:
        raw.extend(_SIMPLE)
    return raw


def _cors_headers(scope: Scope) -> tuple[str | None, bool]:
    """The request's Origin and whether it asks Access-Control-Request-Method, in one pass."""
    origin, preflight = None, False
    for name, value in scope["headers"]:
        if name == b"origin":
            origin = value.decode("latin-1")
        elif name == b"access-control-request-method":
            preflight = True
    return origin, preflight


def _preflight(headers: Headers) -> Response:
    """The answer to a CORS preflight: what may be asked, or 400 saying what may not."""
    refused = []
    method = headers["access-control-request-method"]
    if method not in ALLOWED_METHODS:
        refused.append(f"method {method}")
    asked = [h.strip() for h in headers.get("access-control-request-headers", "").split(",")]
    if unknown := [h for h in asked if h and h.lower() not in _ALLOWED_LOWER]:
        refused.append("headers " + ", ".join(unknown))
    if "access-control-request-private-network" in headers:
        refused.append("private network access")
    if refused:
        message = f"CORS preflight refused: {'; '.join(refused)} not allowed"
        return errors.error_response(400, message, "BadRequest", _PREFLIGHT)
    return PlainTextResponse("OK", headers=_PREFLIGHT)


def _without_body(send: Send) -> Send:
    """`send` with every body chunk dropped: one empty last chunk ends the answer."""

    async def head_send(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
        elif not message.get("more_body", False):
            await send(_END)

    return head_send

"""Render every error as one JSON shape, never a stack trace.

    {"ok": false, "error": "...", "errors": ["..."], "status": 400, "type": "QuerySyntaxError"}

Domain errors (`lcgraph.errors`) carry their own status; `HttpProblem` covers protocol
errors that only exist at the HTTP edge (415, 413, 401, ...). `ErrorGuard` wraps the app
inside the CORS middleware, so even an unexpected exception becomes this shape with CORS
headers (Starlette's own last-resort handler sits outside all middleware).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lcgraph.errors import LcgraphError, QueryError, StoreError

log = logging.getLogger("lcgraph.web")
_HTTP_KINDS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
}


class HttpProblem(LcgraphError):
    """An error of the HTTP exchange itself, with the status and headers to answer with."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def error_body(
    status: int, message: str, kind: str, errors: list[str] | None = None
) -> dict[str, Any]:
    return {
        "ok": False,
        "error": message,
        "errors": errors or [message],
        "status": status,
        "type": kind,
    }


def error_response(
    status: int, message: str, kind: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(status, message, kind), status_code=status, headers=headers)


def status_of(err: LcgraphError) -> int:
    if isinstance(err, HttpProblem | QueryError):
        return int(err.status)
    if isinstance(err, StoreError):
        return 503
    return 500


def render(err: LcgraphError) -> JSONResponse:
    """The one response for a domain or protocol error."""
    status = status_of(err)
    headers = dict(getattr(err, "headers", {}))
    if status == 503:
        headers.setdefault("Retry-After", str(getattr(err, "retry_after_s", 5)))
    return error_response(status, str(err), _kind(err, status), headers)


def _kind(err: LcgraphError, status: int) -> str:
    if isinstance(err, HttpProblem):
        return _HTTP_KINDS.get(status, "HttpError")
    return type(err).__name__


async def _lcgraph_error(request: Request, err: Exception) -> JSONResponse:
    return render(err) if isinstance(err, LcgraphError) else internal_error(err)


async def _http_error(request: Request, err: Exception) -> JSONResponse:
    if not isinstance(err, StarletteHTTPException):
        return internal_error(err)
    kind = _HTTP_KINDS.get(err.status_code, "HttpError")
    return error_response(err.status_code, str(err.detail), kind, dict(err.headers or {}))


async def _validation_error(request: Request, err: Exception) -> JSONResponse:
    problems = [
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in getattr(err, "errors", list)()
    ]
    body = error_body(400, problems[0] if problems else "invalid request", "RequestError", problems)
    return JSONResponse(body, status_code=400)


def internal_error(err: BaseException) -> JSONResponse:
    log.error("unexpected error", exc_info=err)
    return error_response(500, "internal error (logged on the server)", "InternalError")


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape."""
    app.add_exception_handler(LcgraphError, _lcgraph_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


class ErrorGuard:
    """ASGI middleware: an exception nobody handled becomes a 500 in the one shape."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as err:
            if started or scope["type"] != "http":
                raise
            await internal_error(err)(scope, receive, send)

"""Render every error as one JSON shape, never a stack trace.

    {"ok": false, "error": "...", "errors": ["..."], "status": 400, "type": "QuerySyntaxError"}

Domain errors (`lcgraph.errors`) carry their own status; `HttpProblem` covers protocol
errors that only exist at the HTTP edge (415, 413, 401, ...). `for_exception` is the one
mapping from an exception to its answer: the app's exception handlers use it (`install`,
an unexpected `Exception` included), and so does the edge (`lcgraph.web.edge`) for the hot
routes that it answers past them and for whatever still escapes.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

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


def _status_of(err: LcgraphError) -> int:
    if isinstance(err, HttpProblem | QueryError):
        return int(err.status)
    if isinstance(err, StoreError):
        return 503
    return 500


def _render(err: LcgraphError) -> JSONResponse:
    """The one response for a domain or protocol error."""
    status = _status_of(err)
    headers = dict(getattr(err, "headers", {}))
    if status == 503:
        headers.setdefault("Retry-After", str(getattr(err, "retry_after_s", 5)))
    return error_response(status, str(err), _kind(err, status), headers)


def _kind(err: LcgraphError, status: int) -> str:
    if isinstance(err, HttpProblem):
        return _HTTP_KINDS.get(status, "HttpError")
    return type(err).__name__


def for_exception(err: Exception) -> JSONResponse:
    """The one answer for any exception; an unexpected one is logged and becomes a 500."""
    if isinstance(err, LcgraphError):
        return _render(err)
    if isinstance(err, StarletteHTTPException):
        kind = _HTTP_KINDS.get(err.status_code, "HttpError")
        return error_response(err.status_code, str(err.detail), kind, dict(err.headers or {}))
    if isinstance(err, RequestValidationError):
        return _validation_error(err)
    return _internal_error(err)


def _validation_error(err: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]
    body = error_body(400, problems[0] if problems else "invalid request", "RequestError", problems)
    return JSONResponse(body, status_code=400)


def _internal_error(err: BaseException) -> JSONResponse:
    log.error("unexpected error", exc_info=err)
    return error_response(500, "internal error (logged on the server)", "InternalError")


async def _handle(request: Request, err: Exception) -> JSONResponse:
    return for_exception(err)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape.

    The `Exception` one is Starlette's last resort (its outermost middleware): it logs the
    error (`_internal_error`), answers unless an answer has started, then raises the error
    again for the server's log, which the edge stops (`lcgraph.web.edge`).
    """
    for kind in (LcgraphError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(kind, _handle)

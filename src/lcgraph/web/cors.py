"""CORS for the read-only service: any origin, no credentials, on answers and errors alike.

`install` configures Starlette's middleware for every route; `add_simple_headers` gives the
same headers to the /sparql fast path (`lcgraph.web.routes.sparql`), which skips middleware.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

EXPOSED_HEADERS = [
    "ETag",
    "Retry-After",
    "X-Lcgraph-Truncated",
    "X-Lcgraph-Row-Limit",
    "X-Lcgraph-Revision",
]
_SIMPLE = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode()),
]


def install(app: FastAPI) -> None:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match"],
        expose_headers=EXPOSED_HEADERS,
        max_age=3600,
    )


def add_simple_headers(response: Response, origin: str | None) -> None:
    """What Starlette's CORSMiddleware adds to a non-preflight answer with this config.

    On the raw header list, in one pass: `response.headers` parses and rescans it per access.
    """
    raw = response.raw_headers
    for i, (name, value) in enumerate(raw):
        if name == b"vary":
            raw[i] = (name, value + b", Origin")
            break
    else:
        raw.append((b"vary", b"Origin"))
    if origin is not None:
        raw.extend(_SIMPLE)

"""The cost of CORS per answer: the edge's `add_cors` against Starlette's CORSMiddleware
configured the same way (any origin, no credentials, the same exposed headers), issue 14.

    .venv/bin/python benchmarks/cors.py [--calls 50000]

No sockets: a bare Starlette `Response` is sent into a `send` that drops it, once as it is,
once through the middleware, once with `add_cors` on its header list (what the edge does
for a hot route); each figure is the best of five rounds, less the bare answer's time.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from lcgraph.web.edge import ALLOWED_HEADERS, ALLOWED_METHODS, EXPOSED_HEADERS, add_cors

ORIGIN = "https://dashboard.example"
SCOPE = {
    "type": "http",
    "method": "GET",
    "path": "/sparql",
    "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*"), (b"origin", ORIGIN.encode())],
}


def answer() -> Response:
    headers = {"ETag": '"r1-abc"', "Vary": "Accept"}
    return Response(b"{}", headers=headers, media_type="application/json")


async def bare(scope: Any, receive: Any, send: Any) -> None:
    await answer()(scope, receive, send)


async def by_hand(scope: Any, receive: Any, send: Any) -> None:
    response = answer()
    add_cors(response.raw_headers, ORIGIN)
    await response(scope, receive, send)


MIDDLEWARE = CORSMiddleware(
    bare,
    allow_origins=["*"],
    allow_credentials=False,
    allow_methods=ALLOWED_METHODS,
    allow_headers=ALLOWED_HEADERS,
    expose_headers=EXPOSED_HEADERS,
    max_age=3600,
)


async def receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def send(message: Any) -> None:
    return None


async def per_call_us(app: Any, calls: int) -> float:
    for _ in range(calls // 10):  # warm
        await app(SCOPE, receive, send)
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            await app(SCOPE, receive, send)
        rounds.append((time.perf_counter() - started) / calls * 1e6)
    return min(rounds)


async def run(calls: int) -> None:
    base = await per_call_us(bare, calls)
    print(f"bare answer                {base:6.2f} µs")
    print(f"+ Starlette CORSMiddleware {await per_call_us(MIDDLEWARE, calls) - base:+6.2f} µs")
    print(f"+ add_cors (the edge)      {await per_call_us(by_hand, calls) - base:+6.2f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50000)
    asyncio.run(run(parser.parse_args().calls))


if __name__ == "__main__":
    main()

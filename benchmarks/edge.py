"""Where a request's microseconds go inside the app: the whole ASGI app, in-process (issue 14).

    .venv/bin/python benchmarks/edge.py [--organisations 20000] [--requests 4000] [--store DIR]

No sockets and no HTTP parsing: each request is an ASGI scope sent straight into
`create_app(...)` after its lifespan started, so the figure is the app's own cost (edge,
routing, protocol parsing, guard, the engine, result writing). The peer is the engine
alone: pyoxigraph `Store.query` of the same query on the same store, serialised to SPARQL
JSON, so `app ÷ engine` is what the service adds on top of answering. Workloads:

- point: `SELECT ?p ?o WHERE { <random organisation> ?p ?o }`, a fresh IRI per request
  (the result cache does not help);
- named: a named-query run (`GET /api/queries/{name}`) on the same store;
- error: a malformed query (400, answered without a worker).

Run it twice on a changed tree against an older one (`PYTHONPATH=OLD/src`) to see a change's
effect; the ratio to the engine is comparable across machines, the µs are not.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyoxigraph import QueryResultsFormat, Store

sys.path.insert(0, str(Path(__file__).parent))
import serve as serving  # a sibling script: the synthetic store

from lcgraph.config import Settings
from lcgraph.web.app import create_app
from lcgraph.web.deps import queries_of

ORG = f"<{serving.ID}organisation/o%d>"
POINT = "SELECT ?p ?o WHERE { %s ?p ?o }"
ACCEPT = b"application/sparql-results+json"


async def call(app: Any, path: str, query: str) -> tuple[int, int]:
    """One GET through the ASGI app: (status, body bytes)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", ACCEPT)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status, size = 0, 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(scope, receive, send)
    return status, size


def per_request_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


async def time_app(app: Any, make: Callable[[int], tuple[str, str]], n: int) -> list[float]:
    times = []
    for i in range(n):
        path, query = make(i)
        started = time.perf_counter()
        status, _ = await call(app, path, query)
        times.append(time.perf_counter() - started)
        if status >= 500:
            raise SystemExit(f"{path}?{query} answered {status}")
    return times


def time_engine(store: Any, organisations: int, n: int, rng: random.Random) -> list[float]:
    times = []
    for _ in range(n):
        text = POINT % (ORG % rng.randrange(organisations))
        started = time.perf_counter()
        out = io.BytesIO()
        store.query(text, use_default_graph_as_union=True).serialize(out, QueryResultsFormat.JSON)
        times.append(time.perf_counter() - started)
    return times


async def run(args: argparse.Namespace) -> None:
    location = Path(args.store or tempfile.mkdtemp(prefix="lcgraph-edge-"))
    store = serving.open_store(location, args.organisations)
    rng = random.Random(11)
    live = str(store.live_path())
    store.close()
    engine = time_engine(Store.read_only(live), args.organisations, args.requests, rng)
    settings = Settings(store=str(location))
    app = create_app(settings)
    named = next(iter(queries_of.of_app(app)))

    def point(i: int) -> tuple[str, str]:
        q = POINT % (ORG % rng.randrange(args.organisations))
        return "/sparql", urllib.parse.urlencode({"query": q})

    def named_run(i: int) -> tuple[str, str]:
        return f"/api/queries/{named}", ""

    def error(i: int) -> tuple[str, str]:
        return "/sparql", urllib.parse.urlencode({"query": f"SELECT ?x WHERE {{ ?x {i}"})

    async with app.router.lifespan_context(app):
        await time_app(app, point, 200)  # warm: workers, caches of the parsers
        results = {
            "point": await time_app(app, point, args.requests),
            "named": await time_app(app, named_run, args.requests // 4),
            "error": await time_app(app, error, args.requests),
        }
    engine_us = per_request_us(engine)
    print(f"engine alone (point, median): {engine_us:.1f} µs")
    for name, samples in results.items():
        us = per_request_us(samples)
        print(f"{name:6s} median {us:7.1f} µs  app ÷ engine(point) {us / engine_us:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--store", help="keep the generated store here for the next run")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()

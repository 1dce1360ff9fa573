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

`--parts` instead breaks a point lookup down: each part of its path timed alone on the same
inputs (query string, bounded test, the engine, JSON rows, the response), then each layer
with everything below it (`run_inline`, `QueryService.answer`, the whole app). What the
parts do not add up to is the glue between them: calls, objects, awaits.

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
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QueryResultsFormat, Store
from starlette.requests import Request
from starlette.responses import Response

sys.path.insert(0, str(Path(__file__).parent))
import serve as serving  # a sibling script: the synthetic store

from lcgraph.config import Settings
from lcgraph.querying import bounded, inline, results
from lcgraph.querying.answers import QueryRequest
from lcgraph.querying.job import Job
from lcgraph.web import negotiation
from lcgraph.web.app import create_app
from lcgraph.web.deps import queries_of, service_of
from lcgraph.web.protocol import read_sparql_request

ORG = f"<{serving.ID}organisation/o%d>"
POINT = "SELECT ?p ?o WHERE { %s ?p ?o }"
ACCEPT = b"application/sparql-results+json"


def get_scope(path: str, query: str) -> dict[str, Any]:
    """The ASGI scope of a GET of `path?query`, as uvicorn makes it."""
    return {
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


async def call(app: Any, path: str, query: str) -> tuple[int, int]:
    """One GET through the ASGI app: (status, body bytes)."""
    scope = get_scope(path, query)
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


async def best_us(step: Callable[[Any], Any], items: list[Any], rounds: int = 3) -> float:
    """µs per item of the fastest of `rounds` passes of `step` (awaited if it is async)."""
    passes = []
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            if asyncio.iscoroutine(done := step(item)):
                await done
        passes.append((time.perf_counter() - started) / len(items))
    return min(passes) * 1e6


async def parts(args: argparse.Namespace) -> None:
    """Where a point lookup's microseconds go: parts alone, then layers."""
    location = Path(args.store or tempfile.mkdtemp(prefix="lcgraph-edge-"))
    serving.open_store(location, args.organisations).close()
    rng = random.Random(11)
    texts = [POINT % (ORG % rng.randrange(args.organisations)) for _ in range(args.requests)]
    encoded = [urllib.parse.urlencode({"query": t}) for t in texts]
    formats = negotiation.ranked_formats(ACCEPT.decode())
    app = create_app(Settings(store=str(location)))
    async with app.router.lifespan_context(app):
        service = service_of.of_app(app)
        target = service.store.target()
        reader = target.open()
        reads = [_bounded(t) for t in texts]
        subjects = [_subject(r) for r in reads]
        quads = [list(reader.quads_for_pattern(s, None, None, None)) for s in subjects]
        jobs = [Job(t, target, formats, 100_000) for t in texts]

        def json_rows(found: list[Any]) -> bytes:
            out = io.BytesIO()
            rows = ([q.predicate, q.object] for q in found)
            results.write_rows(["p", "o"], rows, "json", out, 100_000)
            return out.getvalue()

        bodies = [json_rows(q) for q in quads]

        scope = get_scope("/sparql", "")
        headers = {"Content-Type": "application/sparql-results+json", "ETag": '"r-x"'}

        async def respond(body: bytes) -> None:
            await Response(body, headers=headers)(scope, _receive, _drop)

        scopes = [get_scope("/sparql", e) for e in encoded]
        asked = [QueryRequest(t, formats, base_iri="http://127.0.0.1:8000/sparql") for t in texts]
        for e in encoded:  # warm, and every lookup is answered, not refused
            status, _ = await call(app, "/sparql", e)
            assert status == 200, (status, e)
        timed = {
            "query string -> SparqlRequest": await best_us(
                lambda s: read_sparql_request(Request(s), 1 << 20), scopes
            ),
            "store.target() (one readlink)": await best_us(lambda _: service.store.target(), texts),
            "bounded test (the lexer)": await best_us(bounded.read_bounded, texts),
            "pattern -> IRIs": await best_us(inline.lookup_slots, reads),
            "engine: quads_for_pattern, read": await best_us(
                lambda s: list(reader.quads_for_pattern(s, None, None, None)), subjects
            ),
            "SPARQL JSON rows": await best_us(json_rows, quads),
            "Starlette Response, sent": await best_us(respond, bodies),
        }
        layers = {
            "run_inline (test + lookup + rows)": await best_us(
                lambda j: inline.run_inline(reader, j, _bounded(j.query)), jobs
            ),
            "QueryService.answer": await best_us(service.answer, asked),
            "whole app (edge, route, respond)": await best_us(
                lambda e: call(app, "/sparql", e), encoded
            ),
        }
    rows = sum(map(len, quads)) / len(quads)
    print(f"a point lookup, {rows:.1f} rows per answer, best of 3 passes of {len(texts)}:")
    whole = layers["whole app (edge, route, respond)"]
    for name, us in (*timed.items(), ("sum of the parts", sum(timed.values()))):
        print(f"  {name:36s} {us:6.1f} µs  {us / whole:4.0%}")
    print("layers, each with all below it:")
    for name, us in layers.items():
        print(f"  {name:36s} {us:6.1f} µs  {us / whole:4.0%}")


def _subject(read: bounded.BoundedQuery) -> NamedNode:
    """The subject IRI of a point lookup, as the service's own path reads it."""
    slots = inline.lookup_slots(read)
    assert slots is not None and isinstance(slots[0], NamedNode), read
    return slots[0]


def _bounded(text: str) -> bounded.BoundedQuery:
    read = bounded.read_bounded(text)
    assert read is not None, text
    return read


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _drop(message: MutableMapping[str, Any]) -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--store", help="keep the generated store here for the next run")
    parser.add_argument("--parts", action="store_true", help="a point lookup's parts")
    args = parser.parse_args()
    asyncio.run(parts(args) if args.parts else run(args))


if __name__ == "__main__":
    main()

"""Named queries over HTTP: `GET /api/queries/{name}?...` against the same SPARQL at /sparql.

For three queries, with the result cache off (so every request runs in a worker), times
(a) the named query: `GET /api/queries/{name}.json?param=...` (binding, class check,
substitutions in the worker), and (b) the same SPARQL sent as `GET /sparql?query=...`,
its parameter values written in as a VALUES block (`inline_values`, what a client
writing the SPARQL itself would send), both asking for SPARQL results JSON. Requests
alternate a/b over one keep-alive connection, so drift hits both alike. Prints the
median ms of each and the ratio named/sparql (target <= 1.1).

    .venv/bin/python benchmarks/named_queries_http.py [--store DIR] [--repeat 300]

Without --store it builds the curated data into a temporary store. Runs in < 1 minute.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import inline_values, load_queries

CASES = [
    ("communities-per-sector", {"sector": "def:topsector/EN", "lang": "en"}),
    ("community-count-per-sector", {"lang": "en"}),
    ("research-themes-and-questions", {"lang": "nl"}),
]
ACCEPT = {"Accept": "application/sparql-results+json"}


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The service on a free 127.0.0.1 port in a thread (lifespan and workers included)."""
    from lcgraph.web.app import create_app
    from lcgraph.web.server import UVICORN_OPTIONS

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        **UVICORN_OPTIONS,  # as `lcgraph serve` runs it (Nagle off, its protocol choices)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def timed(client: httpx.Client, url: str, params: dict[str, str]) -> float:
    start = time.perf_counter()
    response = client.get(url, params=params, headers=ACCEPT)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
    return elapsed


def compare(base_url: str, settings: Settings, repeat: int) -> list[tuple[str, float, float]]:
    queries = load_queries(settings.queries, Iris(settings.base_iri))
    rows = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for name, params in CASES:
            query = queries[name]
            sparql = {"query": inline_values(query.text, query.bind(params))}
            named_url = f"/api/queries/{name}.json"
            assert _bindings(client, named_url, params) == _bindings(client, "/sparql", sparql)
            named, direct = [], []
            for _ in range(repeat):
                named.append(timed(client, named_url, params))
                direct.append(timed(client, "/sparql", sparql))
            rows.append((name, statistics.median(named), statistics.median(direct)))
    return rows


def _bindings(client: httpx.Client, url: str, params: dict[str, str]) -> object:
    """Warm-up request, and the check that both sides answer the same."""
    return client.get(url, params=params, headers=ACCEPT).json()["results"]["bindings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an already built store folder")
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            store=args.store or str(Path(tmp) / "store"),
            reasoner=False,
            result_cache_entries=0,
            query_workers=2,
        )
        if not args.store:
            build(settings)
        with serving(settings) as url:
            rows = compare(url, settings, args.repeat)
    out = sys.stdout
    out.write(f"{'query':32} {'named ms':>9} {'sparql ms':>9} {'ratio':>6}\n")
    for name, named, direct in rows:
        out.write(f"{name:32} {named * 1e3:9.3f} {direct * 1e3:9.3f} {named / direct:6.2f}\n")
    worst = max(named / direct for _, named, direct in rows)
    out.write(f"worst ratio {worst:.2f} (target <= 1.1); result cache off\n")


if __name__ == "__main__":
    main()

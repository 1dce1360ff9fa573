"""Benchmark linked-data pages against the same data as a DESCRIBE from /sparql (issue 5).

    .venv/bin/python benchmarks/linked_data.py [--seconds 3] [--connections 8 32]

Builds data/sources into a temporary store, starts `lcgraph serve`'s app in uvicorn (a
subprocess, 127.0.0.1) and drives it with asyncio + httpx for each workload:

  html     GET /doc/{type}/{ref}.en.html            (the resource page)
  turtle   GET /doc/{type}/{ref}.ttl                (its Turtle twin)
  describe GET /sparql?query=DESCRIBE <iri>, Accept: text/turtle   (the peer)

Requests go round-robin over every /id/ resource of the graph, so after the first round
both sides answer from their caches (pages: rendered page per revision; /sparql: its
result cache): that is what repeated visits cost. The first round (every page rendered
once, "cold") is timed separately. Target: html/describe and turtle/describe >= 0.8.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.store.embedded import EmbeddedStore

BASE = "https://w3id.org/lcgraph"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _resources(store: EmbeddedStore) -> list[str]:
    rows = store.query(
        f'SELECT DISTINCT ?s {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}/id/")) }}'
    )
    return sorted(row[0].value for row in rows)  # type: ignore[index, union-attr]


def _requests(iris: list[str], kind: str) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    out = []
    for iri in iris:
        doc = "/doc/" + iri.removeprefix(BASE + "/id/")
        if kind == "html":
            out.append((doc + ".en.html", {}, {}))
        elif kind == "turtle":
            out.append((doc + ".ttl", {}, {}))
        else:
            out.append(("/sparql", {"query": f"DESCRIBE <{iri}>"}, {"Accept": "text/turtle"}))
    return out


async def _drive(
    url: str,
    requests: list[tuple[str, dict[str, str], dict[str, str]]],
    seconds: float,
    connections: int,
) -> float:
    """Requests per second over `seconds` with `connections` concurrent clients."""
    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker(offset: int) -> None:
            nonlocal done
            i = offset
            while time.perf_counter() < deadline:
                path, params, headers = requests[i % len(requests)]
                response = await client.get(path, params=params, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} {params}: {response.status_code}")
                done += 1
                i += connections

        start = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(connections)))
        return done / (time.perf_counter() - start)


async def _cold(url: str, requests: list[tuple[str, dict[str, str], dict[str, str]]]) -> float:
    """Seconds per request for one sequential round (each page rendered the first time)."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        start = time.perf_counter()
        for path, params, headers in requests:
            (await client.get(path, params=params, headers=headers)).raise_for_status()
        return (time.perf_counter() - start) / len(requests)


def _serve(store: str, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import uvicorn; from lcgraph.config import Settings; "
        "from lcgraph.web.app import create_app; "
        f"uvicorn.run(create_app(Settings(store={store!r})), host='127.0.0.1', port={port}, "
        "log_level='warning')"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the service did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_path = str(Path(tmp) / "store")
        build(Settings(store=store_path, reasoner=False))
        iris = _resources(EmbeddedStore(store_path))
        port = _free_port()
        server = _serve(store_path, port)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(url)
            _report(url, iris, args.seconds, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _report(url: str, iris: list[str], seconds: float, connections: list[int]) -> None:
    kinds = ("html", "turtle", "describe")
    print(f"{len(iris)} resources; {seconds:.0f} s per measurement")
    cold = {k: asyncio.run(_cold(url, _requests(iris, k))) for k in kinds}
    print(
        "cold (first request per resource), ms: "
        + ", ".join(f"{k} {v * 1000:.2f}" for k, v in cold.items())
    )
    for n in connections:
        rates = {k: asyncio.run(_drive(url, _requests(iris, k), seconds, n)) for k in kinds}
        print(
            f"{n:>3} connections, requests/s: "
            + ", ".join(f"{k} {v:,.0f}" for k, v in rates.items())
            + f"   ratio html/describe {rates['html'] / rates['describe']:.2f}"
            f", turtle/describe {rates['turtle'] / rates['describe']:.2f}"
        )


if __name__ == "__main__":
    main()

"""Benchmark `lcgraph serve` against `oxigraph serve-read-only` on the same store (issue 3).

    .venv/bin/python benchmarks/serve.py [--organisations 20000] [--seconds 5] [--workers 2]

Builds one store (an inline generator of organisations, sectors and learning communities
with members, ~10 triples per organisation), starts both servers on 127.0.0.1, and drives
each with the same asyncio + httpx load generator at 8 and 32 connections, for three
workloads: point lookups with a fresh IRI per request (uncached), one repeated dashboard
query, and the heavy mix (point lookup, GROUP BY count, join + GROUP BY, two-hop
co-membership, regex label search with OPTIONAL, CONSTRUCT). Prints requests/s and p99 for
both and their ratios. Our service runs with its time limit, guard and row limit on.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from lcgraph.store.embedded import EmbeddedStore

ID = "https://w3id.org/lcgraph/id/"
LC = "https://w3id.org/lcgraph/def/lc/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PREFIXES = f"PREFIX lc: <{LC}> PREFIX rdfs: <{RDFS}> "
WORDS = ["Agri", "Energie", "Zorg", "Water", "Logistiek", "Chemie", "Creatief", "HTSM", "Tuinbouw"]
Query = Callable[[random.Random], str]


def generate(organisations: int, seed: int = 7) -> bytes:
    """N-Quads: organisations in sectors, communities of 4-12 member organisations."""
    rng = random.Random(seed)
    graph = f"<{ID}graph/synthetic>"
    lines = []
    for i in range(organisations):
        org = f"<{ID}organisation/o{i}>"
        lines += [f"{org} <{RDF_TYPE}> <{LC}Organisation> {graph} .",
                  f'{org} <{RDFS}label> "Organisatie {i} {rng.choice(WORDS)}" {graph} .',
                  f"{org} <{LC}sector> <{ID}sector/{rng.randrange(9)}> {graph} ."]  # fmt: skip
    for j in range(organisations // 4):
        community = f"<{ID}learning-community/c{j}>"
        lines += [f"{community} <{RDF_TYPE}> <{LC}LearningCommunity> {graph} .",
                  f'{community} <{RDFS}label> "Leergemeenschap {j}" {graph} .']  # fmt: skip
        for member in rng.sample(range(organisations), rng.randint(4, 12)):
            lines.append(f"{community} <{LC}member> <{ID}organisation/o{member}> {graph} .")
    return ("\n".join(lines) + "\n").encode()


def queries(organisations: int) -> dict[str, Query]:
    def org(rng: random.Random) -> str:
        return f"<{ID}organisation/o{rng.randrange(organisations)}>"

    return {
        "point": lambda r: f"SELECT ?p ?o WHERE {{ {org(r)} ?p ?o }}",
        "group_count": lambda r: "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
        "join_group": lambda r: PREFIXES + "SELECT ?sector (COUNT(DISTINCT ?c) AS ?n) WHERE "
                                "{ ?c lc:member ?o . ?o lc:sector ?sector } GROUP BY ?sector",
        "two_hop": lambda r: PREFIXES + f"SELECT DISTINCT ?other WHERE {{ {org(r)} ^lc:member ?c . "
                             "?c lc:member ?other }",
        "regex_optional": lambda r: PREFIXES + "SELECT ?o ?label ?sector WHERE { ?o rdfs:label ?label "
                                    f'FILTER(REGEX(?label, "^Organisatie {r.randrange(100)}1 ")) '
                                    "OPTIONAL { ?o lc:sector ?sector } } LIMIT 50",
        "construct": lambda r: f"CONSTRUCT WHERE {{ <{ID}learning-community/c{r.randrange(organisations // 4)}> ?p ?o }}",
    }  # fmt: skip


async def load(url: str, make: Query, connections: int, seconds: float, accept: str) -> list[float]:
    """Latencies of all requests answered in `seconds` by `connections` keep-alive clients."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        deadline = time.perf_counter() + seconds

        async def user(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                response = await client.get(url, params={"query": make(rng)}, headers={"Accept": accept})
                if response.status_code != 200:
                    errors += 1
                latencies.append(time.perf_counter() - start)

        await asyncio.gather(*(user(i) for i in range(connections)))
    if errors:
        print(f"    ({errors} non-200 answers)", file=sys.stderr)
    return latencies


def summary(latencies: list[float], seconds: float) -> tuple[float, float]:
    ordered = sorted(latencies)
    p99 = ordered[int(len(ordered) * 0.99) - 1] if ordered else float("nan")
    return len(ordered) / seconds, p99 * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server did not start: {process.args}")


def start_servers(store: EmbeddedStore, workers: int) -> tuple[dict[str, str], list[subprocess.Popen[bytes]]]:
    ox_port, our_port = free_port(), free_port()
    oxigraph = Path(sys.executable).parent / "oxigraph"
    ox = subprocess.Popen([str(oxigraph), "serve-read-only", "--location", str(store.live_path()),  # noqa: S603
                           "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    code = ("from lcgraph.config import Settings; from lcgraph.web import serve; "
            f"serve(Settings(store={store.location!r}, port={our_port}, query_workers={workers}, "
            f"max_concurrent_queries=256, query_timeout_s=30, queries='/nonexistent'))")  # fmt: skip
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    ours = subprocess.Popen([sys.executable, "-c", code], env=env,  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    urls = {"oxigraph": f"http://127.0.0.1:{ox_port}/query", "lcgraph": f"http://127.0.0.1:{our_port}/sparql"}
    wait_up(urls["oxigraph"], ox)
    wait_up(urls["lcgraph"], ours)
    return urls, [ox, ours]


def workloads(organisations: int) -> dict[str, Query]:
    q = queries(organisations)
    mix = list(q.values())
    return {"point lookups (uncached)": q["point"], "repeated dashboard query": q["join_group"],
            "heavy mix": lambda r: r.choice(mix)(r)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=2, help="query workers of lcgraph")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        data = generate(args.organisations)
        with store.stage() as staging:
            staging.load(data)
        triples = data.count(b"\n")
        print(f"store: {triples} triples; lcgraph query workers: {args.workers}; cpus: {os.cpu_count()}")
        urls, processes = start_servers(store, args.workers)
        try:
            run_all(urls, workloads(args.organisations), args.seconds)
        finally:
            for process in processes:
                process.terminate()
                process.wait(10)


def run_all(urls: dict[str, str], loads: dict[str, Query], seconds: float) -> None:
    accept = "application/sparql-results+json, text/turtle;q=0.9"
    print(f"{'workload':28} {'conn':>4} {'oxigraph r/s':>12} {'lcgraph r/s':>11} {'ratio':>6} "
          f"{'ox p99 ms':>9} {'lc p99 ms':>9} {'p99 ratio':>9}")  # fmt: skip
    for name, make in loads.items():
        for connections in (8, 32):
            results = {}
            for server, url in urls.items():
                latencies = asyncio.run(load(url, make, connections, seconds, accept))
                results[server] = summary(latencies, seconds)
            (ox_rps, ox_p99), (lc_rps, lc_p99) = results["oxigraph"], results["lcgraph"]
            print(f"{name:28} {connections:>4} {ox_rps:>12.0f} {lc_rps:>11.0f} {lc_rps / ox_rps:>6.2f} "
                  f"{ox_p99:>9.1f} {lc_p99:>9.1f} {lc_p99 / ox_p99:>9.2f}")  # fmt: skip


if __name__ == "__main__":
    main()

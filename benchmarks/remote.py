"""Remote-store benchmark: the embedded store against `oxigraph serve`, in the same run.

Builds the same synthetic data folder into the embedded store and into a local
`oxigraph serve` (loopback), then runs a small query mix on each, one client at a time.
Prints the build-time ratio (remote / embedded) and the requests/s ratio (remote /
embedded) per size, so their growth from ~1M to ~5M triples shows side by side.

    .venv/bin/python benchmarks/remote.py                # ~1M triples (orgs 30000)
    .venv/bin/python benchmarks/remote.py --large        # also ~5M triples (orgs 150000)
    .venv/bin/python benchmarks/remote.py --scale 0.1    # a quick smoke run (~110k)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pyoxigraph import QueryBoolean

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from remote_servers import oxigraph_server

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.store import open_store
from lcgraph.synth import write_synthetic

LC = "https://w3id.org/lcgraph/def/lc/"
QUERY_MIX = [
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{LC}LearningCommunity> }}",
    f"SELECT ?c ?label WHERE {{ ?c a <{LC}LearningCommunity> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 100",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 500",
]


def _time_build(settings: Settings) -> tuple[float, int]:
    start = time.perf_counter()
    report = build(settings)
    return time.perf_counter() - start, report.triples


def _requests_per_s(store: Any, seconds: float) -> float:
    """Run the query mix round-robin for `seconds`; requests per second, results consumed."""
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        result = store.query(QUERY_MIX[done % len(QUERY_MIX)])
        if not isinstance(result, QueryBoolean):
            list(result)
        done += 1
    return done / (time.perf_counter() - start)


def run_size(orgs: int, communities: int, seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="lcgraph-bench-remote-") as tmp:
        data = Path(tmp) / "data"
        write_synthetic(data, orgs, communities)
        embedded = Settings(store=str(Path(tmp) / "store"), data=data, reasoner=False)
        embedded_s, triples = _time_build(embedded)
        embedded_rps = _requests_per_s(open_store(embedded.store), seconds)
        with oxigraph_server(Path(tmp) / "oxigraph") as url:
            remote = Settings(store=url, data=data, reasoner=False)
            remote_s, _ = _time_build(remote)
            remote_rps = _requests_per_s(open_store(url, remote), seconds)
    return {
        "triples": triples,
        "embedded_build_s": embedded_s,
        "remote_build_s": remote_s,
        "embedded_rps": embedded_rps,
        "remote_rps": remote_rps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = ~1M triples")
    parser.add_argument("--large", action="store_true", help="also run 5x the size (~5M)")
    parser.add_argument("--seconds", type=float, default=5.0, help="query mix time per store")
    args = parser.parse_args()
    scales = [args.scale, args.scale * 5] if args.large else [args.scale]
    print(
        "triples    embedded build s  remote build s  ratio   embedded req/s  remote req/s  ratio"
    )
    for scale in scales:
        r = run_size(int(30000 * scale), int(6000 * scale), args.seconds)
        print(
            f"{r['triples']:>9,}  {r['embedded_build_s']:>16.1f}  {r['remote_build_s']:>14.1f}"
            f"  {r['remote_build_s'] / r['embedded_build_s']:>5.2f}  {r['embedded_rps']:>14.1f}"
            f"  {r['remote_rps']:>12.1f}  {r['remote_rps'] / r['embedded_rps']:>5.2f}"
        )


if __name__ == "__main__":
    main()

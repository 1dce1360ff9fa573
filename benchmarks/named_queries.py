"""Named-query overhead: `NamedQuery.run` against the same SPARQL sent to the store directly.

For three queries, times (a) `query.run(store, params)`: parse and check the raw values,
check the class of IRI values with an ASK, run with substitutions, read every row; and
(b) `store.query(text, substitutions=...)` with terms bound beforehand, reading every row.
Prints the median seconds of each and the ratio named/direct (target <= 1.1).

    .venv/bin/python benchmarks/named_queries.py [--store DIR] [--data DIR] [--repeat 200]

Without --store it builds the data folder (default: the curated data) into a temporary store.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from lcgraph.build import build
from lcgraph.config import Settings
from lcgraph.iris import Iris
from lcgraph.named_queries import load_queries
from lcgraph.store import GraphStore
from lcgraph.store.embedded import EmbeddedStore

CASES = [
    ("communities-per-sector", {"sector": "def:topsector/EN", "lang": "en"}),
    ("community-count-per-sector", {"lang": "en"}),
    ("research-themes-and-questions", {"lang": "nl"}),
]


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(store: GraphStore, settings: Settings, repeat: int) -> list[tuple[str, float, float]]:
    queries = load_queries(settings.queries, Iris(settings.base_iri))
    results = []
    for name, params in CASES:
        query = queries[name]
        bindings = dict(query.bind(params))
        named = partial(_consume, lambda q=query, p=params: q.run(store, p))
        direct = partial(_consume, lambda q=query, b=bindings: store.query(q.text, substitutions=b))
        named(), direct()  # warm up: open the store, fill caches
        results.append((name, median_seconds(named, repeat), median_seconds(direct, repeat)))
    return results


def _consume(run: Callable[[], Iterable[object]]) -> int:
    return len(list(run()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an already built store folder")
    parser.add_argument("--data", type=Path, help="data folder to build (default: curated)")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            store=args.store or str(Path(tmp) / "store"),
            reasoner=False,
            **({"data": args.data} if args.data else {}),
        )
        if not args.store:
            build(settings)
        rows = compare(EmbeddedStore(settings.store), settings, args.repeat)
    out = sys.stdout
    out.write(f"{'query':32} {'named ms':>9} {'direct ms':>9} {'ratio':>6}\n")
    for name, named, direct in rows:
        out.write(f"{name:32} {named * 1e3:9.3f} {direct * 1e3:9.3f} {named / direct:6.2f}\n")
    worst = max(named / direct for _, named, direct in rows)
    out.write(f"worst ratio {worst:.2f} (target <= 1.1)\n")


if __name__ == "__main__":
    main()

"""The per-request reading of a query's text: the SERVICE/LOAD guard plus the bounded test.

Both run on every `/sparql` request before the engine (`lcgraph.querying.service`), so their cost
is part of every point lookup. Prints the best of five rounds in µs per query (CPU time of
this process: other load on the machine only ever adds to it).

    .venv/bin/python benchmarks/query_checks.py [--repeat 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import time

from lcgraph.errors import QueryForbidden
from lcgraph.querying import bounded, guard

ITEM = "<https://w3id.org/lcgraph/id/organisation/o123>"
SAMPLES = {
    "point lookup": f"SELECT ?p ?o WHERE {{ {ITEM} ?p ?o }}",
    "prefixed lookup": (
        "PREFIX lc: <https://w3id.org/lcgraph/def/>\n"
        "SELECT ?s WHERE { ?s lc:sector lc:topsector-EN } LIMIT 100"
    ),
    "join (not bounded)": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s ?label WHERE { ?s a ?type ; rdfs:label ?label . "
        'FILTER(CONTAINS(?label, "leren")) } ORDER BY ?label LIMIT 50'
    ),
    "service (guarded)": (
        "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    ),
}


def _check(text: str) -> None:
    with contextlib.suppress(QueryForbidden):  # a refusal is an answer too: timed as well
        guard.check_remote_access(text, ["query.wikidata.org"], lambda host: ["8.8.8.8"])
    bounded.read_bounded(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20000)
    args = parser.parse_args()
    for name, text in SAMPLES.items():
        rounds = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(args.repeat):
                _check(text)
            rounds.append((time.process_time() - start) / args.repeat * 1e6)
        print(f"{name:22} {min(rounds):7.2f} µs")


if __name__ == "__main__":
    main()

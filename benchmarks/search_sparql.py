"""Search inside SPARQL: the SERVICE form against FILTER(CONTAINS(LCASE(…))) over /sparql.

The same question, "the resources whose text has this word", asked two ways of the same
service on the synthetic graph (~1M triples at the defaults), with the result cache off so
every request runs:

    (a) SERVICE <{base}/def/search> { ?s lcs:query "word" ; lcs:score ?score ; lcs:limit 20 }
        answered from the full-text index, then run as VALUES (issue 15);
    (b) ?s ?p ?text FILTER(isLiteral(?text) && CONTAINS(LCASE(STR(?text)), "word"))
        LIMIT 20, what one writes without a text index: a scan of every literal.

Requests alternate a/b over one keep-alive connection, so drift hits both alike. Prints
each word's median ms of both and the ratio of the medians (b/a: how many times faster
the search is). `service_vs_contains(url, words)` is the measurement on its own, for
benchmarks/search.py to import.

    .venv/bin/python benchmarks/search_sparql.py [--orgs 30000] [--communities 6000]
        [--repeat 15] [--store DIR]

Without --store it writes the synthetic sources and builds them (index included) into a
temporary store first.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from named_queries_http import serving  # a sibling script: benchmarks/ is on sys.path

from lcgraph.config import Settings

WORDS = ("twente", "energie", "zorg", "delfzijl")
ACCEPT = {"Accept": "application/sparql-results+json"}
SERVICE = """PREFIX lcs: <https://w3id.org/lcgraph/def/search#>
SELECT ?s ?score WHERE {{
  SERVICE <https://w3id.org/lcgraph/def/search> {{
    ?s lcs:query "{word}" ; lcs:score ?score ; lcs:limit 20
  }}
}}"""
CONTAINS = """SELECT DISTINCT ?s WHERE {{
  ?s ?p ?text FILTER(isLiteral(?text) && CONTAINS(LCASE(STR(?text)), "{word}"))
}} LIMIT 20"""


def _timed(client: httpx.Client, url: str, query: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.post(url, data={"query": query}, headers=ACCEPT)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
    return elapsed, len(response.json()["results"]["bindings"])


def service_vs_contains(
    base_url: str, words: tuple[str, ...] = WORDS, repeat: int = 15
) -> dict[str, dict[str, float]]:
    """Per word: median seconds of the SERVICE form and of the CONTAINS scan, their ratio
    (contains/service) and the hit counts; `repeat` alternating pairs each, after one
    warm-up pair."""
    url = base_url + "/sparql"
    out: dict[str, dict[str, float]] = {}
    with httpx.Client(timeout=600) as client:
        for word in words:
            service, contains = SERVICE.format(word=word), CONTAINS.format(word=word)
            _timed(client, url, service), _timed(client, url, contains)
            a: list[float] = []
            b: list[float] = []
            for _ in range(repeat):
                seconds, service_rows = _timed(client, url, service)
                a.append(seconds)
                seconds, contains_rows = _timed(client, url, contains)
                b.append(seconds)
            out[word] = {
                "service_s": statistics.median(a),
                "contains_s": statistics.median(b),
                "ratio": statistics.median(b) / statistics.median(a),
                "service_rows": service_rows,
                "contains_rows": contains_rows,
            }
    return out


def _build(work: Path, orgs: int, communities: int) -> tuple[str, int, float]:
    from lcgraph.build import build
    from lcgraph.synth import write_synthetic

    write_synthetic(work / "data", orgs=orgs, communities=communities)
    start = time.perf_counter()
    report = build(Settings(store=str(work / "store"), data=work / "data", reasoner=False))
    return str(work / "store"), report.triples, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=30_000)
    parser.add_argument("--communities", type=int, default=6_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--store", help="a built store to use instead of building one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            store = args.store
        else:
            store, triples, seconds = _build(Path(tmp), args.orgs, args.communities)
            print(f"built {triples:,} triples (index included) in {seconds:.1f} s")
        settings = Settings(store=store, result_cache_entries=0, query_timeout_s=600)
        with serving(settings) as url:
            results = service_vs_contains(url, repeat=args.repeat)
    print(f"{'word':<10} {'SERVICE ms':>11} {'CONTAINS ms':>12} {'ratio':>8}  rows")
    for word, r in results.items():
        print(
            f"{word:<10} {r['service_s'] * 1000:>11.1f} {r['contains_s'] * 1000:>12.1f}"
            f" {r['ratio']:>8.1f}  {int(r['service_rows'])}/{int(r['contains_rows'])}"
        )
    ratios = [r["ratio"] for r in results.values()]
    print(f"median ratio CONTAINS/SERVICE: {statistics.median(ratios):.1f}x")


if __name__ == "__main__":
    main()

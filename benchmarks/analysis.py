"""Benchmark `lcgraph.analysis` against igraph on the same graph, in the same run.

    .venv/bin/python benchmarks/analysis.py                       # default: ~10k/1k/100k, < 3 min
    .venv/bin/python benchmarks/analysis.py --orgs 100000 --communities 10000 \\
        --participations 1000000                                   # the issue #6 target size

Generates a synthetic store as N-Quads (stakeholders with sector, helix, province; communities;
participations), runs `analyze()` and prints each step's seconds. Then it times the measures
igraph can do (graph build, sampled betweenness with the same number of sources, Louvain) and
prints networkx/igraph ratios, the total against an igraph pipeline that shares the SPARQL
read, counting and write-back steps, and the peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import igraph as ig

from lcgraph.analysis import analyze
from lcgraph.config import Settings
from lcgraph.iris import LC
from lcgraph.store.embedded import EmbeddedStore

BASE = "https://w3id.org/lcgraph"
HELICES = (
    "EducationOrganisation",
    "BusinessOrganisation",
    "ResearchOrganisation",
    "GovernmentOrganisation",
    "SocietalOrganisation",
)
SECTORS = ("AF", "CI", "CH", "EN", "HTSM", "LSH", "LOG", "TU", "WA", "ICT")


def synthetic_nquads(orgs: int, communities: int, participations: int, seed: int) -> bytes:
    """A store's worth of N-Quads with a skewed (Zipf-like) community size distribution."""
    rnd = random.Random(seed)
    g = f"<{BASE}/graph/synthetic/bench>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    out: list[str] = []
    for i in range(orgs):
        org = f"<{BASE}/id/organisation/o{i}>"
        out.append(f"{org} {rdf_type} <{LC}Stakeholder> {g} .\n")
        out.append(f"{org} {rdf_type} <{LC}Organisation> {g} .\n")
        out.append(f"{org} {rdf_type} <{LC}{rnd.choice(HELICES)}> {g} .\n")
        out.append(f"{org} <{LC}sector> <{BASE}/def/topsector/{rnd.choice(SECTORS)}> {g} .\n")
        out.append(f"{org} <{LC}region> <{BASE}/id/province/PV{20 + rnd.randrange(12)}> {g} .\n")
    weights = [1 / (k + 1) ** 0.6 for k in range(communities)]
    for k in range(communities):
        lc = f"<{BASE}/id/learning-community/c{k}>"
        out.append(f"{lc} {rdf_type} <{LC}LearningCommunity> {g} .\n")
    pairs: set[tuple[int, int]] = set()
    chosen = rnd.choices(range(communities), weights=weights, k=participations * 2)
    for c in chosen:
        if len(pairs) >= participations:
            break
        pairs.add((rnd.randrange(orgs), c))
    inferred = f"<{BASE}/graph/inferred>"
    for n, (o, c) in enumerate(pairs):
        p = f"<{BASE}/id/participation/p{n}>"
        # what `lcgraph build` materialises from each participation (a property chain)
        out.append(
            f"<{BASE}/id/organisation/o{o}> <http://www.w3.org/ns/org#memberOf> "
            f"<{BASE}/id/learning-community/c{c}> {inferred} .\n"
        )
        out.append(f"{p} {rdf_type} <{LC}Participation> {g} .\n")
        out.append(f"{p} <http://www.w3.org/ns/org#member> <{BASE}/id/organisation/o{o}> {g} .\n")
        out.append(
            f"{p} <http://www.w3.org/ns/org#organization> "
            f"<{BASE}/id/learning-community/c{c}> {g} .\n"
        )
    return "".join(out).encode()


def igraph_timings(report_graph: object, samples: int | None, seed: int) -> dict[str, float]:
    """The same measures with igraph on the same edge list."""
    import networkx as nx

    assert isinstance(report_graph, nx.Graph)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    graph = ig.Graph.TupleList(report_graph.edges(), directed=False)
    timings["build"] = time.perf_counter() - start
    rnd = random.Random(seed)
    sources = None if samples is None else rnd.sample(range(graph.vcount()), samples)
    start = time.perf_counter()
    graph.betweenness(sources=sources) if sources else graph.betweenness()
    timings["betweenness"] = time.perf_counter() - start
    start = time.perf_counter()
    graph.community_multilevel()
    timings["communities"] = time.perf_counter() - start
    return timings


def _load(store: EmbeddedStore, data: bytes) -> None:
    with store.stage() as staging:
        staging.load(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--communities", type=int, default=1_000)
    parser.add_argument("--participations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        start = time.perf_counter()
        _load(store, synthetic_nquads(args.orgs, args.communities, args.participations, args.seed))
        print(f"generate+load: {time.perf_counter() - start:.1f} s")
        settings = Settings(store=str(store.root), analysis_seed=args.seed)
        start = time.perf_counter()
        report = analyze(store, settings)
        total = time.perf_counter() - start
    assert report.results is not None
    ig_times = igraph_timings(report.results.network.graph, report.betweenness_sample, args.seed)
    _print(report.counts, report.timings, ig_times, total, report)


def _print(
    counts: dict[str, int],
    timings: dict[str, float],
    ig_times: dict[str, float],
    total: float,
    report: object,
) -> None:
    w = sys.stdout.write
    w(f"graph: {counts}\n")
    w(f"{'step':<20}{'networkx s':>12}{'igraph s':>12}{'ratio':>10}\n")
    for step, seconds in timings.items():
        other = ig_times.get(step)
        ratio = f"{seconds / other:.1f}x" if other else "shared"
        w(f"{step:<20}{seconds:>12.2f}{(other if other else seconds):>12.2f}{ratio:>10}\n")
    shared = sum(s for k, s in timings.items() if k not in ig_times)
    ig_total = shared + sum(ig_times.values())
    w(f"{'total':<20}{total:>12.2f}{ig_total:>12.2f}{total / ig_total:>9.1f}x\n")
    w(
        f"betweenness sample: {getattr(report, 'betweenness_sample', None)}; brokerage measured: "
        f"{getattr(report, 'brokerage_measured', None)}\n"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w(f"peak RSS: {peak:.0f} MiB\n")


if __name__ == "__main__":
    main()

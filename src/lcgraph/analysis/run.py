"""The analysis pipeline: read the network, compute every measure, write back, export.

`analyze()` is what `lcgraph analyze [--out DIR]` calls; `step(name)` is called as each
step starts, for a progress bar. The live graph changes only in the final write-back, which
is atomic (the store's `stage()`): a failure earlier leaves the previous results in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lcgraph.analysis import brokerage as broker_measures
from lcgraph.analysis.communities import louvain
from lcgraph.analysis.crosspollination import cross_pollination
from lcgraph.analysis.export import export
from lcgraph.analysis.gaps import gaps
from lcgraph.analysis.network import read_network
from lcgraph.analysis.results import Results
from lcgraph.analysis.synergy import synergy
from lcgraph.analysis.writeback import analysis_graph, write_results
from lcgraph.config import Settings
from lcgraph.errors import StoreError
from lcgraph.iris import Iris
from lcgraph.steps import Step, timed
from lcgraph.store import GraphStore

STEPS = (
    "reading",
    "cross-pollination",
    "betweenness",
    "brokerage",
    "communities",
    "synergy",
    "gaps",
    "writing",
    "exporting",
)


@dataclass
class AnalysisReport:
    """What a run did: its id, the graph it wrote, sizes, samples, files and seconds per step."""

    run_id: str
    graph: str
    read_revision: str | None
    counts: dict[str, int]
    quads: int = 0
    betweenness_sample: int | None = None
    brokerage_measured: int = 0
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    results: Results | None = None


def parameters(settings: Settings) -> dict[str, Any]:
    """The settings a run depends on, recorded with its provenance under their flat names
    (`analysis_seed`), so that runs before and after the settings were grouped compare."""
    names = (
        "betweenness_exact_max_nodes",
        "betweenness_samples",
        "brokerage_exact_max",
        "brokerage_sample",
        "brokerage_max_ego",
        "louvain_resolution",
        "louvain_max_edges",
    )
    sizes = settings.analysis
    return {"analysis_seed": sizes.seed, **{name: getattr(sizes, name) for name in names}}


def compute(
    store: GraphStore, settings: Settings, step: Step, timings: dict[str, float]
) -> Results:
    """Read the network from `store` and compute every measure (nothing is written)."""
    started, revision = datetime.now(UTC), store.revision()
    with timed(timings, "reading", step):
        network = read_network(store)
    if not network.memberships:
        raise StoreError(f"{store.location}: no participations to analyse")
    sizes = settings.analysis
    seed = sizes.seed
    with timed(timings, "cross-pollination", step):
        cross = cross_pollination(network)
    with timed(timings, "betweenness", step):
        between = broker_measures.betweenness(
            network, sizes.betweenness_exact_max_nodes, sizes.betweenness_samples, seed
        )
    with timed(timings, "brokerage", step):
        chosen = broker_measures.brokers_to_measure(
            network, between, sizes.brokerage_exact_max, sizes.brokerage_sample
        )
        brokers = broker_measures.brokerage(network, chosen, sizes.brokerage_max_ego, seed)
    with timed(timings, "communities", step):
        clustering = louvain(network, seed, sizes.louvain_resolution, sizes.louvain_max_edges)
    with timed(timings, "synergy", step):
        helix = synergy(network)
    with timed(timings, "gaps", step):
        found = gaps(network, cross)
    run_id = started.strftime("%Y%m%dT%H%M%S%fZ")
    return Results(
        run_id,
        started,
        revision,
        parameters(settings),
        network,
        cross,
        between,
        brokers,
        clustering,
        helix,
        found,
    )


def analyze(
    store: GraphStore, settings: Settings, out: Path | None = None, step: Step = lambda name: None
) -> AnalysisReport:
    """Analyse the live graph, replace the analysis graph with the results, export to `out`.

    Raises StoreError when the store has no graph or no participations.
    """
    timings: dict[str, float] = {}
    results = compute(store, settings, step, timings)
    iris = Iris(settings.base_iri)
    report = AnalysisReport(
        results.run_id,
        analysis_graph(iris),
        results.revision,
        results.counts,
        betweenness_sample=results.betweenness.sample,
        brokerage_measured=len(results.brokers),
        timings=timings,
        results=results,
    )
    with timed(timings, "writing", step):
        results.ended = datetime.now(UTC)
        report.quads = write_results(store, results, iris)
    if out is not None:
        with timed(timings, "exporting", step):
            report.files = export(results, out, settings.analysis.figure_max_nodes)
    return report

"""Files for people and other tools: CSV tables, GraphML and GEXF (Gephi), PNG and SVG figures.

Figures are drawn with matplotlib's non-interactive Agg backend, so no display is needed.
The network figure draws at most `max_nodes` nodes (the highest-degree ones) to stay legible.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.figure import Figure

from lcgraph.analysis.results import Results

# the brokerage roles and Burt's measures of a stakeholder, as columns and as attributes
EGO_COLUMNS = (
    "coordinator",
    "itinerant",
    "gatekeeper_representative",
    "liaison",
    "constraint",
    "effective_size",
)


def export(results: Results, out: Path, max_nodes: int = 300) -> list[Path]:
    """Write every table, graph file and figure into `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = write_tables(results, out)
    written += write_graphs(results, out)
    written += write_figures(results, out, max_nodes)
    return written


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def write_tables(results: Results, out: Path) -> list[Path]:
    cross, gaps = results.cross, results.gaps
    by_org = {b.stakeholder: b for b in results.brokers}
    return [
        _csv(
            out / "sector_pairs.csv",
            [
                "source",
                "target",
                "shared_communities",
                "shared_stakeholders",
                "ties",
                "jaccard",
                "observed_expected",
            ],
            [
                (
                    p.source,
                    p.target,
                    p.communities,
                    p.stakeholders,
                    p.ties,
                    p.jaccard,
                    p.observed_expected,
                )
                for p in cross.pairs
            ],
        ),
        _csv(
            out / "sectors.csv",
            ["sector", "stakeholders", "communities", "internal_ties", "external_ties", "ei_index"],
            [
                (
                    s.sector,
                    s.stakeholders,
                    s.communities,
                    s.internal_ties,
                    s.external_ties,
                    s.ei_index,
                )
                for s in cross.scores
            ],
        ),
        _csv(
            out / "stakeholders.csv",
            ["stakeholder", "sector", "betweenness", "cluster", *EGO_COLUMNS],
            [_stakeholder_row(results, org, by_org) for org in sorted(results.network.memberships)],
        ),
        _csv(
            out / "regions.csv",
            ["region", "stakeholders", "helix_sector_synergy_bits", "contribution_bits"],
            [
                (r.region, r.stakeholders, r.mutual_information, r.weighted)
                for r in results.synergy.regions
            ],
        ),
        _csv(
            out / "types.csv",
            ["type", "stakeholders", "participations", "share"],
            [(t.type, t.stakeholders, t.participations, t.share) for t in gaps.types],
        ),
        _csv(
            out / "coverage.csv",
            ["learning_function", "innovation_phase", "communities"],
            [(c.learning_function, c.innovation_phase, c.communities) for c in gaps.coverage],
        ),
        _csv(out / "gaps.csv", ["kind", "subject", "detail"], _gap_rows(results)),
    ]


def _stakeholder_row(results: Results, org: str, by_org: Mapping[str, object]) -> list[object]:
    b = by_org.get(org)
    ego = [None if b is None else getattr(b, k) for k in EGO_COLUMNS]
    return [
        org,
        results.network.stakeholders[org].sector,
        results.betweenness.values.get(org),
        results.clustering.membership.get(org),
        *ego,
    ]


def _gap_rows(results: Results) -> Iterable[tuple[str, str, str]]:
    gaps = results.gaps
    yield from (("unbridged-sector-pair", s, t) for s, t in gaps.unbridged_pairs)
    yield from (("absent-type", t, "") for t in gaps.absent_types)
    yield from (
        ("uncovered-cell", c.learning_function, c.innovation_phase)
        for c in gaps.coverage
        if c.communities == 0
    )
    yield from (
        ("seed-observation", c.type, f"share={c.share:.4f} confirmed={ok}")
        for c, ok in gaps.seed_observations
    )


def attributed_graph(results: Results) -> nx.Graph:
    """The bipartite graph with flat, GraphML/GEXF-safe node attributes (no None values)."""
    graph = nx.Graph(results.network.graph)
    network = results.network
    for node, data in graph.nodes(data=True):
        data["label"] = network.label(node)
        person = network.stakeholders.get(node) if data.get("bipartite") == 0 else None
        sectors = person.sectors if person else network.community_sectors.get(node, ())
        data["sector"] = ";".join(sectors)
        if person is not None:
            data.update(
                helix=person.helix or "",
                region=person.region or "",
                betweenness=results.betweenness.values.get(node, 0.0),
                cluster=results.clustering.membership.get(node, -1),
            )
    return graph


def write_graphs(results: Results, out: Path) -> list[Path]:
    graph = attributed_graph(results)
    nx.write_graphml(graph, out / "network.graphml")
    nx.write_gexf(graph, out / "network.gexf")
    return [out / "network.graphml", out / "network.gexf"]


def _save(figure: Figure, out: Path, name: str) -> list[Path]:
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    for path in paths:
        figure.savefig(path, bbox_inches="tight", dpi=120)
    plt.close(figure)
    return paths


def write_figures(results: Results, out: Path, max_nodes: int) -> list[Path]:
    return (
        _save(sector_heatmap(results), out, "sector_heatmap")
        + _save(network_figure(results, max_nodes), out, "network")
        + _save(brokers_figure(results), out, "brokers")
    )


def sector_heatmap(results: Results) -> Figure:
    """Shared communities per sector pair (Jaccard as colour, the count written in each cell)."""
    sectors = results.cross.sectors
    labels = [results.network.label(s) for s in sectors]
    grid = [[results.cross.pair(s, t).jaccard for t in sectors] for s in sectors]
    figure, axes = plt.subplots(figsize=(1 + 0.6 * len(sectors), 1 + 0.5 * len(sectors)))
    image = axes.imshow(grid or [[0.0]], cmap="viridis", vmin=0, vmax=1)
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    for i, s in enumerate(sectors):
        for j, t in enumerate(sectors):
            axes.text(
                j,
                i,
                str(results.cross.pair(s, t).communities),
                ha="center",
                va="center",
                color="white",
                fontsize=7,
            )
    figure.colorbar(image, label="Jaccard of shared learning communities")
    axes.set_title("Cross-pollination between sectors")
    return figure


def network_figure(results: Results, max_nodes: int) -> Figure:
    """The bipartite network (top `max_nodes` by degree), stakeholders coloured by sector."""
    graph = results.network.graph
    top = sorted(graph.degree, key=lambda nd: (-nd[1], nd[0]))[:max_nodes]
    sub = graph.subgraph(n for n, _ in top)
    position = nx.spring_layout(sub, seed=1)
    sectors = results.cross.sectors
    palette = plt.get_cmap("tab20")
    colour = {s: palette(i % 20) for i, s in enumerate(sectors)}
    people = results.network.stakeholders
    colours = [
        colour.get(people[n].sector or "", "lightgrey") if n in people else "black" for n in sub
    ]
    figure, axes = plt.subplots(figsize=(9, 9))
    nx.draw_networkx_edges(sub, position, ax=axes, alpha=0.15, width=0.5)
    nx.draw_networkx_nodes(sub, position, ax=axes, node_size=18, node_color=colours)
    axes.set_title(
        f"Participation network ({sub.number_of_nodes()} of {len(graph)} nodes; "
        "black: learning communities)"
    )
    axes.axis("off")
    return figure


def brokers_figure(results: Results, top: int = 20) -> Figure:
    """The stakeholders with the highest betweenness."""
    ranked = sorted(results.betweenness.values.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    figure, axes = plt.subplots(figsize=(8, 0.35 * max(len(ranked), 1) + 1))
    axes.barh(
        [results.network.label(o) for o, _ in reversed(ranked)], [v for _, v in reversed(ranked)]
    )
    sample = results.betweenness.sample
    axes.set_xlabel("betweenness" + ("" if sample is None else f" (sampled, k={sample})"))
    axes.set_title("Brokers")
    return figure

"""Who bridges sectors: Gould-Fernandez brokerage, Burt's constraint, effective size, betweenness.

The ego measures work on the stakeholder projection (two stakeholders are tied when they
share a community, weighted by how many they share) without ever building it: each ego
network is cut out of the sparse stakeholder × community incidence matrix B as A·Aᵀ. That
keeps memory flat on a graph whose projection would have tens of millions of edges.

Ties are undirected, so Gould & Fernandez's gatekeeper and representative roles cannot be
told apart; they are counted together as `gatekeeper_representative` (docs/analysis.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from lcgraph.analysis.network import Network

Roles = tuple[int | None, int | None, int | None, int | None]


@dataclass(frozen=True)
class Brokerage:
    """One stakeholder's ego measures; role counts are None when it has no sector."""

    stakeholder: str
    coordinator: int | None
    itinerant: int | None
    gatekeeper_representative: int | None
    liaison: int | None
    constraint: float | None
    effective_size: float | None
    sampled_neighbours: int | None = None  # None: exact; else neighbours the ties were counted on

    @property
    def total(self) -> int | None:
        """Every open pair it brokers between stakeholders with a sector."""
        if self.coordinator is None:
            return None
        return sum(
            (
                self.coordinator,
                self.itinerant or 0,
                self.gatekeeper_representative or 0,
                self.liaison or 0,
            )
        )

    @property
    def role(self) -> str | None:
        """The role with the highest count (ties: the order of the five roles); None if none."""
        counts = {
            "coordinator": self.coordinator,
            "itinerant": self.itinerant,
            "gatekeeper-representative": self.gatekeeper_representative,
            "liaison": self.liaison,
        }
        best = max(counts, key=lambda k: counts[k] or 0)
        return best if counts[best] else None


@dataclass(frozen=True)
class Betweenness:
    """Betweenness of the stakeholders in the bipartite graph; `sample` None means exact."""

    values: dict[str, float]
    sample: int | None


class Incidence:
    """The stakeholder × community incidence matrix and the lookups the ego measures need."""

    def __init__(self, network: Network) -> None:
        self.orgs = sorted(network.memberships)
        self.index = {o: i for i, o in enumerate(self.orgs)}
        communities = sorted(network.members)
        column = {c: j for j, c in enumerate(communities)}
        rows = [self.index[o] for o in self.orgs for _ in network.memberships[o]]
        cols = [column[c] for o in self.orgs for c in network.memberships[o]]
        ones = np.ones(len(rows), dtype=np.int32)
        self.by_org = sp.csr_matrix((ones, (rows, cols)), shape=(len(self.orgs), len(communities)))
        self.by_community = self.by_org.T.tocsr()
        sizes = np.asarray(self.by_org.sum(axis=0)).ravel()
        self.strength = self.by_org @ (sizes - 1).astype(np.float64)  # weighted degree
        sectors = network.sectors
        position = {s: k for k, s in enumerate(sectors)}
        self.groups = np.array(
            [position.get(network.stakeholders[o].sector or "", -1) for o in self.orgs]
        )
        self.group_count = len(sectors)

    def neighbours(self, i: int) -> np.ndarray:
        """Indices of the stakeholders sharing a community with stakeholder i (not i)."""
        communities = self.by_org.indices[self.by_org.indptr[i] : self.by_org.indptr[i + 1]]
        found: np.ndarray = np.unique(self.by_community[communities].indices)
        neighbours: np.ndarray = found[found != i]
        return neighbours


def ego_measures(incidence: Incidence, org: str, max_ego: int = 0, seed: int = 0) -> Brokerage:
    """Gould-Fernandez counts, Burt's constraint and effective size of one stakeholder.

    Constraint is exact. Role counts and effective size are exact for egos of up to
    `max_ego` neighbours (0: no limit); in larger egos the ties among neighbours are
    counted on `max_ego` neighbours drawn with `seed`, and the closed-pair counts are
    scaled per sector pair (`sampled_neighbours` says so).
    """
    i = incidence.index[org]
    nbrs = incidence.neighbours(i)
    if len(nbrs) == 0:
        return Brokerage(org, *_roles(incidence, i, nbrs, nbrs, None), None, None)
    sample = nbrs
    if 0 < max_ego < len(nbrs):
        rng = np.random.default_rng([seed, i])
        sample = np.sort(rng.choice(nbrs, size=max_ego, replace=False))
    ego = incidence.by_org[sample]
    shared = (ego @ ego.T).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    n, m = len(nbrs), len(sample)
    ties = shared.nnz / 2 * (n * (n - 1)) / (m * (m - 1)) if m > 1 else 0.0
    effective = n - 2 * ties / n  # Borgatti: n - 2t/n
    return Brokerage(
        org,
        *_roles(incidence, i, nbrs, sample, shared),
        _constraint(incidence, i, nbrs),
        float(effective),
        None if m == n else m,
    )


def _constraint(incidence: Incidence, i: int, nbrs: np.ndarray) -> float:
    """Burt's constraint Σ_j (p_ij + Σ_q p_iq p_qj)², with A·(Aᵀ·v): no ego matrix needed."""
    ego = incidence.by_org[nbrs]
    weights = np.asarray((ego @ incidence.by_org[i].T).todense()).ravel().astype(np.float64)
    p = weights / weights.sum()
    v = p / incidence.strength[nbrs]
    own = np.asarray(ego.sum(axis=1)).ravel()  # the diagonal of A·Aᵀ: communities per neighbour
    indirect = ego @ (ego.T @ v) - own * v
    return float(np.sum((p + indirect) ** 2))


def _roles(
    incidence: Incidence, i: int, nbrs: np.ndarray, sample: np.ndarray, shared: sp.csr_matrix | None
) -> Roles:
    """(coordinator, itinerant, gatekeeper_representative, liaison) open-pair counts."""
    broker, size = int(incidence.groups[i]), incidence.group_count
    if broker < 0:
        return (None, None, None, None)
    open_pairs = _open_pairs(incidence.groups[nbrs], incidence.groups[sample], shared, size)
    others = [g for g in range(size) if g != broker]
    return (
        int(open_pairs[broker, broker]),
        int(sum(open_pairs[g, g] for g in others)),
        int(sum(open_pairs[min(broker, g), max(broker, g)] for g in others)),
        int(sum(open_pairs[g, h] for g in others for h in others if g < h)),
    )


def _pair_counts(groups: np.ndarray, size: int) -> np.ndarray:
    counts = np.bincount(groups[groups >= 0], minlength=size).astype(np.int64)
    pairs = np.outer(counts, counts)
    np.fill_diagonal(pairs, counts * (counts - 1) // 2)
    return np.triu(pairs)


def _open_pairs(
    groups: np.ndarray, sampled: np.ndarray, shared: sp.csr_matrix | None, size: int
) -> np.ndarray:
    """Unordered neighbour pairs that are not tied, per (group, group), upper triangle.

    Closed pairs are counted among the `sampled` neighbours and scaled per cell by
    all pairs / sampled pairs (exact when the sample is every neighbour).
    """
    pairs = _pair_counts(groups, size)
    if shared is None or not shared.nnz:
        return pairs
    tied = sp.triu(shared, k=1).tocoo()
    g, h = sampled[tied.row], sampled[tied.col]
    keep = (g >= 0) & (h >= 0)
    low, high = np.minimum(g[keep], h[keep]), np.maximum(g[keep], h[keep])
    closed = np.bincount(low * size + high, minlength=size * size).reshape(size, size)
    if len(sampled) != len(groups):
        possible = _pair_counts(sampled, size)
        scale = np.divide(pairs, possible, out=np.zeros(pairs.shape), where=possible > 0)
        closed = np.rint(closed * scale).astype(np.int64)
    return np.maximum(pairs - closed, 0)


def brokerage(
    network: Network, orgs: list[str], max_ego: int = 0, seed: int = 0
) -> list[Brokerage]:
    """Ego measures of `orgs` (stakeholders of `network`), in the order given."""
    incidence = Incidence(network)
    return [ego_measures(incidence, org, max_ego, seed) for org in orgs]


def betweenness(network: Network, exact_max_nodes: int, samples: int, seed: int) -> Betweenness:
    """Normalised betweenness in the bipartite graph: exact up to `exact_max_nodes` nodes,
    else estimated from `samples` source nodes drawn with `seed` (Brandes & Pich 2007)."""
    graph = network.graph
    k = None if graph.number_of_nodes() <= exact_max_nodes else min(samples, len(graph))
    values = nx.betweenness_centrality(graph, k=k, seed=seed)
    return Betweenness({o: values[o] for o in network.memberships}, k)


def brokers_to_measure(
    network: Network, between: Betweenness, exact_max: int, sample: int
) -> list[str]:
    """Every stakeholder up to `exact_max` of them, else the `sample` highest in betweenness."""
    orgs = sorted(network.memberships)
    if len(orgs) <= exact_max:
        return orgs
    return sorted(orgs, key=lambda o: (-between.values[o], o))[:sample]

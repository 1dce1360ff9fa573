"""Cross-pollination between sectors, computed by counting (never by projecting the graph).

Three sector × sector matrices (docs/analysis.md gives the formulas):
- `communities[s][t]`: learning communities in which both s and t are present (a sector is
  present in a community when a member has it or the community itself has it);
- `stakeholders[s][t]`: stakeholders that have both sectors;
- `ties[s][t]`: co-membership ties between members whose primary sectors are s and t, i.e.
  the edge weights of the stakeholder projection summed per sector pair (a pair of
  stakeholders sharing two communities counts twice). The diagonal holds internal ties.
From them: Jaccard of the community sets, observed/expected ties, and Krackhardt's E-I index.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations_with_replacement

from lcgraph.analysis.network import Network

Matrix = dict[tuple[str, str], int]


@dataclass(frozen=True)
class SectorPair:
    """One cell of the sector matrices, for an ordered pair (the matrices are symmetric)."""

    source: str
    target: str
    communities: int
    stakeholders: int
    ties: int
    jaccard: float
    observed_expected: float | None


@dataclass(frozen=True)
class SectorScore:
    """One sector's ties and Krackhardt & Stern's E-I index, (E - I) / (E + I)."""

    sector: str
    stakeholders: int
    communities: int
    internal_ties: int
    external_ties: int
    ei_index: float | None


@dataclass(frozen=True)
class CrossPollination:
    sectors: list[str]
    pairs: list[SectorPair]
    scores: list[SectorScore]
    ei_index: float | None  # the whole network's E-I index over all ties

    def pair(self, source: str, target: str) -> SectorPair:
        return next(p for p in self.pairs if p.source == source and p.target == target)

    def score(self, sector: str) -> SectorScore:
        return next(s for s in self.scores if s.sector == sector)


def community_matrix(network: Network) -> Matrix:
    """Communities in which both sectors are present; the diagonal counts presence."""
    counts: Matrix = Counter()
    for community, members in network.members.items():
        present = set(network.community_sectors.get(community, ()))
        for org in members:
            present.update(network.stakeholders[org].sectors)
        _add_pairs(counts, sorted(present))
    return counts


def stakeholder_matrix(network: Network) -> Matrix:
    """Participating stakeholders having both sectors; the diagonal counts each sector."""
    counts: Matrix = Counter()
    for org in network.memberships:
        _add_pairs(counts, sorted(network.stakeholders[org].sectors))
    return counts


def tie_matrix(network: Network) -> Matrix:
    """Co-membership ties per primary-sector pair: n_s·n_t per community, n_s(n_s-1)/2 inside."""
    counts: Matrix = Counter()
    for members in network.members.values():
        per_sector = Counter(
            s for s in (network.stakeholders[o].sector for o in members) if s is not None
        )
        for s, t in combinations_with_replacement(sorted(per_sector), 2):
            n = per_sector[s] * (per_sector[t] if s != t else per_sector[s] - 1)
            counts[s, t] += n if s != t else n // 2
    return counts


def _add_pairs(counts: Matrix, sectors: list[str]) -> None:
    for s, t in combinations_with_replacement(sectors, 2):
        counts[s, t] += 1


def _cell(matrix: Matrix, s: str, t: str) -> int:
    return matrix.get((s, t), 0) or matrix.get((t, s), 0)


def cross_pollination(network: Network) -> CrossPollination:
    """All sector matrices and per-sector E-I scores of `network`."""
    sectors = network.sectors
    communities, stakeholders = community_matrix(network), stakeholder_matrix(network)
    ties = tie_matrix(network)
    ends = {s: sum(_cell(ties, s, t) * (2 if s == t else 1) for t in sectors) for s in sectors}
    total_ends = sum(ends.values())
    pairs = []
    for s in sectors:
        for t in sectors:
            shared, union = _cell(communities, s, t), _cell(communities, s, s)
            union += _cell(communities, t, t) - shared if s != t else 0
            observed = _cell(ties, s, t) * (2 if s == t else 1)
            expected = ends[s] * ends[t] / total_ends if total_ends else 0.0
            pairs.append(
                SectorPair(
                    s,
                    t,
                    shared,
                    _cell(stakeholders, s, t),
                    _cell(ties, s, t),
                    shared / union if union else 0.0,
                    observed / expected if expected else None,
                )
            )
    scores = [_score(s, sectors, communities, stakeholders, ties) for s in sectors]
    internal = sum(_cell(ties, s, s) for s in sectors)
    external = sum(
        _cell(ties, s, t) for s, t in combinations_with_replacement(sectors, 2) if s != t
    )
    return CrossPollination(sectors, pairs, scores, ei_index(external, internal))


def _score(
    s: str, sectors: list[str], communities: Matrix, stakeholders: Matrix, ties: Matrix
) -> SectorScore:
    internal = _cell(ties, s, s)
    external = sum(_cell(ties, s, t) for t in sectors if t != s)
    return SectorScore(
        s,
        _cell(stakeholders, s, s),
        _cell(communities, s, s),
        internal,
        external,
        ei_index(external, internal),
    )


def ei_index(external: int, internal: int) -> float | None:
    """Krackhardt & Stern (1988): (E - I) / (E + I), in [-1, 1]; None without ties."""
    total = external + internal
    return (external - internal) / total if total else None

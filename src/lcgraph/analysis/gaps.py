"""Where cross-pollination is missing: unbridged sector pairs, absent stakeholder types,
uncovered learning function × innovation phase cells, and the seed text's own observations.

The seed (HCA research agenda 2017) observes that research organisations and commercial
training providers are missing from the learning communities; `seed_observations` shows
what the data say about that: their share of participations, "confirmed" under 5 %.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lcgraph.analysis.crosspollination import CrossPollination
from lcgraph.analysis.network import Network
from lcgraph.iris import LC

SEED_OBSERVED_MISSING = (LC + "ResearchOrganisation", LC + "CommercialTrainingProvider")
CONFIRMED_BELOW_SHARE = 0.05


@dataclass(frozen=True)
class TypeCount:
    """Participations and participating stakeholders of one organisation class (with subclasses)."""

    type: str
    stakeholders: int
    participations: int
    share: float  # of all participations


@dataclass(frozen=True)
class CoverageCell:
    learning_function: str
    innovation_phase: str
    communities: int


@dataclass(frozen=True)
class Gaps:
    unbridged_pairs: list[tuple[str, str]]
    types: list[TypeCount]  # every organisation class
    absent_types: list[str]  # leaf classes with no participation
    coverage: list[CoverageCell]
    seed_observations: list[tuple[TypeCount, bool]]  # (count, confirmed)


def gaps(network: Network, cross: CrossPollination) -> Gaps:
    types = type_counts(network)
    leaves = [c for c, subs in network.organisation_classes.items() if not subs]
    by_type = {t.type: t for t in types}
    return Gaps(
        unbridged_pairs=[
            (p.source, p.target)
            for p in cross.pairs
            if p.source < p.target and p.communities == 0 and p.stakeholders == 0
        ],
        types=types,
        absent_types=sorted(c for c in leaves if by_type[c].participations == 0),
        coverage=coverage(network),
        seed_observations=[
            (by_type[c], by_type[c].share < CONFIRMED_BELOW_SHARE)
            for c in SEED_OBSERVED_MISSING
            if c in by_type
        ],
    )


def _descendants(tree: dict[str, set[str]], root: str) -> set[str]:
    found, todo = {root}, [root]
    while todo:
        for sub in tree.get(todo.pop(), set()) - found:
            found.add(sub)
            todo.append(sub)
    return found


def type_counts(network: Network) -> list[TypeCount]:
    """Participation counts of every organisation class in the ontology, subclasses included."""
    total = sum(len(c) for c in network.memberships.values())
    per_type = Counter[str]()
    orgs_per_type = Counter[str]()
    for org, communities in network.memberships.items():
        kind = network.stakeholders[org].type
        if kind is not None:
            per_type[kind] += len(communities)
            orgs_per_type[kind] += 1
    counts = []
    for cls in sorted(network.organisation_classes):
        family = _descendants(network.organisation_classes, cls)
        participations = sum(per_type[c] for c in family)
        counts.append(
            TypeCount(
                cls,
                sum(orgs_per_type[c] for c in family),
                participations,
                participations / total if total else 0.0,
            )
        )
    return counts


def coverage(network: Network) -> list[CoverageCell]:
    """Communities per (learning function, innovation phase), every cell of both schemes."""
    counts = Counter[tuple[str, str]]()
    for functions, phases in network.facets.values():
        for f in functions:
            for p in phases:
                counts[f, p] += 1
    all_functions = sorted(
        network.concepts.get("learning-function", set()) | {f for f, _ in counts}
    )
    all_phases = sorted(network.concepts.get("innovation-phase", set()) | {p for _, p in counts})
    return [CoverageCell(f, p, counts[f, p]) for f in all_functions for p in all_phases]

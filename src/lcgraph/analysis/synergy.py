"""Triple-helix synergy: Leydesdorff's mutual information among helix, sector and region.

T(h,s,r) = H(h) + H(s) + H(r) − H(h,s) − H(h,r) − H(s,r) + H(h,s,r), in bits, over the
stakeholders with all three known (Leydesdorff 2003; Leydesdorff & Strand 2013). Negative
values mean synergy: the three dimensions together reduce uncertainty more than their pairs.
Within one region the geographical dimension is constant, so the regional value is the
two-dimensional T(h,s) = H(h) + H(s) − H(h,s) ≥ 0; its contribution to the national value
is weighted by the region's share of stakeholders, n_r / N.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from lcgraph.analysis.network import Network


@dataclass(frozen=True)
class RegionSynergy:
    region: str
    stakeholders: int
    mutual_information: float  # T(helix, sector) in bits
    weighted: float  # n_r / N · T(helix, sector)


@dataclass(frozen=True)
class Synergy:
    stakeholders: int  # with helix, sector and region known
    helix_sector_region: float | None
    helix_sector: float | None
    regions: list[RegionSynergy]


def entropy(values: Sequence[Hashable]) -> float:
    """Shannon entropy in bits of the distribution of `values`."""
    n = len(values)
    return -sum(c / n * math.log2(c / n) for c in Counter(values).values()) if n else 0.0


def transmission(*dimensions: Sequence[Hashable]) -> float:
    """Leydesdorff's T over two or three aligned dimensions (mutual information in bits)."""
    if len(dimensions) == 2:
        u, v = dimensions
        return entropy(u) + entropy(v) - entropy(list(zip(u, v, strict=True)))
    u, v, w = dimensions

    def pair(x: Sequence[object], y: Sequence[object]) -> list[tuple[object, object]]:
        return list(zip(x, y, strict=True))

    return (
        entropy(u)
        + entropy(v)
        + entropy(w)
        - entropy(pair(u, v))
        - entropy(pair(u, w))
        - entropy(pair(v, w))
        + entropy(list(zip(u, v, w, strict=True)))
    )


def synergy(network: Network) -> Synergy:
    """National T(helix, sector, region) and each region's T(helix, sector)."""
    rows = [
        (s.helix, s.sector, s.region)
        for o in network.memberships
        if (s := network.stakeholders[o]).helix and s.sector and s.region
    ]
    if not rows:
        return Synergy(0, None, None, [])
    helix, sector, region = (list(col) for col in zip(*rows, strict=True))
    by_region: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for h, sec, r in rows:
        by_region[str(r)].append((str(h), str(sec)))
    regions = []
    for name in sorted(by_region):
        members = by_region[name]
        t = transmission([h for h, _ in members], [s for _, s in members])
        regions.append(RegionSynergy(name, len(members), t, len(members) / len(rows) * t))
    return Synergy(
        len(rows), transmission(helix, sector, region), transmission(helix, sector), regions
    )

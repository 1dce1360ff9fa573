"""The results of one analysis run, as plain values that writeback and export both read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lcgraph.analysis.brokerage import Betweenness, Brokerage
from lcgraph.analysis.communities import Clustering
from lcgraph.analysis.crosspollination import CrossPollination
from lcgraph.analysis.gaps import Gaps
from lcgraph.analysis.network import Network
from lcgraph.analysis.synergy import Synergy


@dataclass
class Results:
    """Everything one run computed, with the run's identity and parameters."""

    run_id: str
    started: datetime
    revision: str | None
    parameters: dict[str, Any]
    network: Network
    cross: CrossPollination
    betweenness: Betweenness
    brokers: list[Brokerage]
    clustering: Clustering
    synergy: Synergy
    gaps: Gaps
    ended: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Sizes of the network that was analysed."""
        return {
            "stakeholders": len(self.network.memberships),
            "communities": len(self.network.members),
            "participations": self.network.graph.number_of_edges(),
        }

"""Records joined into organisations: links applied in order of strength, with their evidence.

A `Link` says two records are one organisation, by which rule and with what score. Links
are applied strongest first (steward decisions, identifiers, name with municipality, the
matcher); a link that would join two records a steward declared different is refused, so
"not same" wins over everything the matcher finds. The joins that were made are the
evidence the provenance graph keeps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from lcgraph.stakeholders.records import Key, OrgRecord

# How strong each rule is: links are applied in this order (docs/reconciliation.md).
RULES = (
    "steward",
    "identifier",
    "curated-id",
    "name+municipality",
    "same-source",
    "name-unique",
    "matcher",
)


@dataclass(frozen=True)
class Link:
    """Two records taken as one organisation, and why."""

    a: Key
    b: Key
    rule: str  # one of RULES
    score: float  # 1 for identifiers and stewards; the match weight for names
    detail: str  # what was compared: the shared identifier, the names, the decisions line


# One organisation has one code in each of these registries: two codes mean two organisations,
# never joined but by a steward. (DUO's institution codes are not among them: its list keeps
# the codes of closed institutions, so one name may have several.)
# A steward's ids (organisations.csv) are such codes too: two ids are two organisations.
EXCLUSIVE = ("ror", "brin", "kvk", "openalex", "curated")


class Clusters:
    """Union-find over records that never joins two records kept apart by a steward, nor
    (but by a steward's decision) two organisations with different codes in one registry."""

    def __init__(self, records: Iterable[OrgRecord], apart: Iterable[tuple[Key, Key]] = ()) -> None:
        self._parent: dict[Key, Key] = {}
        self._members: dict[Key, list[Key]] = {}
        self._codes: dict[Key, set[tuple[str, str]]] = {}
        self._places: dict[Key, set[str]] = {}
        self._reference: dict[Key, bool] = {}  # only reference records (DUO's school codes)
        for r in records:
            self._parent[r.key] = r.key
            self._members[r.key] = [r.key]
            self._codes[r.key] = set(r.identifiers)
            if r.curated_id:
                self._codes[r.key].add(("curated", r.curated_id))
            self._places[r.key] = {r.municipality} if r.municipality else set()
            self._reference[r.key] = r.reference_only
        self._apart: dict[Key, set[Key]] = defaultdict(set)  # root -> keys it must not join
        for a, b in apart:
            self._apart[a].add(b)
            self._apart[b].add(a)
        self.joins: list[Link] = []
        self.refused: list[Link] = []

    def root(self, key: Key) -> Key:
        parent = self._parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(self, link: Link) -> bool:
        """Join the two records' organisations; False when they are one already or kept apart."""
        ra, rb = self.root(link.a), self.root(link.b)
        if ra == rb:
            return False
        if self._kept_apart(ra, rb) or (
            link.rule != "steward" and self._codes_differ(ra, rb, EXCLUSIVE)
        ):
            self.refused.append(link)
            return False
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))
        self._apart[ra] |= self._apart.pop(rb, set())
        self._codes[ra] |= self._codes.pop(rb)
        self._places[ra] |= self._places.pop(rb)
        self._reference[ra] = self._reference[ra] and self._reference.pop(rb)
        self.joins.append(link)
        return True

    def _kept_apart(self, ra: Key, rb: Key) -> bool:
        if not (self._apart.get(ra) or self._apart.get(rb)):
            return False
        small, other = (ra, rb) if len(self._apart[ra]) <= len(self._apart[rb]) else (rb, ra)
        return any(self.root(k) == other for k in self._apart[small])

    def _codes_differ(self, ra: Key, rb: Key, schemes: Iterable[str] | None = None) -> bool:
        """Both have codes of one scheme (of `schemes`; None: any) and none in common."""
        a, b = self._codes[ra], self._codes[rb]
        shared = {s for s, _ in a} & {s for s, _ in b}
        if schemes is not None:
            shared &= set(schemes)
        return any(not {v for t, v in a if t == s} & {v for t, v in b if t == s} for s in shared)

    def reference_only(self, key: Key) -> bool:
        """The organisation of `key` has only reference records so far."""
        return self._reference[self.root(key)]

    def incompatible(self, a: Key, b: Key) -> bool:
        """Two organisations that cannot be one: kept apart, or other codes of one scheme (any
        scheme: DUO's codes of two names are two institutions)."""
        ra, rb = self.root(a), self.root(b)
        if self._kept_apart(ra, rb):
            return True
        return bool(self._codes[ra] and self._codes[rb] and self._codes_differ(ra, rb))

    def conflict(self, a: Key, b: Key) -> bool:
        """Two organisations that are not both a candidate for one record: incompatible, or
        in other municipalities."""
        pa, pb = self._places[self.root(a)], self._places[self.root(b)]
        return bool(pa and pb and not pa & pb) or self.incompatible(a, b)

    def groups(self) -> list[list[Key]]:
        """Every organisation's record keys, sorted, the organisations in a stable order."""
        return sorted(sorted(members) for members in self._members.values())


def apply(clusters: Clusters, links: Iterable[Link]) -> None:
    """Apply `links` strongest rule first, and within a rule the highest score first."""
    order = {rule: i for i, rule in enumerate(RULES)}
    for link in sorted(links, key=lambda link: (order[link.rule], -link.score)):
        clusters.join(link)

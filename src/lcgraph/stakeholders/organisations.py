"""From groups of records to organisations: one Dutch name and one stable, readable slug each.

The name (skos:prefLabel@nl) is the most authoritative record's: a steward's record
(organisations.csv) first; then records of sources that are not reference-only (DUO's
school-code list writes names cut at 30 characters); then a name in mixed case before one in
capitals; then by the identifiers a record carries in the order of `records.SCHEMES` (the
Dutch registers DUO/BRIN and KvK, then SIA, then ROR, OpenAlex, OpenAIRE, then none); then
the first record by file and fragment. The slug is a steward's id where there
is one, else the words of that name (`hogeschool-utrecht`); two organisations that would get
one slug are told apart by municipality, then identifier, then a counter, in the stable order
of their records, so the same sources give the same slugs in every build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lcgraph.stakeholders.clusters import Link
from lcgraph.stakeholders.names import slug_of
from lcgraph.stakeholders.records import SCHEMES, Key, OrgRecord

_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass
class Organisation:
    """One real organisation: its records, its name, its slug and the joins that made it."""

    records: list[OrgRecord]
    label: OrgRecord  # the record whose name is the organisation's skos:prefLabel@nl
    slug: str = ""
    joins: list[Link] = field(default_factory=list)

    @property
    def reference_only(self) -> bool:
        """Only reference records (DUO's school codes): no other source names it."""
        return all(r.reference_only for r in self.records)

    @property
    def types(self) -> list[str]:
        return sorted({t for r in self.records for t in r.types})

    @property
    def keys(self) -> list[Key]:
        return [r.key for r in self.records]


def authority(record: OrgRecord) -> tuple[int, int, int, int, str, str]:
    """Sort key: the most authoritative record for the organisation's name comes first."""
    ranks = [SCHEMES.index(scheme) for scheme, _ in record.identifiers]
    return (
        int(record.curated_id is None),
        int(record.reference_only),
        int(record.name.isupper()),
        min(ranks, default=len(SCHEMES)),
        record.file,
        record.fragment,
    )


def organisations(
    groups: Iterable[list[Key]], records: dict[Key, OrgRecord], joins: list[Link]
) -> list[Organisation]:
    """One Organisation per group, with its joins, slugs assigned."""
    orgs = []
    for keys in groups:
        members = sorted((records[k] for k in keys), key=authority)
        orgs.append(Organisation(records=members, label=members[0]))
    owner = {key: org for org in orgs for key in org.keys}
    for link in joins:
        owner[link.a].joins.append(link)
    assign_slugs(orgs)
    return orgs


def assign_slugs(orgs: list[Organisation]) -> None:
    """Curated ids as they are; the others from their name, told apart where they clash."""
    taken: set[str] = set()
    for org in orgs:
        curated = sorted({r.curated_id for r in org.records if r.curated_id})
        if curated:
            org.slug = curated[0]
            taken.add(org.slug)
    # Of two organisations with one name, the one named by the more authoritative record
    # gets the bare slug (a registry's entry before an EU beneficiary's spelling).
    for org in sorted(orgs, key=lambda o: (slug_of(o.label.name), authority(o.label), o.keys)):
        if org.slug:
            continue
        base = slug_of(org.label.name)
        for candidate in _candidates(base, org):
            if candidate not in taken:
                org.slug = candidate
                taken.add(candidate)
                break


def _candidates(base: str, org: Organisation) -> Iterable[str]:
    yield base
    places = sorted({r.municipality for r in org.records if r.municipality})
    if places:
        yield f"{base}-{places[0]}"
    for _, value in sorted({i for r in org.records for i in r.identifiers}):
        yield f"{base}-{_UNSAFE.sub('-', value.lower()).strip('-')}"
    n = 2
    while True:
        yield f"{base}-{n}"
        n += 1

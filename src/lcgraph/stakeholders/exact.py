"""The deterministic rules: a shared identifier, a shared curated id, the same name in one place.

These need no model: two records that carry the same ROR id (or BRIN code, ...) are one
organisation, and so are two whose normalised names are equal and whose municipalities are
the same. An identifier given to two clearly different names is an error naming both
records (`lcgraph.stakeholders.conflicts`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator

from lcgraph.stakeholders.clusters import Link
from lcgraph.stakeholders.names import normalised
from lcgraph.stakeholders.records import OrgRecord


def _star(
    records: Iterable[OrgRecord],
    keys_of: Callable[[OrgRecord], Iterable[Hashable]],
    rule: str,
    detail: Callable[[Hashable], str],
) -> Iterator[Link]:
    """One link from the first record of each group to each other record of the group."""
    groups: dict[Hashable, list[OrgRecord]] = defaultdict(list)
    for record in records:
        for key in keys_of(record):
            groups[key].append(record)
    for key, members in groups.items():
        first = members[0]
        for other in members[1:]:
            yield Link(first.key, other.key, rule, 1.0, detail(key))


def identifier_links(records: list[OrgRecord]) -> Iterator[Link]:
    """Records that carry the same identifier of the same scheme."""
    return _star(
        records,
        lambda r: r.identifiers,
        "identifier",
        lambda k: "{} {}".format(*k),  # type: ignore[misc]
    )


def curated_links(records: list[OrgRecord]) -> Iterator[Link]:
    """Records that carry the same steward's id (organisations.csv)."""
    return _star(
        records,
        lambda r: [r.curated_id] if r.curated_id else [],
        "curated-id",
        lambda k: f"id {k}",
    )


def name_place_links(records: list[OrgRecord]) -> Iterator[Link]:
    """Records with the same normalised name (or alias) and the same municipality."""
    return _star(
        records,
        lambda r: {(n, r.municipality) for n in map(normalised, r.names) if n and r.municipality},
        "name+municipality",
        lambda k: "name {!r} in municipality {}".format(*k),  # type: ignore[misc]
    )


def same_source_links(records: list[OrgRecord]) -> Iterator[Link]:
    """Rows of one source that write one name in one place (or in none): an EU beneficiary of
    many operations. Rows of one name in two municipalities stay apart (two schools)."""
    return _star(
        records,
        lambda r: [(r.file, normalised(r.name), r.municipality)] if normalised(r.name) else [],
        "same-source",
        lambda k: "the same name {1!r} in {0}".format(*k),  # type: ignore[misc]
    )

"""An identifier that two sources give to two clearly different names is an error.

"Clearly different": no distinctive word in common among all the names and aliases of the
two records (generic words such as universiteit or gemeente do not count) and neither name
is the other's initials. `Universiteit Utrecht` and `Utrecht University` share `utrecht`;
`Hogeschool Utrecht` and `HU` are initials; `ErasmusMC` holds `erasmus`; `Gemeente Utrecht`
and `Philips` are an error, reported with both records, and a steward's `same` line in
decisions.csv settles it.
"""

from __future__ import annotations

from collections.abc import Iterable

from lcgraph.errors import Problem
from lcgraph.stakeholders.clusters import Link
from lcgraph.stakeholders.names import key_words
from lcgraph.stakeholders.records import Key, OrgRecord

GENERIC = frozenset(
    {
        "universiteit",
        "hogeschool",
        "hogescholen",
        "gemeente",
        "provincie",
        "instituut",
        "centrum",
        "medisch",
        "nederland",
        "nederlandse",
        "college",
        "academie",
        "school",
        "roc",
        "regionaal",
        "opleidingen",
        "ziekenhuis",
        "koninklijke",
        "technische",
        "sciences",
        "applied",
        "arts",
        "research",
        "group",
        "bv",
    }
)


def distinctive(record: OrgRecord) -> set[str]:
    return {w for name in record.names for w in key_words(name)} - GENERIC


def clearly_different(a: OrgRecord, b: OrgRecord) -> bool:
    """No distinctive word in common (one inside the other counts: `ErasmusMC`, `Erasmus`)."""
    words_a, words_b = distinctive(a), distinctive(b)
    if any(_within(x, y) for x in words_a for y in words_b):
        return False
    return not (_initials(a) & _names(b) or _initials(b) & _names(a))


def _within(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    return short == long or (len(short) >= 4 and short in long)


def _initials(record: OrgRecord) -> set[str]:
    return {"".join(w[0] for w in key_words(n)) for n in record.names if len(key_words(n)) > 1}


def _names(record: OrgRecord) -> set[str]:
    return {" ".join(key_words(n)) for n in record.names}


def identifier_conflicts(
    links: Iterable[Link], records: dict[Key, OrgRecord], settled: set[frozenset[Key]]
) -> list[Problem]:
    """One error per identifier link between clearly different names, unless a steward
    settled the pair (`same` in decisions.csv)."""
    problems = []
    for link in links:
        a, b = records[link.a], records[link.b]
        if frozenset((a.key, b.key)) in settled or not clearly_different(a, b):
            continue
        problems.append(
            b.problem(
                f"gives {link.detail} to another organisation than {a.file} {a.where} does",
                field=link.detail.split()[0],
                value=b.name,
                expected=f"a name of the organisation {a.name!r} ({a.file} {a.where}), "
                "or a `same` line for the two records in decisions.csv",
            )
        )
    return problems

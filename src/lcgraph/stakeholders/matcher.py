"""Name matching with Splink on DuckDB: candidate pairs by blocking, scored by Fellegi-Sunter.

Every name of every record (its name and aliases) is one row; rows are compared only inside
the blocks of `model.BLOCKING_RULES` and only between records that are not one organisation
already. The best-scoring pair of two organisations is their candidate link when it reaches
`model.THRESHOLD`. An organisation with two candidates that cannot both be right (different
municipalities, different identifiers of one registry, or not candidates of each other) is
ambiguous: it is reported and not joined, as the rule "never a merge on a name alone where
two candidates exist" asks.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from splink import DuckDBAPI, Linker

from lcgraph.stakeholders import model
from lcgraph.stakeholders.clusters import Clusters, Link
from lcgraph.stakeholders.names import key_words
from lcgraph.stakeholders.records import Key, OrgRecord

# Splink's Linker sets its logger to INFO and adds a handler unless `log_level=None`, and
# then prints "Blocking time…" / "Predict time…" on every build; a build reports its own times.
logging.getLogger("splink").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Candidate:
    """The best-scoring pair of records of two organisations."""

    a: int  # record numbers
    b: int
    weight: float
    same_name: bool
    same_place: bool


def candidates(
    records: list[OrgRecord], org_of: Callable[[Key], Key], threshold: float = model.THRESHOLD
) -> dict[tuple[Key, Key], Candidate]:
    """(organisation, organisation) -> its best candidate pair at or above `threshold`."""
    if all(r.curated_id for r in records):  # a steward's organisations are all distinct
        return {}
    rows = _rows(records, org_of)
    if len(rows["unique_id"]) < 2:
        return {}
    db = DuckDBAPI()
    linker = Linker(db.register(pa.table(rows)), model.settings(), log_level=None)
    scored = linker.inference.predict(threshold_match_weight=threshold)
    best: dict[tuple[Key, Key], Candidate] = {}
    for pair in scored.as_record_list():
        a, b = int(pair["record_l"]), int(pair["record_r"])
        if a == b:
            continue
        oa, ob = org_of(records[a].key), org_of(records[b].key)
        if oa == ob:
            continue
        if ob < oa:
            oa, ob, a, b = ob, oa, b, a
        found = Candidate(
            a,
            b,
            round(float(pair["match_weight"]), 3),
            pair["name_l"] == pair["name_r"],
            pair["municipality_l"] is not None and pair["municipality_l"] == pair["municipality_r"],
        )
        known = best.get((oa, ob))
        if known is None or (found.weight, -found.a, -found.b) > (known.weight, -known.a, -known.b):
            best[(oa, ob)] = found
    return best


def _rows(records: list[OrgRecord], org_of: Callable[[Key], Key]) -> dict[str, list[Any]]:
    """One row per name of each organisation (its records' names and aliases, once each).

    Block keys shared by more than `model.BLOCK_MAX` rows are left out (NULL), so that no
    block grows quadratic: such a key says too little to pick candidates by.
    """
    orgs: dict[Key, int] = {}
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    spread = Counter(w for r in records for w in {w for n in r.names for w in key_words(n)})
    for number, record in enumerate(records):
        org = orgs.setdefault(org_of(record.key), len(orgs))
        for name in record.names:
            words = key_words(name)
            text = " ".join(words)
            if not text or (org, text) in seen:
                continue
            seen.add((org, text))
            rare = sorted((spread[w], w) for w in set(words) if spread[w] <= model.RARE_MAX)
            rows.append(
                {
                    "unique_id": f"{number}-{len(rows)}",
                    "record": number,
                    "org": org,
                    "curated": record.curated_id is not None,
                    "name": text,
                    "words": words,
                    "word_key": " ".join(sorted(set(words))),
                    "first2": " ".join(words[:2]) if len(words) >= 2 else None,
                    "first1": _place_key(words, record.municipality),
                    "municipality": record.municipality,
                    "rare": [w for _, w in rare[: model.RARE_PER_NAME]],
                }
            )
    for key in ("first2", "first1"):
        sizes = Counter(row[key] for row in rows)
        for row in rows:
            if sizes[row[key]] > model.BLOCK_MAX:
                row[key] = None
    return {name: [row[name] for row in rows] for name in rows[0]} if rows else {"unique_id": []}


def _place_key(words: list[str], municipality: str | None) -> str | None:
    """`bakkerij ver 0344`: a typing error later in the name still meets its original."""
    if municipality is None:
        return None
    return " ".join([words[0], words[1][:3] if len(words) > 1 else "", municipality])


def links(
    records: list[OrgRecord],
    found: dict[tuple[Key, Key], Candidate],
    clusters: Clusters,
    margin: float = model.MARGIN,
) -> tuple[list[Link], list[tuple[Key, list[Key]]]]:
    """The links to make, and the organisations left ambiguous with their candidates.

    A pair of conflicting organisations (kept apart, other codes of one scheme, other
    municipalities) is no candidate: a name alone never joins two places, though it costs
    some joins (a university's seat in DUO is not always ROR's city). Each organisation
    keeps its best candidate and the others that agree with it (no conflict, candidates of
    each other); a conflicting candidate within `margin` of the best (two same-named schools
    in two places) makes it ambiguous.
    Of equal scores, a candidate that some source names comes before one made of reference
    records only (DUO's school codes repeat the names of mbo schools under old codes), and
    such a reference candidate is then no rival.
    A link is made when each side keeps the other.
    """
    per_org: dict[Key, list[tuple[float, Key]]] = defaultdict(list)
    conflict, reference_only = clusters.conflict, clusters.reference_only
    for (oa, ob), pair in found.items():
        if not conflict(oa, ob):
            per_org[oa].append((pair.weight, ob))
            per_org[ob].append((pair.weight, oa))
    kept: dict[Key, set[Key]] = {}
    ambiguous = []
    for org, scored in per_org.items():
        scored.sort(key=lambda wo: (-wo[0], reference_only(wo[1]), wo[1]))
        (best_weight, best), keep, rivals = scored[0], {scored[0][1]}, []
        named = not reference_only(best)
        for weight, other in scored[1:]:
            if not conflict(best, other) and _pair(best, other) in found:
                keep.add(other)
            elif weight >= best_weight - margin and not (named and reference_only(other)):
                rivals.append(other)
        if rivals:
            ambiguous.append((org, sorted([best, *rivals])))
        else:
            kept[org] = keep
    ambiguous.sort()
    made = []
    for (oa, ob), pair in found.items():
        if ob not in kept.get(oa, ()) or oa not in kept.get(ob, ()):
            continue
        ra, rb = records[pair.a], records[pair.b]
        rule = "name-unique" if pair.same_name else "matcher"
        place = "same municipality" if pair.same_place else "no common municipality"
        detail = f"{ra.name!r} ~ {rb.name!r}: match weight {pair.weight} ({place})"
        made.append(Link(ra.key, rb.key, rule, pair.weight, detail))
    made.sort(key=lambda link: (link.a, link.b))  # DuckDB's order is not fixed; evidence is
    return made, ambiguous


def _pair(x: Key, y: Key) -> tuple[Key, Key]:
    return (x, y) if x <= y else (y, x)

"""What the build infers from text once the organisations are reconciled, as one mapped source.

The build calls `text_inferences` after the stakeholders step and the mapping
(docs/mentions.md): partners named in the projects' summaries (`mentions`) and topsectors by
the steward's rule table (`topsectors`), both in the inferred graph. The result is a
`MappedSource` like any other, so its IRI-valued triples are closed under the ontology's
axioms with the rest (a named partner's `org:memberOf`, `lc:hasParticipation`, types).
A data folder without the rule files (a synthetic one) infers nothing from text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat

from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.mapping import MappedSource
from lcgraph.mapping_spec import Mapping as SourceMapping
from lcgraph.sources import SourceFile
from lcgraph.stakeholders.mentions import Summary, named_partners, summaries_of
from lcgraph.stakeholders.name_index import read_stoplist
from lcgraph.stakeholders.project_rows import template_values
from lcgraph.stakeholders.text_match import normalise
from lcgraph.stakeholders.topsectors import (
    Project,
    codes_of,
    inferred_sectors,
    projects_of,
    read_rules,
)

STOPLIST, TOPSECTORS = "mention-stoplist.csv", "topsectors.csv"
_PREF_LABEL = W3C_PREFIXES["skos"] + "prefLabel"
# lc:Region and its subclasses (ontology/lcgraph-edit.ttl): what a place is.
_REGIONS = ("Region", "Municipality", "Province", "CoropArea", "LabourMarketRegion", "Landsdeel")
REGION_CLASSES = frozenset(LC + name for name in (*_REGIONS, "PostcodeArea"))


def text_inferences(
    read: list[tuple[SourceMapping, SourceFile]],
    dataset: str,
    iris: Iris,
    rules: Path,
    names: Mapping[str, Iterable[str]],
    types: Mapping[str, frozenset[str]],
    subjects: Iterable[str],
) -> MappedSource:
    """Named partners and inferred topsectors of the projects in `read`.

    `rules`: the folder of the steward's tables (data/rules); `names`: slug -> names and
    aliases of every reconciled organisation; `types`: slug -> its class IRIs; `subjects`:
    every IRI the mapping minted (the topsector codes are read from them).
    """
    quads: list[pyoxigraph.Quad] = []
    projects = projects_of(read, dataset, iris, types)
    if (rules / STOPLIST).is_file():
        stop = read_stoplist(rules / STOPLIST)
        summaries = _funders_left_out(summaries_of(read, dataset, iris), projects, read, iris)
        quads += named_partners(summaries, names, iris, stop, places_of(read))
    if (rules / TOPSECTORS).is_file():
        table = read_rules(rules / TOPSECTORS, codes_of(subjects, iris), iris)
        quads += inferred_sectors(table, projects, iris)
    out = MappedSource(
        file="inferred from text", graphs={iris.inferred_graph, iris.provenance_graph}
    )
    out.lines.append((pyoxigraph.serialize(quads, format=RdfFormat.N_QUADS) or b"").decode())
    out.links.extend(
        (q.subject.value, q.predicate.value, q.object.value)
        for q in quads
        if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode)
    )
    return out


def _funders_left_out(
    summaries: list[Summary],
    projects: list[Project],
    read: list[tuple[SourceMapping, SourceFile]],
    iris: Iris,
) -> list[Summary]:
    """The funder of a project's scheme funds it; the summary naming it ("met steun van de
    Europese Commissie") makes it no partner: it is left out like the beneficiary."""
    funders = funders_of(read, iris)
    scheme = {p.iri: normalise(p.scheme) for p in projects}
    return [
        replace(s, beneficiaries=s.beneficiaries | funders.get(scheme.get(s.project, ""), set()))
        for s in summaries
    ]


def funders_of(read: Iterable[tuple[SourceMapping, SourceFile]], iris: Iris) -> dict[str, set[str]]:
    """Normalised funding-scheme code -> the slugs of its funders (`lc:funder` columns)."""
    stem = iris.id_iri("organisation", "")
    funders: dict[str, set[str]] = {}
    for mapping, source in read:
        if LC + "FundingScheme" not in mapping.types:
            continue
        columns = [c for c in mapping.columns.values() if c.predicate == LC + "funder" and c.ref]
        for row in source.rows:
            values = template_values(row, "")
            try:
                code = normalise(mapping.subject.fill(values).rsplit("/", 1)[-1])
                found = [c.ref.fill(values, row.values[c.name]) for c in columns if c.ref]
            except (ValueError, KeyError):
                continue  # the mapping reports the row
            slugs = {iri[len(stem) :] for iri in found if iri.startswith(stem)}
            funders.setdefault(code, set()).update(slugs)
    return funders


def places_of(read: Iterable[tuple[SourceMapping, SourceFile]]) -> list[str]:
    """The names (skos:prefLabel) of every region the mappings read: municipalities, towns,
    COROP areas, provinces, labour-market regions."""
    names: list[str] = []
    for mapping, source in read:
        if not REGION_CLASSES.intersection(mapping.types):
            continue
        fields = [c.name for c in mapping.columns.values() if c.predicate == _PREF_LABEL]
        names.extend(row.values[f] for row in source.rows for f in fields if row.values.get(f))
    return names

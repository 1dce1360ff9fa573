"""What an organisation's or a funded project's page shows above its statements (issue 13).

An organisation: its identifiers (ROR as a link), its location (the municipality a source
states and, through containment, its COROP area, province and labour-market region), its
projects through its participations with their role, the reconciliation evidence of its
merged records, and the source datasets (with their licences) of its facts. A funded
project: funder, scheme, dates, amounts and participants by role, with its sources.

Where a fact comes from: each statement's named graph was made from source files (the
provenance graph's `<graph> prov:wasDerivedFrom <{base}/source/{dataset}/{file}>`), and each
file belongs to one dataset of `datasets.yaml` (pages.datasets) with its licence. Facts of
the inferred graph are marked inferred, with the rule (`lc:inferredBy`) where there is one.

Two SPARQL queries per page: the participations, evidence and graph sources of the resource
in one (a UNION), and the labels of what they name (Labeller.fetch, quad lookups).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from lcgraph.iris import W3C_PREFIXES, Iris
from lcgraph.pages.datasets import SourceDataset
from lcgraph.pages.describe import Description, Statement, select
from lcgraph.pages.labeller import Labeller, Value
from lcgraph.pages.view import provenance, value

IDENTIFIERS = {  # predicate local name -> (scheme, link template or None)
    "rorId": ("ROR", "https://ror.org/{}"),
    "brinCode": ("BRIN", None),
    "openAlexId": ("OpenAlex", "https://openalex.org/{}"),
    "openAireId": ("OpenAIRE", None),
    "siaId": ("SIA", None),
}
# region kinds by IRI path (pages.urls: /id/{kind}/{code}), in the order a page lists them
REGION_KINDS = {
    "municipality": ("Municipality", "Gemeente"),
    "corop-area": ("COROP area", "COROP-gebied"),
    "province": ("Province", "Provincie"),
    "labour-market-region": ("Labour-market region", "Arbeidsmarktregio"),
}
AMOUNTS = ("subsidyAmount", "publicCofunding", "privateCofunding", "totalCost")
DATES = ("startDate", "endDate")
LICENCE_NAMES = {
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://spdx.org/licenses/EUPL-1.2": "EUPL-1.2",
    "http://spdx.org/licenses/Apache-2.0": "Apache-2.0",
    "http://spdx.org/licenses/MIT": "MIT",
}


@dataclass(frozen=True)
class Source:
    """A source dataset as a page credits it: "ROR (CC0)"."""

    key: str
    title: str
    licence: str | None  # IRI; None: the publisher states none
    licence_name: str | None


@dataclass
class Fact:
    """One shown value with where it came from: source datasets, or inferred (and by what)."""

    label: str
    value: Value
    sources: list[Source] = field(default_factory=list)
    inferred: bool = False
    rule: Value | None = None
    matched: str | None = None  # the text a named partner was matched on


@dataclass
class Evidence:
    iri: str  # the lc:ReconciliationEvidence
    rule: str
    score: str
    detail: str
    records: list[str]


@dataclass
class Profile:
    """The parts of a page; an empty list is a part the page leaves out."""

    kind: str  # "organisation" or "project"
    identifiers: list[Fact] = field(default_factory=list)
    location: list[Fact] = field(default_factory=list)
    funding: list[Fact] = field(default_factory=list)
    roles: dict[str, list[Fact]] = field(default_factory=dict)  # role label -> participations
    evidence: list[Evidence] = field(default_factory=list)
    records: dict[str, list[str]] = field(default_factory=dict)  # source title -> rows
    sources: list[Source] = field(default_factory=list)


def _query(iri: str, iris: Iris, project: bool, graphs: list[str]) -> str:
    """Participations, evidence, and the source files of the graphs that hold the resource's
    statements (`graphs`) or its participations: each graph looked up by name, never a scan
    of the provenance graph (it holds a derivation for every record)."""
    lc = iris.expand("lc:")
    named = " ".join(f"<{g}>" for g in graphs)
    member, other = (
        ("org:organization", "org:member") if project else ("org:member", "org:organization")
    )
    return f"""PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX lc: <{lc}>
SELECT DISTINCT ?kind ?a ?b ?c ?d ?e ?g WHERE {{
  {{ BIND("participation" AS ?kind)
     GRAPH ?g {{ ?a {member} <{iri}> ; {other} ?b ; org:role ?c }}
     OPTIONAL {{ ?a lc:inferredBy ?d }} OPTIONAL {{ ?a lc:matchedText ?e }} }}
  UNION
  {{ BIND("evidence" AS ?kind)
     GRAPH <{iris.provenance_graph}> {{
       ?a lc:evidenceFor <{iri}> ; lc:matchRule ?b ; lc:matchScore ?c ; prov:wasDerivedFrom ?d
       OPTIONAL {{ ?a lc:matchDetail ?e }} }} }}
  UNION
  {{ BIND("source" AS ?kind)
     {{ VALUES ?a {{ {named} }} }} UNION {{ GRAPH ?a {{ ?p {member} <{iri}> }} }}
     GRAPH <{iris.provenance_graph}> {{ ?a prov:wasDerivedFrom ?b }}
     FILTER(!CONTAINS(STR(?b), "#")) }}
}}"""


def profile(
    description: Description, labeller: Labeller, datasets: list[SourceDataset]
) -> Profile | None:
    """The profile of an organisation or a funded project; None for anything else."""
    iris, lang = labeller.iris, labeller.lang
    lc = iris.expand("lc:")
    types = {t.value for t in description.values(W3C_PREFIXES["rdf"] + "type")}
    project = lc + "FundedProject" in types
    if not project and lc + "Organisation" not in types:
        return None
    graphs = sorted({g for s in description.statements for g in s.graphs if g})
    rows = select(labeller.store, _query(description.iri, iris, project, graphs))
    owner = {file: d for d in datasets for file in d.files}
    graph_sources: dict[str, list[Source]] = defaultdict(list)
    for kind, graph, file, *_ in rows:
        if kind == "source" and file.rsplit("/", 1)[-1] in owner:
            source = _source(owner[file.rsplit("/", 1)[-1]], lang)
            if source not in graph_sources[graph]:
                graph_sources[graph].append(source)
    found = Profile("project" if project else "organisation")
    labeller.fetch(
        [r[i] for r in rows if r[0] == "participation" for i in (2, 3, 4) if r[i]]
        + [s.object.value for s in description.statements if s.predicate.value == lc + "region"]
        + [
            s.object.value
            for s in description.statements
            if s.predicate.value == lc + "fundingScheme"
        ]
        + [lc + name for name in AMOUNTS + DATES + ("fundingScheme",)]
    )

    records = provenance(description, iris)
    # a graph made from several files (funded projects from the EU and SIA lists): the
    # resource's own records say which of them a statement of it comes from
    own = {owner[str(r["file"])].key for r in records if str(r["file"]) in owner}

    def fact(label: str, statement: Statement, shown: Value | None = None) -> Fact:
        stated = [g for g in statement.graphs if g != iris.inferred_graph]
        sources = [s for g in stated for s in graph_sources.get(g, [])]
        sources = [s for s in sources if s.key in own] or sources
        return Fact(
            label, shown or labeller.link(statement.object.value), _unique(sources), not stated
        )

    for statement in description.statements:
        name = statement.predicate.value.removeprefix(lc)
        if name in IDENTIFIERS:
            scheme, link = IDENTIFIERS[name]
            text = statement.object.value
            href = link.format(text) if link else None
            found.identifiers.append(
                fact(scheme, statement, Value(text, href, href, external=bool(href)))
            )
        elif name == "region":
            kind = statement.object.value.removeprefix(iris.base + "/id/").split("/")[0]
            if kind in REGION_KINDS:
                found.location.append(fact(REGION_KINDS[kind][lang != "en"], statement))
        elif name in AMOUNTS + DATES + ("fundingScheme",):
            found.funding.append(
                fact(
                    labeller.label(statement.predicate.value),
                    statement,
                    _literal_or_link(statement, labeller),
                )
            )
    order = [names[lang != "en"] for names in REGION_KINDS.values()]
    found.location.sort(key=lambda f: (order.index(f.label), f.value.text))
    funder = _funder(description, labeller)
    if funder is not None:
        found.funding.insert(0, funder)
    for kind, a, b, c, d, e, g in rows:
        if kind == "participation":
            role = labeller.label(c)
            entry = Fact(
                role,
                labeller.link(b),
                _unique(graph_sources.get(g, [])),
                g == iris.inferred_graph,
                labeller.link(d) if d else None,
                e or None,
            )
            found.roles.setdefault(role, []).append(entry)
        elif kind == "evidence":
            _add_evidence(found, a, b, c, d, e)
    for entries in found.roles.values():
        entries.sort(key=lambda f: f.value.text.casefold())
    by_title = {d.key: _source(d, lang) for d in datasets}
    for row in records:
        dataset = owner.get(str(row["file"]))
        title = by_title[dataset.key].title if dataset else str(row["file"])
        found.records.setdefault(title, []).append(_record(row, lang))
        if dataset is not None and by_title[dataset.key] not in found.sources:
            found.sources.append(by_title[dataset.key])
    for facts in (found.identifiers, found.location, found.funding):
        for f in facts:
            found.sources += [s for s in f.sources if s not in found.sources]
    return found


def _add_evidence(
    found: Profile, iri: str, rule: str, score: str, record: str, detail: str
) -> None:
    """One row of the UNION per record of a join: the join's records gathered on one line."""
    for evidence in found.evidence:
        if evidence.iri == iri:
            if _short(record) not in evidence.records:
                evidence.records.append(_short(record))
            return
    found.evidence.append(Evidence(iri, rule, score, detail, [_short(record)]))


def _short(record: str) -> str:
    """`…/source/curated/uni_ror_NL.csv#row=3` -> `uni_ror_NL.csv row 3`."""
    file, _, fragment = record.rsplit("/", 1)[-1].partition("#")
    return f"{file} {fragment.replace('row=', 'row ')}".strip()


def _record(row: dict[str, str | int | None], lang: str) -> str:
    """`uni_ror_NL.csv row 3`, `sia.json /consortiumpartners/2`, or the file alone."""
    file = str(row["file"])
    if row["row"]:
        return f"{file} {'rij' if lang == 'nl' else 'row'} {row['row']}"
    return f"{file} {row['pointer']}" if row.get("pointer") else file


def _unique(sources: list[Source]) -> list[Source]:
    return list(dict.fromkeys(sources))


def _source(dataset: SourceDataset, lang: str) -> Source:
    name = LICENCE_NAMES.get(dataset.licence or "", dataset.licence) if dataset.licence else None
    return Source(
        dataset.key, dataset.title.get(lang) or dataset.title["en"], dataset.licence, name
    )


def _literal_or_link(statement: Statement, labeller: Labeller) -> Value:
    return value(statement.object, labeller, Description("", []), statement)


def _funder(description: Description, labeller: Labeller) -> Fact | None:
    """The funder of the project's scheme (`lc:funder` of the scheme concept)."""
    lc = labeller.iris.expand("lc:")
    for term in description.values(lc + "fundingScheme"):
        for quad in labeller.store.quads_for_pattern(
            NamedNode(term.value), NamedNode(lc + "funder"), None, None
        ):
            if isinstance(quad.object, NamedNode):
                labeller.fetch([quad.object.value])
                label = "Funder" if labeller.lang == "en" else "Financier"
                return Fact(label, labeller.link(quad.object.value))
    return None

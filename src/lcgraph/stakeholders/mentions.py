"""Partners named in project summaries, as inferred `named-partner` participations.

The EU summaries name partners ("in samenwerking met de Hanzehogeschool Groningen"). The
known names and aliases of the reconciled organisations are found in each summary in one
pass (`text_match.Matcher`, Aho-Corasick), normalised as names are compared, on word
boundaries, the longest of overlapping hits winning.

Too generic names are never patterns, and a name must be written as a name in the text
(`name_index.NameIndex` says which and why). A project's own beneficiary is never its named
partner. docs/mentions.md says more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad

from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.mapping_spec import Mapping as SourceMapping
from lcgraph.sources import SourceFile
from lcgraph.stakeholders.name_index import NameIndex
from lcgraph.stakeholders.project_rows import SUMMARY_PREDICATES, funded_projects
from lcgraph.stakeholders.text_match import normalise

RULE = "named-partner"
_RDF, _RDFS = W3C_PREFIXES["rdf"], W3C_PREFIXES["rdfs"]
_ORG, _PROV = W3C_PREFIXES["org"], W3C_PREFIXES["prov"]


@dataclass(frozen=True)
class Summary:
    """A project's summary: the project's IRI, its text, its beneficiaries' slugs and names.

    `beneficiary_names` as the source writes them: a name they contain is the beneficiary
    or a part of it ("TU Delft" in "TU Delft Valorisation Centre"), never a partner.
    """

    project: str
    text: str
    beneficiaries: frozenset[str]
    beneficiary_names: tuple[str, ...] = ()
    source: str | None = None  # the source row's IRI, for prov:wasDerivedFrom


@dataclass(frozen=True)
class Mention:
    """An organisation named in a project's summary (offsets into the summary, end exclusive)."""

    project: str
    slug: str
    matched: str
    start: int
    end: int


def find_mentions(summaries: Iterable[Summary], index: NameIndex) -> list[Mention]:
    """The first mention of each organisation per summary, its beneficiaries left out."""
    summaries = list(summaries)
    mentions = []
    for summary, found in zip(summaries, index.find(s.text for s in summaries), strict=True):
        seen = set(summary.beneficiaries)
        own = [f" {normalise(name)} " for name in summary.beneficiary_names]
        for pattern, hit in found:
            if any(f" {normalise(hit.matched)} " in name for name in own):
                continue
            if pattern.slug not in seen:
                seen.add(pattern.slug)
                mentions.append(
                    Mention(summary.project, pattern.slug, hit.matched, hit.start, hit.end)
                )
    return mentions


def summaries_of(
    read: Iterable[tuple[SourceMapping, SourceFile]], dataset: str, iris: Iris
) -> list[Summary]:
    """The summary of every funded project the mappings read, with its beneficiary: the
    columns a mapping maps to `SUMMARY_PREDICATES` are the text (`project_rows`)."""
    summaries = []
    for mapping, source, rows in funded_projects(read, dataset):
        fields = [c.name for c in mapping.columns.values() if c.predicate in SUMMARY_PREDICATES]
        if not fields:
            continue
        file_iri = iris.source_iri(dataset, source.name)
        for project in rows:
            text = "\n".join(project.row.values.get(f, "") for f in fields).strip()
            name = project.beneficiary_name
            summaries.append(
                Summary(
                    project.iri,
                    text,
                    frozenset({project.beneficiary} - {""}),
                    (name,) if name else (),
                    source=f"{file_iri}#{project.row.fragment}",
                )
            )
    return summaries


def named_partners(
    summaries: Iterable[Summary],
    names: Mapping[str, Iterable[str]],
    iris: Iris,
    stop: frozenset[str] = frozenset(),
    places: Iterable[str] = (),
) -> list[Quad]:
    """The inferred graph's quads: one `named-partner` participation per mention, and the rule
    (and in the provenance graph the source row each participation was derived from).

    `names`: slug -> every name and alias of that reconciled organisation; `stop`: the
    steward's stop list (`read_stoplist`); `places`: the names of municipalities, towns and
    regions (the graph's region labels), never taken for an organisation.
    """
    summaries = list(summaries)
    graph, provenance = NamedNode(iris.inferred_graph), NamedNode(iris.provenance_graph)
    rule = NamedNode(iris.id_iri("rule", RULE))
    quads = list(_rule_quads(rule, graph))
    sources = {s.project: s.source for s in summaries}
    role = NamedNode(iris.def_iri("participation-role", RULE))
    for mention in find_mentions(summaries, NameIndex(names, stop, places)):
        ref = f"{mention.project.rstrip('/').rsplit('/', 1)[-1]}--{RULE}--{mention.slug}"
        node = NamedNode(iris.id_iri("participation", ref))
        facts: list[tuple[str, NamedNode | Literal]] = [
            (_RDF + "type", NamedNode(LC + "Participation")),
            (_ORG + "member", NamedNode(iris.id_iri("organisation", mention.slug))),
            (_ORG + "organization", NamedNode(mention.project)),
            (_ORG + "role", role),
            (LC + "inferredBy", rule),
            (LC + "matchedText", Literal(mention.matched)),
        ]
        quads.extend(Quad(node, NamedNode(p), o, graph) for p, o in facts)
        source = sources[mention.project]
        if source:  # where the words are, beside the mapped rows' own provenance
            derived = NamedNode(_PROV + "wasDerivedFrom")
            quads.append(Quad(node, derived, NamedNode(source), provenance))
    return quads


def _rule_quads(rule: NamedNode, graph: NamedNode) -> Iterable[Quad]:
    label = {"en": "partner named in a summary", "nl": "partner genoemd in een samenvatting"}
    text = {
        "en": "A known name or alias of a reconciled organisation, found in a project's "
        "summary on whole words, normalised as names are compared (case, accents, "
        "punctuation, legal forms), and written as a name (an acronym in capitals, another "
        "name with a capital). Left out: names on the stop list, shorter than 4 characters "
        "(3 for an acronym), shared by two organisations, equal to a place's name, or "
        "written in lower case at least as often as not (common words); never the "
        "project's beneficiary nor its scheme's funder.",
        "nl": "Een bekende naam of alias van een samengevoegde organisatie, gevonden in de "
        "samenvatting van een project op hele woorden, genormaliseerd zoals namen worden "
        "vergeleken (hoofdletters, accenten, leestekens, rechtsvormen), en geschreven als "
        "naam (een afkorting in hoofdletters, een andere naam met een hoofdletter). "
        "Uitgezonderd: namen op de stoplijst, korter dan 4 tekens (3 voor een afkorting), "
        "van twee organisaties, gelijk aan de naam van een plaats, of minstens zo vaak met "
        "kleine letters geschreven als niet (gewone woorden); nooit de begunstigde van het "
        "project of de financier van zijn regeling.",
    }
    yield Quad(rule, NamedNode(_RDF + "type"), NamedNode(LC + "InferenceRule"), graph)
    for lang in ("nl", "en"):
        yield Quad(rule, NamedNode(_RDFS + "label"), Literal(label[lang], language=lang), graph)
        yield Quad(rule, NamedNode(_RDFS + "comment"), Literal(text[lang], language=lang), graph)

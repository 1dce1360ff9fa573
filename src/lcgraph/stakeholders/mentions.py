"""Partners named in project summaries, as inferred `named-partner` participations.

The EU summaries name partners ("in samenwerking met de Hanzehogeschool Groningen"). The
known names and aliases of the reconciled organisations are found in each summary in one
pass (`text_match.Matcher`, Aho-Corasick), normalised as names are compared, on word
boundaries, the longest of overlapping hits winning.

Too generic names are never patterns (`NameIndex`): a steward's stop list
(data/rules/mention-stoplist.csv), names shorter than `MIN_LENGTH`, a name two
organisations share, and a name that is also a place's (Nieuwegein, Food Valley). A name
must be written as a name in the text: an acronym in capitals, another name with a capital
somewhere; a name the summaries write in lower case at least as often as like a name is a
common word or phrase ("de toekomst", "Karakter"), measured over all summaries at once. A
project's own beneficiary is never its named partner. docs/mentions.md says more.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from lcgraph.errors import Problem, ValidationFailed
from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.mapping_spec import Mapping as SourceMapping
from lcgraph.sources import Row, SourceFile
from lcgraph.stakeholders.text_match import Hit, Matcher, normalise

MIN_LENGTH = 4  # normalised characters; shorter names ("han", "ou") hit words by chance
MIN_ACRONYM = 3  # an acronym, found only in capitals (TNO, NWO), may be shorter
RULE = "named-partner"
# The predicates of a project's summary in the mappings: the text searched for partners.
SUMMARY_PREDICATES = frozenset(
    {W3C_PREFIXES["dct"] + "description", W3C_PREFIXES["dct"] + "abstract"}
)
_RDF, _RDFS = W3C_PREFIXES["rdf"], W3C_PREFIXES["rdfs"]
_ORG, _PROV = W3C_PREFIXES["org"], W3C_PREFIXES["prov"]


def read_stoplist(path: Path) -> frozenset[str]:
    """The normalised names of a stop list CSV (`name,why`); every bad row is reported."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["name", "why"]:
            bad = Problem(path.name, "has the wrong header", value=str(reader.fieldnames))
            raise ValidationFailed([bad], stage="rules")
        names, problems = set(), []
        for number, row in enumerate(reader, start=2):
            name, why = normalise(row["name"] or ""), (row["why"] or "").strip()
            for field, value, expected in (("name", name, "a name"), ("why", why, "a reason")):
                if not value:
                    message = "is not a valid stop-list row"
                    problems.append(Problem(path.name, message, number, field, "", expected))
            names.add(name)
    if problems:
        raise ValidationFailed(problems, stage="rules")
    return frozenset(names - {""})


@dataclass(frozen=True)
class Pattern:
    slug: str
    name: str  # as the organisation's source writes it


class NameIndex:
    """The organisations' names as patterns, with every name left out and why."""

    def __init__(
        self,
        names: Mapping[str, Iterable[str]],
        stop: frozenset[str],
        places: Iterable[str] = (),
    ) -> None:
        """`places`: names of municipalities, towns and regions; a name equal to one is a
        place in running text ("een locatie in Nieuwegein"), not an organisation."""
        place_names = {normalise(place) for place in places}
        by_pattern: dict[str, dict[str, str]] = defaultdict(dict)  # pattern -> slug -> name
        for slug, written in names.items():
            for name in written:
                pattern = normalise(name)
                if pattern:  # not a legal form alone
                    by_pattern[pattern].setdefault(slug, name)
        self.excluded: dict[str, str] = {}
        self.common: dict[str, tuple[int, int]] = {}  # name -> (lower case, as a name)
        self.patterns: list[Pattern] = []
        texts: list[str] = []
        for pattern, slugs in sorted(by_pattern.items()):
            why = _why_excluded(pattern, slugs, stop, place_names)
            if why:
                self.excluded[pattern] = why
                continue
            ((slug, name),) = slugs.items()
            texts.append(pattern)
            self.patterns.append(Pattern(slug, name))
        self.matcher = Matcher(texts)

    def find(self, texts: Iterable[str]) -> list[list[tuple[Pattern, Hit]]]:
        """Per text, the organisations it names, each hit with the pattern it matched.

        A name the texts write in lower case at least as often as like a name is a common
        word or phrase ("de toekomst", "Karakter"), measured over all of `texts` at once:
        it is left out (`common` says which), as is every hit not written like a name.
        """
        found = [self.matcher.find(text) for text in texts]
        lower: Counter[int] = Counter()
        upper: Counter[int] = Counter()
        for hits in found:
            for hit in hits:
                counts = upper if _capitalised(hit.matched, self.patterns[hit.pattern]) else lower
                counts[hit.pattern] += 1
        common = {
            i for i, n in lower.items() if n >= upper[i] and not self.patterns[i].name.isupper()
        }
        self.common = {self.patterns[i].name: (lower[i], upper[i]) for i in sorted(common)}
        return [
            [
                (self.patterns[hit.pattern], hit)
                for hit in hits
                if hit.pattern not in common
                and _capitalised(hit.matched, self.patterns[hit.pattern])
            ]
            for hits in found
        ]


def _why_excluded(
    pattern: str, slugs: Mapping[str, str], stop: frozenset[str], places: set[str]
) -> str:
    if pattern in stop:
        return "on the stop list"
    if pattern in places:
        return "the name of a place"
    least = MIN_ACRONYM if all(name.isupper() for name in slugs.values()) else MIN_LENGTH
    if len(pattern) < least:
        return f"shorter than {least} characters"
    if len(slugs) > 1:
        return "the name of more than one organisation: " + ", ".join(sorted(slugs))
    return ""


def _capitalised(matched: str, pattern: Pattern) -> bool:
    """Written as a name: an acronym in capitals (`TNO`), another name with a capital
    somewhere (`gemeente Utrecht`, `iMMovator`; not `de brug`)."""
    if pattern.name.isupper():
        return matched.isupper()
    return any(char.isupper() for char in matched)


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
    """The summary of every funded project the mappings read, with its beneficiary.

    Declared, not coded per file: a mapping of `lc:FundedProject`s gives its subject (the
    project), the columns it maps to `SUMMARY_PREDICATES` (the text) and the row's
    `@organisation` (the beneficiary, filled by the reconciliation step); the name field of
    an `organisation:` block over the same file gives the beneficiary's name as written.
    """
    read = list(read)
    name_field = name_fields(read)
    summaries = []
    for mapping, source in read:
        fields = [c.name for c in mapping.columns.values() if c.predicate in SUMMARY_PREDICATES]
        if LC + "FundedProject" not in mapping.types or not fields or not source.readable:
            continue
        file_iri = iris.source_iri(dataset, source.name)
        for row in source.rows:
            text = "\n".join(row.values.get(f, "") for f in fields).strip()
            try:
                project = mapping.subject.fill(template_values(row, dataset))
            except (ValueError, KeyError):
                continue  # the mapping reports the row
            own = row.values.get("@organisation", "")
            name = row.values.get(name_field.get(source.path, ""), "")
            summaries.append(
                Summary(
                    project,
                    text,
                    frozenset({own} - {""}),
                    (name,) if name else (),
                    source=f"{file_iri}#{row.fragment}",
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


def template_values(row: Row, dataset: str) -> dict[str, str]:
    """What a mapping's templates are filled from, as the mapping fills them: the row's
    fields, `dataset` and `@row` (the record's row number, for sources without an id)."""
    return {**row.values, "dataset": dataset, "@row": str(row.number)}


def name_fields(read: Iterable[tuple[SourceMapping, SourceFile]]) -> dict[Path, str]:
    """Per file, the field that names its organisation (an `organisation:` block's `name`;
    a registry's code list may have none)."""
    return {
        source.path: str(mapping.organisation["name"])
        for mapping, source in read
        if mapping.organisation and mapping.organisation.get("name")
    }

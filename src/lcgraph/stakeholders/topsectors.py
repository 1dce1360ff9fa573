"""A project's topsector by a steward's rule table, where its source states none.

`data/rules/topsectors.csv` (docs/mentions.md): one rule a row, `id,kind,value,topsector,note`.
A rule of kind
- `keyword` matches its words in the project's title or summary (where the words point to
  one topsector only, in the title or twice in the summary: `_keyword_rules`),
- `organisation-name` matches its words in the name of an organisation that takes part
  (a sector training fund to its sector: "Levensmiddelenindustrie" -> Agri & Food),
- `scheme` matches the project's funding scheme code (`raak-mkb`),
- `organisation-type` matches the class of an organisation that takes part (a CURIE).
Words match as organisation names do in summaries (`text_match.Matcher`: case and accents
ignored, whole words, a trailing `*` for Dutch compounds). Each rule is an lc:InferenceRule
that `lc:assignsSector` its topsector; a project it matches gets `lc:inferredSector` and
`lc:inferredBy` that rule, in the inferred graph. A project whose source states a sector
(SIA's themes) gets none: what a source states is never overruled by a guess.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from lcgraph.errors import Problem, ValidationFailed
from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.mapping_spec import Mapping as SourceMapping
from lcgraph.sources import SourceFile
from lcgraph.stakeholders.project_rows import SUMMARY_PREDICATES, funded_projects
from lcgraph.stakeholders.text_match import Matcher, normalise

KINDS = ("keyword", "organisation-name", "scheme", "organisation-type")
HEADER = ["id", "kind", "value", "topsector", "note"]
TITLE_WEIGHT, MIN_EVIDENCE = 2, 2
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_RDF, _RDFS = W3C_PREFIXES["rdf"], W3C_PREFIXES["rdfs"]
SKOS_PREF_LABEL = W3C_PREFIXES["skos"] + "prefLabel"


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    value: str
    topsector: str  # code, as in data/sources/topsectoren.csv
    note: str
    row: int


@dataclass(frozen=True)
class Project:
    """What the rules look at: the project's IRI, words, scheme and who takes part."""

    iri: str
    title: str
    summary: str = ""
    scheme: str = ""  # funding scheme code
    names: tuple[str, ...] = ()  # of the organisations that take part, as written
    types: frozenset[str] = field(default_factory=frozenset)  # their classes, full IRIs
    stated: bool = False  # the source states a topsector


def projects_of(
    read: Iterable[tuple[SourceMapping, SourceFile]],
    dataset: str,
    iris: Iris,
    types: Mapping[str, frozenset[str]] | None = None,
) -> list[Project]:
    """Every funded project the mappings read, as the rules see it (declared, not per file).

    From a mapping of `lc:FundedProject`s: its subject, the `skos:prefLabel` columns (title,
    Dutch first), the summary columns (`project_rows.SUMMARY_PREDICATES`), the scheme (a static
    or column `lc:fundingScheme`: the code is the IRI's last segment), whether a
    `lc:statedSector` column has a value; the beneficiary's name from an `organisation:`
    block over the same file, its classes from `types` (slug -> class IRIs, reconciled).
    """
    projects = []
    for mapping, _source, rows in funded_projects(read, dataset):
        columns = sorted(mapping.columns.values(), key=lambda c: c.lang != "nl")
        titles = [c.name for c in columns if c.predicate == SKOS_PREF_LABEL]
        summaries = [c.name for c in columns if c.predicate in SUMMARY_PREDICATES]
        stated = [c.name for c in columns if c.predicate == LC + "statedSector"]
        for project in rows:
            cells, name = project.row.values, project.beneficiary_name
            projects.append(
                Project(
                    project.iri,
                    next((cells[f] for f in titles if cells.get(f)), ""),
                    "\n".join(cells.get(f, "") for f in summaries).strip(),
                    _scheme(mapping, project.values),
                    (name,) if name else (),
                    (types or {}).get(project.beneficiary, frozenset()),
                    any(cells.get(f, "").strip() for f in stated),
                )
            )
    return projects


def _scheme(mapping: SourceMapping, values: dict[str, str]) -> str:
    """The funding scheme's code: the last segment of the lc:fundingScheme IRI, or ''."""
    for predicate, template in mapping.static:
        if predicate == LC + "fundingScheme":
            return template.fill(values).rsplit("/", 1)[-1]
    for column in mapping.columns.values():
        cell = values.get(column.name, "")
        if column.predicate == LC + "fundingScheme" and column.ref is not None and cell:
            try:
                return column.ref.fill(values, cell).rsplit("/", 1)[-1]
            except (ValueError, KeyError):
                return ""
    return ""


def codes_of(subjects: Iterable[str], iris: Iris) -> set[str]:
    """The topsector codes among minted subjects (`def:topsector/{code}`)."""
    stem = iris.def_iri("topsector") + "/"
    return {s[len(stem) :] for s in subjects if s.startswith(stem)}


def read_rules(path: Path, topsectors: Iterable[str], iris: Iris) -> list[Rule]:
    """The rule table, checked: every bad cell is reported at once (file, row, field, value)."""
    codes = set(topsectors)
    rules: list[Rule] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != HEADER:
            bad = Problem(path.name, "has the wrong header", value=str(reader.fieldnames))
            raise ValidationFailed([bad], stage="rules")
        for number, row in enumerate(reader, start=2):
            values = {k: (row.get(k) or "").strip() for k in HEADER}
            found = _row_problems(path.name, number, values, codes, iris)
            if values["id"] in seen:
                found.append(_problem(path.name, number, "id", values["id"], "a unique id"))
            seen.add(values["id"])
            problems.extend(found)
            if not found:
                rules.append(Rule(**values, row=number))
    if problems:
        raise ValidationFailed(problems, stage="rules")
    return rules


def _row_problems(
    file: str, number: int, values: dict[str, str], codes: set[str], iris: Iris
) -> list[Problem]:
    problems = []
    if not _ID.match(values["id"]):
        problems.append(_problem(file, number, "id", values["id"], "a lower-case slug"))
    if values["kind"] not in KINDS:
        problems.append(_problem(file, number, "kind", values["kind"], " or ".join(KINDS)))
    if not values["value"] or (values["kind"] in KINDS[:2] and not _has_words(values["value"])):
        problems.append(_problem(file, number, "value", values["value"], "words to match"))
    if values["kind"] == "organisation-type":
        try:
            iris.expand(values["value"])
        except KeyError:
            problems.append(_problem(file, number, "value", values["value"], "a CURIE (lc:...)"))
    if values["topsector"] not in codes:
        expected = "a topsector code: " + ", ".join(sorted(codes))
        problems.append(_problem(file, number, "topsector", values["topsector"], expected))
    if not values["note"]:
        problems.append(_problem(file, number, "note", "", "why the rule holds"))
    return problems


def _has_words(value: str) -> bool:
    """Something left to match once normalised (a legal form alone is not)."""
    return bool(normalise(value.rstrip("*")))


def _problem(file: str, row: int, name: str, value: str, expected: str) -> Problem:
    return Problem(file, "is not a valid rule", row=row, field=name, value=value, expected=expected)


def matches(rules: list[Rule], projects: Iterable[Project], iris: Iris) -> dict[str, list[Rule]]:
    """Project IRI -> the rules that give it a sector (projects with a stated one left out)."""
    words = [r for r in rules if r.kind == "keyword"]
    names = [r for r in rules if r.kind == "organisation-name"]
    on_words, on_names = Matcher(r.value for r in words), Matcher(r.value for r in names)
    schemes = [r for r in rules if r.kind == "scheme"]
    types = [(r, iris.expand(r.value)) for r in rules if r.kind == "organisation-type"]
    found: dict[str, list[Rule]] = {}
    for project in projects:
        if project.stated:
            continue
        hit = _keyword_rules(project, words, on_words)
        hit += [names[h.pattern] for name in project.names for h in on_names.find(name)]
        hit += [r for r in schemes if normalise(r.value) == normalise(project.scheme)]
        hit += [r for r, cls in types if cls in project.types]
        if hit:
            found[project.iri] = sorted(set(hit), key=lambda r: r.row)
    return found


def _keyword_rules(project: Project, words: list[Rule], matcher: Matcher) -> list[Rule]:
    """Keyword rules only where the words point to one topsector, and firmly enough.

    A summary that names several topsectors speaks of a region's or a programme's sectors,
    not of the project's (measured: docs/mentions.md); one word in passing is no evidence
    either. A hit in the title counts `TITLE_WEIGHT`, in the summary 1; `MIN_EVIDENCE` wins.
    """
    weights: dict[str, int] = {}
    hit: list[Rule] = []
    for text, weight in ((project.title, TITLE_WEIGHT), (project.summary, 1)):
        for found in matcher.find(text):
            rule = words[found.pattern]
            weights[rule.topsector] = weights.get(rule.topsector, 0) + weight
            hit.append(rule)
    if len(weights) != 1 or sum(weights.values()) < MIN_EVIDENCE:
        return []
    return hit


def inferred_sectors(rules: list[Rule], projects: Iterable[Project], iris: Iris) -> list[Quad]:
    """The inferred graph's quads: each rule described, each project's sector and its rules."""
    graph = NamedNode(iris.inferred_graph)
    quads = [q for rule in rules for q in _rule_quads(rule, iris, graph)]
    for project, hit in matches(rules, projects, iris).items():
        node = NamedNode(project)
        for rule in hit:
            sector = NamedNode(iris.def_iri("topsector", rule.topsector))
            quads.append(Quad(node, NamedNode(LC + "inferredSector"), sector, graph))
            quads.append(Quad(node, NamedNode(LC + "inferredBy"), _rule_iri(rule, iris), graph))
    return sorted(set(quads), key=str)


def _rule_iri(rule: Rule, iris: Iris) -> NamedNode:
    return NamedNode(iris.id_iri("rule", f"topsector-{rule.id}"))


def _rule_quads(rule: Rule, iris: Iris, graph: NamedNode) -> Iterable[Quad]:
    node = _rule_iri(rule, iris)
    text = f"{rule.kind} {rule.value!r} -> {rule.topsector}"
    described: Mapping[str, NamedNode | Literal] = {
        _RDF + "type": NamedNode(LC + "InferenceRule"),
        _RDFS + "comment": Literal(rule.note),
        LC + "assignsSector": NamedNode(iris.def_iri("topsector", rule.topsector)),
    }
    for predicate, value in described.items():
        yield Quad(node, NamedNode(predicate), value, graph)
    for lang, word in (("en", "topsector rule"), ("nl", "topsectorregel")):
        label = Literal(f"{word} {rule.id}: {text}", language=lang)
        yield Quad(node, NamedNode(_RDFS + "label"), label, graph)

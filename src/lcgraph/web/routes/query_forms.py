"""The fields of a named query's form: what a person may choose for each parameter.

An `enum` parameter, and an `iri` parameter of a class with at most `MAX_CHOICES` instances
in the live graph, is a drop-down (labels shown, values or IRIs sent); an `iri` parameter
of a bigger class is a search-as-you-type field that asks /sparql with `search_query`, a
lookup bounded by `SEARCH_LIMIT` rows. Reading the instances is bounded too: at most
`MAX_CHOICES + 1` are read, by index, however big the class.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from pyoxigraph import NamedNode

from lcgraph.iris import W3C_PREFIXES
from lcgraph.named_queries import NamedQuery
from lcgraph.pages.describe import LABEL_PREDICATES
from lcgraph.pages.labeller import Labeller
from lcgraph.store import Reader

MAX_CHOICES = 50
SEARCH_LIMIT = 20
TEXT = "__TEXT__"  # replaced in the page by the typed text, as a SPARQL string literal
_TYPE = NamedNode(W3C_PREFIXES["rdf"] + "type")


@dataclass
class Field:
    """One parameter's field: a drop-down (`choices`), a search field (`search`), or text."""

    choices: list[tuple[str, str]] = field(default_factory=list)  # (value sent, label shown)
    search: str | None = None  # the SPARQL of the search field
    class_label: str | None = None  # the class an IRI must be an instance of, in words


def form_fields(query: NamedQuery, labeller: Labeller) -> dict[str, Field]:
    """Parameter name → its field, in the labeller's language."""
    fields: dict[str, Field] = {}
    for param in query.params:
        if param.kind == "enum":
            fields[param.name] = Field(choices=[(v, v) for v in param.values])
        elif param.class_iri is not None:
            fields[param.name] = _class_field(param.class_iri, labeller)
        else:
            fields[param.name] = Field()
    return fields


def _class_field(class_iri: str, labeller: Labeller) -> Field:
    """A drop-down of the class's instances, a search field past MAX_CHOICES; a plain field
    for a class the graph has no instances of (the value then meets the class check)."""
    found = _instances(labeller.store, class_iri, MAX_CHOICES + 1)
    labeller.fetch([class_iri, *found[:MAX_CHOICES]])
    class_label = labeller.label(class_iri)
    if len(found) > MAX_CHOICES:
        return Field(search=search_query(class_iri), class_label=class_label)
    choices = sorted(((iri, labeller.label(iri)) for iri in found), key=lambda c: c[1].lower())
    return Field(choices=choices, class_label=class_label)


def _instances(store: Reader, class_iri: str, most: int) -> list[str]:
    """Up to `most` instances of `class_iri` (a quad per graph that types them: distinct)."""
    quads = store.quads_for_pattern(None, _TYPE, NamedNode(class_iri), None)
    subjects = (q.subject.value for q in quads if isinstance(q.subject, NamedNode))
    return list(islice(_distinct(subjects), most))


def _distinct(values: Iterator[str]) -> Iterator[str]:
    seen: set[str] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            yield value


def search_query(class_iri: str) -> str:
    """Instances of `class_iri` whose label contains the typed text (`TEXT`), a few rows."""
    label = "|".join(f"<{p.value}>" for p in LABEL_PREDICATES)
    return (
        f"SELECT DISTINCT ?value ?label WHERE {{\n  ?value a <{class_iri}> ; {label} ?label .\n"
        f"  FILTER(CONTAINS(LCASE(STR(?label)), LCASE({TEXT})))\n}} LIMIT {SEARCH_LIMIT}\n"
    )

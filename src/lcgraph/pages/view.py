"""Turn a description into what a page shows: labels in one language, links, sections.

Pure data for the Jinja templates (templates/resource.html, term.html): nothing here knows
about HTTP. Every link is a local file path from `pages.urls`, or None for IRIs we do not
serve (those are shown, not linked), so the same page works from a static host.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

from lcgraph.iris import Iris
from lcgraph.pages.describe import (
    DEFINITION_PREDICATES,
    RDF,
    RDFS,
    Description,
    Statement,
    Term,
    pick,
    rdf_list,
    texts,
)
from lcgraph.pages.labeller import OWL, Labeller, Value, graph_badges
from lcgraph.pages.numbers import short_number
from lcgraph.pages.urls import LANGUAGES, Urls
from lcgraph.store import Reader

PAGE_SIZE = 50
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
INCOMING_HEADINGS = {  # predicate -> (en, nl) heading of its incoming links
    RDF + "type": ("Instances", "Instanties"),
    RDFS + "subClassOf": ("Subclasses", "Subklassen"),
    RDFS + "subPropertyOf": ("Subproperties", "Subeigenschappen"),
    "http://www.w3.org/2004/02/skos/core#inScheme": ("Concepts", "Begrippen"),
}
# incoming links of a predicate without an inverse: a phrase that reads in both languages
LINKED_BY = {"en": "Linked here by “{}”", "nl": "Verwijst hierheen met “{}”"}
JOINERS = {  # blank-node class expressions: (en, nl)
    OWL + "unionOf": (" or ", " of "),
    OWL + "intersectionOf": (" and ", " en "),
}


@dataclass
class Section:
    """A predicate and its values (outgoing), or its subjects (incoming)."""

    predicate: Value
    values: list[Value] = field(default_factory=list)
    heading: str = ""


def value(
    term: Term, labeller: Labeller, description: Description, statement: Statement | None = None
) -> Value:
    """A term as shown on a page; blank nodes become their list or restriction text."""
    if isinstance(term, NamedNode):
        return labeller.link(term.value, statement)
    inferred, graphs = graph_badges(statement, labeller.iris) if statement else (False, ())
    if isinstance(term, Literal):
        datatype = term.datatype.value
        shown = None if datatype.endswith(("#string", "#langString")) else labeller.curie(datatype)
        number = short_number(term.value, datatype, labeller.lang)
        return Value(
            number or term.value,
            lang=term.language,
            datatype=shown,
            inferred=inferred,
            graphs=graphs,
            full=term.value if number not in (None, term.value) else None,
        )
    return Value(_blank_text(term, labeller, description), inferred=inferred, graphs=graphs)


def _blank_text(node: BlankNode, labeller: Labeller, description: Description) -> str:
    by_predicate = {s.predicate.value: s.object for s in description.blank_nodes.get(node, [])}
    for key, joiners in JOINERS.items():
        joiner = joiners[0 if labeller.lang == "en" else 1]
        members = (
            rdf_list(description, by_predicate.get(key, node)) if key in by_predicate else None
        )
        if members is not None:
            return joiner.join(
                labeller.label(m.value) if isinstance(m, NamedNode) else "…" for m in members
            )
    return (
        "("
        + "; ".join(
            f"{labeller.curie(p)} {labeller.curie(str(o))}" for p, o in by_predicate.items()
        )
        + ")"
    )


def outgoing_sections(description: Description, labeller: Labeller) -> list[Section]:
    sections: dict[str, Section] = {}
    for statement in description.statements:
        key = statement.predicate.value
        if key == PROV_DERIVED:
            continue
        section = sections.setdefault(key, Section(labeller.link(key)))
        section.values.append(value(statement.object, labeller, description, statement))
    return list(sections.values())


def incoming_sections(incoming: list[Statement], labeller: Labeller) -> list[Section]:
    sections: dict[str, Section] = {}
    for statement in incoming:
        key = statement.predicate.value
        if key not in sections:
            sections[key] = Section(labeller.link(key), heading=incoming_heading(key, labeller))
        subject = statement.subject
        if isinstance(subject, NamedNode):
            sections[key].values.append(labeller.link(subject.value, statement))
    return [s for s in sections.values() if s.values]


def incoming_heading(predicate: str, labeller: Labeller) -> str:
    """What the links of `predicate` to this resource are, as a heading that reads well:
    our own word for a few, the inverse property's label where the ontology declares one
    ("has top concept" over "is top concept in scheme"), else a phrase naming the property."""
    headings = INCOMING_HEADINGS.get(predicate)
    if headings is not None:
        return headings[0 if labeller.lang == "en" else 1]
    inverse = labeller.inverse(predicate)
    if inverse is not None:
        labeller.fetch([inverse])
        label = labeller.label(inverse)
        return label[:1].upper() + label[1:]
    return LINKED_BY[labeller.lang].format(labeller.label(predicate))


def provenance(description: Description, iris: Iris) -> list[dict[str, str | int | None]]:
    """Source file and row of each `prov:wasDerivedFrom` (RFC 7111 `#row=N` fragments; a
    JSON record's fragment is its JSON pointer, `#` alone the whole file)."""
    rows: list[dict[str, str | int | None]] = []
    prefix = iris.base + "/source/"
    for term in description.values(PROV_DERIVED):
        iri = term.value
        path, _, fragment = iri.removeprefix(prefix).partition("#")
        dataset, _, file = path.partition("/")
        number = fragment.removeprefix("row=")
        rows.append(
            {
                "iri": iri,
                "dataset": dataset,
                "file": file or path,
                "row": int(number) if fragment.startswith("row=") and number.isdigit() else None,
                "pointer": fragment if fragment.startswith("/") else None,
            }
        )
    return rows


def editor_url(query: str) -> str:
    """The SPARQL editor (YASGUI reads `#query=` from the fragment) opened on `query`."""
    return "/sparql#query=" + quote(query, safe="")


def statements_query(iri: str) -> str:
    return (
        "SELECT ?property ?value ?graph\nWHERE {\n  GRAPH ?graph { <"
        + iri
        + "> ?property ?value }\n}\nORDER BY ?property ?value\n"
    )


def incoming_query(iri: str) -> str:
    return (
        "SELECT ?resource ?property ?graph\nWHERE {\n  GRAPH ?graph { ?resource ?property <"
        + iri
        + "> }\n}\nORDER BY ?property ?resource\n"
    )


def resource_context(
    description: Description,
    store: Reader,
    iris: Iris,
    lang: str,
    page: int,
    known: dict[str, dict[str, str]] | None = None,
) -> dict[str, object]:
    """Everything templates/resource.html shows about one resource, in `lang`; `known`:
    labels already read (see Labeller), which the page's labeller reads and adds to."""
    urls = Urls(iris)
    labeller = Labeller(store, iris, urls, lang, {} if known is None else known)
    incoming_page = description.incoming[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    labeller.fetch(_iris_on_page(description, incoming_page))
    iri = description.iri
    pages = page_count(description)
    definition = pick(texts(store, [iri], DEFINITION_PREDICATES).get(iri), lang)
    return {
        "iri": iri,
        "lang": lang,
        "title": labeller.label(iri),
        "definition": definition,
        "types": [
            labeller.link(t.value)
            for t in description.values(RDF + "type")
            if isinstance(t, NamedNode)
        ],
        "sections": outgoing_sections(description, labeller),
        "incoming": incoming_sections(incoming_page, labeller),
        "incoming_total": len(description.incoming),
        "incoming_cut": description.incoming_cut,
        "incoming_query_url": editor_url(incoming_query(iri)),
        "page": page,
        "pages": pages,
        "page_links": {n: urls.html(iri, lang, n) for n in range(1, pages + 1)},
        "provenance": provenance(description, iris),
        "languages": {code: urls.html(iri, code, page) for code in LANGUAGES},
        "twins": {fmt: urls.twin(iri, fmt) for fmt in ("turtle", "jsonld", "ntriples", "rdfxml")},
        "editor_url": editor_url(statements_query(iri)),
        "labeller": labeller,
    }


def page_count(description: Description) -> int:
    """How many HTML pages the incoming links of `description` fill, `PAGE_SIZE` a page."""
    return max(1, -(-len(description.incoming) // PAGE_SIZE))


def _iris_on_page(description: Description, incoming: list[Statement]) -> list[str]:
    found = [description.iri]
    for statement in description.statements + [
        s for b in description.blank_nodes.values() for s in b
    ]:
        found.append(statement.predicate.value)
        if isinstance(statement.object, NamedNode):
            found.append(statement.object.value)
    for statement in incoming:
        found.append(statement.predicate.value)
        if isinstance(statement.subject, NamedNode):
            found.append(statement.subject.value)
    return found

"""Labels and links of IRIs for a page, in one language: what every page's values are made of.

`Labeller` fetches the labels a page needs at once and turns an IRI into a `Value` (its
label, and a link where we serve a page for it); `pages.view` builds the sections from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from lcgraph.iris import Iris
from lcgraph.pages.describe import LABEL_PREDICATES, Statement, pick, texts
from lcgraph.pages.labels import term_labels
from lcgraph.pages.urls import Urls
from lcgraph.store import Reader

OWL = "http://www.w3.org/2002/07/owl#"
INVERSE_OF = NamedNode(OWL + "inverseOf")


@dataclass(frozen=True)
class Value:
    """One object of a statement, ready to show: text, optional link, language, datatype."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    inferred: bool = False
    graphs: tuple[str, ...] = ()
    full: str | None = None  # the whole literal where `text` shortens it (a tooltip)
    external: bool = False  # `href` leads to another site: the IRI itself


@dataclass
class Labeller:
    """Labels of IRIs in one language, fetched once per page; CURIEs where there are none.

    `known` holds the store's label texts in every language, so pages of one store
    revision may share it (the static site does: each page names the same types and
    properties); an IRI without a label is kept with none, so it is looked up once."""

    store: Reader
    iris: Iris
    urls: Urls
    lang: str
    known: dict[str, dict[str, str]] = field(default_factory=dict)

    def fetch(self, iris: Iterable[str]) -> None:
        missing = [i for i in iris if i not in self.known]
        found = texts(self.store, missing, LABEL_PREDICATES)
        self.known.update({i: found.get(i, {}) for i in missing})

    def label(self, iri: str) -> str:
        """The store's label in this language, else `labels.ttl`'s, else any, else a CURIE."""
        own = self.known.get(iri) or {}
        return pick({**term_labels().get(iri, {}), **own}, self.lang) or self.curie(iri)

    def curie(self, iri: str) -> str:
        for prefix, namespace in self.iris.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def link(self, iri: str, statement: Statement | None = None) -> Value:
        """Our IRIs link to their pages here; other web IRIs to themselves; the rest of
        ours (graphs, source rows), which nothing serves, are shown unlinked."""
        inferred, graphs = graph_badges(statement, self.iris) if statement else (False, ())
        href = self.urls.html(iri, self.lang)
        external = href is None and _external(iri, self.iris)
        return Value(
            self.label(iri),
            iri if external else href,
            iri,
            inferred=inferred,
            graphs=graphs,
            external=external,
        )

    def inverse(self, predicate: str) -> str | None:
        """The property declared `owl:inverseOf` `predicate` (either way round), if any."""
        node = NamedNode(predicate)
        for quad in self.store.quads_for_pattern(node, INVERSE_OF, None, None):
            if isinstance(quad.object, NamedNode):
                return quad.object.value
        for quad in self.store.quads_for_pattern(None, INVERSE_OF, node, None):
            if isinstance(quad.subject, NamedNode):
                return quad.subject.value
        return None


def _external(iri: str, iris: Iris) -> bool:
    return iri.startswith(("http://", "https://")) and not iri.startswith(iris.base + "/")


def graph_badges(statement: Statement, iris: Iris) -> tuple[bool, tuple[str, ...]]:
    """(inferred only?, short graph names) of a statement."""
    prefix = iris.graph_iri("")
    names = tuple(g.removeprefix(prefix) for g in statement.graphs)
    stated = [g for g in statement.graphs if g != iris.inferred_graph]
    return (not stated, names)

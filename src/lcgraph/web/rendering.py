"""A resource's page or RDF twin, rendered without a request: for the routes and the site.

`Renderer` holds what every page needs besides its resource (the store, the names, the
templates, the source datasets, the change log), so `routes.linked_data` renders one page
per request with it and `publish.site` renders every page of the static site with one, from
one description per resource (issue 13: asking the app over ASGI for each of the ~100,000
files of the real network took more than 15 minutes; see `publish.site`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment
from pyoxigraph import NamedNode, Triple

from lcgraph import formats
from lcgraph.iris import Iris
from lcgraph.pages import datasets, profile, terms, twins, view
from lcgraph.pages import describe as describing
from lcgraph.pages.describe import Description
from lcgraph.releases import changelog
from lcgraph.store import Reader
from lcgraph.web import negotiation

TEMPLATES = Path(__file__).resolve().parent / "templates"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
FORMAT_NAMES = {f.name: f.label for f in formats.graph_formats()}  # the RDF twins
MEDIA_TYPES = {fmt: negotiation.media_type(fmt) for fmt in FORMAT_NAMES}
HTML = "text/html; charset=utf-8"
KIND_NAMES = {
    "Class": ("Classes", "Klassen"),
    "ObjectProperty": ("Object properties", "Objecteigenschappen"),
    "DatatypeProperty": ("Datatype properties", "Datatype-eigenschappen"),
    "AnnotationProperty": ("Annotation properties", "Annotatie-eigenschappen"),
    "Property": ("Properties", "Eigenschappen"),
}
RDFS_IS_DEFINED_BY = "http://www.w3.org/2000/01/rdf-schema#isDefinedBy"
_FORBIDDEN = set('<>"{}|^`\\ ')  # no IRI holds these (RFC 3987)


@dataclass(frozen=True)
class Page:
    """A rendered page or RDF twin, as cached and sent."""

    body: bytes
    media_type: str
    headers: dict[str, str]
    status: int = 200


def templates() -> Jinja2Templates:
    """The web's templates (the app keeps one; the static site makes its own)."""
    return Jinja2Templates(directory=TEMPLATES)


def render_template(env: Environment, name: str, context: dict[str, Any], iris: Iris) -> bytes:
    """A template with the globals every page needs (formats, licence, graph names)."""
    full = {
        "media_types": MEDIA_TYPES,
        "format_names": FORMAT_NAMES,
        "licence": LICENCE,
        "inferred_graph": iris.inferred_graph,
        "kind_names": KIND_NAMES,
        **context,
    }
    return str(env.get_template(name).render(full)).encode()


@dataclass(frozen=True)
class Renderer:
    """Renders the pages and twins of the resources of one store revision."""

    store: Reader
    iris: Iris
    env: Environment
    sources: list[datasets.SourceDataset]  # datasets.yaml's, for the pages' credit lines
    log: changelog.ChangeLog  # a page shows its dates
    # labels read so far, shared by every page this renderer makes (view.Labeller)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def describe(self, iri: str, fmt: str) -> Description | None:
        """What `iri`'s page (`fmt` "html") or twin shows; None when the store lacks it or
        `iri` is none (see `valid_iri`).

        A twin holds the resource's own statements, so it reads no incoming links; the
        site renders every variant from one HTML description (its `triples()` are the same).
        """
        if not valid_iri(iri):
            return None
        return describing.describe(self.store, iri, max_incoming=None if fmt == "html" else 0)

    def twin(self, description: Description, fmt: str) -> Page:
        """The RDF twin in format `fmt`: own statements, dates from the log, hash terms."""
        iri = description.iri
        stated = {s.predicate.value for s in description.statements}
        triples = description.triples() + changelog.dated(self.log, iri, stated)
        namespace = terms.vocabulary_namespace(description)
        if namespace is not None and namespace.endswith("#"):
            # a hash term (lcs:query) dereferences to this document: its twin holds them all
            triples += self._hash_terms(iri)
        return Page(twins.to_bytes(triples, fmt, self.iris.prefixes), MEDIA_TYPES[fmt], {})

    def html(self, description: Description, lang: str, page: int = 1) -> Page | None:
        """Page `page` of the HTML page in `lang`; None past the last page of links."""
        if page > view.page_count(description):
            return None
        iri = description.iri
        context = view.resource_context(description, self.store, self.iris, lang, page, self.labels)
        labeller = context["labeller"]
        context["history"] = changelog.page_history(self.log, iri)
        # an organisation's or a funded project's facts with their sources
        context["profile"] = profile.profile(description, labeller, self.sources)  # type: ignore[arg-type]
        context["term"] = terms.term_facts(description, self.store, labeller)  # type: ignore[arg-type]
        namespace = terms.vocabulary_namespace(description)
        if namespace is not None:
            context["ontology_terms"] = terms.ontology_terms(self.store, labeller, namespace)  # type: ignore[arg-type]
        body = render_template(self.env, "term.html", context, self.iris)
        return Page(body, HTML, {"Link": link_header(context["twins"])})  # type: ignore[arg-type]

    def _hash_terms(self, iri: str) -> list[Triple]:
        """The triples of every `<iri>#…` term that says it is defined by `iri`, each once."""
        defined_by = NamedNode(RDFS_IS_DEFINED_BY)
        found: dict[Triple, None] = {}
        for quad in self.store.quads_for_pattern(None, defined_by, NamedNode(iri), None):
            subject = quad.subject
            if isinstance(subject, NamedNode) and subject.value.startswith(iri + "#"):
                term = describing.describe(self.store, subject.value, max_incoming=0)
                for triple in term.triples() if term is not None else []:
                    found.setdefault(triple)
        return list(found)


def valid_iri(iri: str) -> bool:
    """False where a request path made something that is no IRI (a space, a quote, …)."""
    return not (_FORBIDDEN & set(iri))


def link_header(twin_paths: dict[str, str]) -> str:
    """The `Link` header that names a page's RDF twins."""
    return ", ".join(
        f'<{href}>; rel="alternate"; type="{MEDIA_TYPES[fmt].split(";")[0]}"'
        for fmt, href in twin_paths.items()
    )

"""The parts of the DCAT catalogue (`lcgraph.publish.dcat`) that every dataset and service
shares: the publisher and its contact point, the EU data themes, titles and dates, and the
class memberships DCAT-AP's shapes look for in the same graph.
"""

from __future__ import annotations

from datetime import datetime

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS, XSD

from lcgraph.iris import LC, Iris
from lcgraph.pages.dataset import DESCRIPTION, TITLE

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
THEMES = {
    "EDUC": ("Education, culture and sport", "Onderwijs, cultuur en sport"),
    "ECON": ("Economy and finance", "Economie en financiën"),
}
PUBLISHER_NAME = "lcgraph project"
RDFS_RESOURCE = URIRef("http://www.w3.org/2000/01/rdf-schema#Resource")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
PUBLIC = URIRef(EU + "access-right/PUBLIC")


def dates(g: Graph, node: URIRef, issued: datetime | None, *predicates: URIRef) -> None:
    if issued is not None:
        for p in predicates:
            g.add((node, p, Literal(issued.isoformat(), datatype=XSD.dateTime)))


def texts(g: Graph, node: URIRef, site: str, summary: tuple[str, str] | None = None) -> None:
    for text, lang in zip(TITLE, ("en", "nl"), strict=True):
        g.add((node, DCTERMS.title, Literal(text, lang=lang)))
    for i, (text, lang) in enumerate(zip(DESCRIPTION, ("en", "nl"), strict=True)):
        counted = f" {summary[i]}" if summary else ""  # one description per language
        g.add((node, DCTERMS.description, Literal(text + counted, lang=lang)))


def agent(g: Graph, iris: Iris) -> URIRef:
    agent = URIRef(iris.id_iri("agent", "lcgraph"))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(PUBLISHER_NAME)))
    return agent


def contact(g: Graph, site: str) -> BNode:
    contact = BNode("contact")  # a fixed label: the same catalogue, byte for byte
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(PUBLISHER_NAME)))
    g.add((contact, VCARD.hasURL, URIRef(site + "/")))
    return contact


def typed(g: Graph, iris: Iris) -> None:
    """Class memberships that DCAT-AP's sh:class constraints look for in the same graph."""
    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add((PUBLIC, RDF.type, DCTERMS.RightsStatement))
    g.add((URIRef(LC.rstrip("/")), RDF.type, DCTERMS.Standard))


def document(g: Graph, url: str) -> URIRef:
    node = URIRef(url)
    g.add((node, RDF.type, FOAF.Document))
    return node


def themes(g: Graph) -> list[URIRef]:
    scheme = URIRef(EU + "data-theme")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    themes = []
    for code, (en, nl) in THEMES.items():
        theme = URIRef(f"{EU}data-theme/{code}")
        g.add((theme, RDF.type, SKOS.Concept))
        g.add((theme, SKOS.inScheme, scheme))
        g.add((theme, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((theme, SKOS.prefLabel, Literal(nl, lang="nl")))
        themes.append(theme)
    return themes


def common(
    g: Graph,
    node: URIRef,
    identifier: str,
    agent: URIRef,
    contact: BNode,
    themes: list[URIRef],
    licence: URIRef = LICENCE,
) -> None:
    """What every dataset and service of the catalogue states: identifier, publisher and
    creator, contact point, licence, access rights and themes (DCAT-AP's mandatory ones)."""
    g.add((node, DCTERMS.identifier, Literal(identifier)))
    g.add((node, DCTERMS.publisher, agent))
    g.add((node, DCTERMS.creator, agent))
    g.add((node, DCAT.contactPoint, contact))
    g.add((node, DCTERMS.license, licence))
    g.add((node, DCTERMS.accessRights, PUBLIC))
    for theme in themes:
        g.add((node, DCAT.theme, theme))

"""The catalogue's data services (`lcgraph.publish.dcat`): the SPARQL endpoint and the change
feed, each a `dcat:DataService` that serves the release, with the standard it conforms to.
"""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from lcgraph.iris import Iris
from lcgraph.publish import dcat_parts as parts
from lcgraph.publish.dcat_parts import RDFS_RESOURCE


def sparql_endpoint(
    g: Graph,
    svc: URIRef,
    ds: URIRef,
    agent: URIRef,
    contact: BNode,
    themes: list[URIRef],
) -> None:
    """The SPARQL 1.1 endpoint, which serves its own Service Description."""
    g.add((svc, RDF.type, DCAT.DataService))
    g.add((svc, DCTERMS.title, Literal("lcgraph SPARQL endpoint", lang="en")))
    g.add(
        (svc, DCTERMS.description, Literal("SPARQL 1.1 query endpoint over the graph.", lang="en"))
    )
    parts.common(g, svc, str(svc), agent, contact, themes)
    g.add((svc, DCAT.endpointURL, svc))
    g.add((svc, DCAT.endpointDescription, svc))  # the endpoint serves its Service Description
    g.add((svc, DCAT.servesDataset, ds))
    g.add((svc, RDF.type, RDFS_RESOURCE))
    standard = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((svc, DCTERMS.conformsTo, standard))
    g.add((standard, RDF.type, DCTERMS.Standard))


def change_feed(
    g: Graph,
    feed: URIRef,
    iris: Iris,
    serves: tuple[URIRef, ...],
    agent: URIRef,
    contact: BNode,
    themes: list[URIRef],
) -> None:
    """The change feed (`/changes`, ActivityStreams 2.0; its Atom twin as `dct:relation`):
    a DataService, since its content grows with every release (no fixed size or checksum)."""
    g.add((feed, RDF.type, DCAT.DataService))
    g.add((feed, DCTERMS.title, Literal("lcgraph change feed", lang="en")))
    text = "What each release created, changed and removed, per resource (ActivityStreams 2.0)."
    g.add((feed, DCTERMS.description, Literal(text, lang="en")))
    parts.common(g, feed, str(feed), agent, contact, themes)
    g.add((feed, DCAT.endpointURL, feed))
    description = URIRef(f"{iris.base}/api/openapi.json")  # the OpenAPI document has it
    g.add((feed, DCAT.endpointDescription, description))
    atom = URIRef(f"{iris.base}/changes.atom")
    g.add((feed, DCTERMS.relation, atom))
    for node in (feed, description, atom):
        g.add((node, RDF.type, RDFS_RESOURCE))
    for dataset in serves:
        g.add((feed, DCAT.servesDataset, dataset))
    standard = URIRef("https://www.w3.org/TR/activitystreams-core/")
    g.add((feed, DCTERMS.conformsTo, standard))
    g.add((standard, RDF.type, DCTERMS.Standard))

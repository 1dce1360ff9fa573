"""The DCAT catalogue of a release: the release as a member of a dataset series, its
distributions, the source datasets it is derived from, the SPARQL endpoint as a DataService.

Written to pass DCAT-AP 3.0 and DCAT-AP-NL 3.0 (the SHACL files in standards/, checked in
tests/test_publish.py): every dataset and service has exactly one contact point, an
identifier, a publisher, a creator, access rights, a licence and a theme; every
distribution its access and download URL, media type, size and SHA-256 checksum. Themes
come from the EU data-theme authority table (EDUC, ECON).

The series is `{base}/dataset` (`dcat:DatasetSeries`, with `dcat:first` and `dcat:last`);
a release is `{base}/dataset/{release}` (`dcat:inSeries`, `dcat:prev`, `dcat:version`).
Dates come from the build (`ReleaseInfo.issued`), never the clock, so one store revision
gives one catalogue, byte for byte. Each source (pages.datasets) is a `dcat:Dataset` with
its own licence and the named graphs made from it as its distributions; the release names
them with `dct:source` ("a related Dataset from which the described Dataset is derived").
The data services are described in `dcat_services`, what all of them share in `dcat_parts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

from lcgraph.iris import LC, Iris
from lcgraph.pages.datasets import LICENCE_UNKNOWN, NOT_STATED_TEXT, SourceDataset
from lcgraph.publish import dcat_parts as parts
from lcgraph.publish import dcat_services as services
from lcgraph.publish.dcat_parts import (
    ADMS,
    EU,
    LICENCE,
    RDFS_LABEL,
    RDFS_RESOURCE,
    SPDX,
    VCARD,
)

# rdflib 7.6's DCAT namespace lacks the DCAT 3 terms
DCAT_VERSION, DCAT_SERIES = URIRef(str(DCAT) + "version"), URIRef(str(DCAT) + "DatasetSeries")
IN_SERIES, FIRST, LAST, PREV = (
    URIRef(str(DCAT) + n) for n in ("inSeries", "first", "last", "prev")
)


@dataclass(frozen=True)
class Distribution:
    """A release file as the catalogue describes it."""

    url: str  # absolute download URL
    title: str
    media_type: str
    byte_size: int
    sha256: str
    licence: str = str(LICENCE)
    iri: str | None = None  # the distribution's own IRI; None: its URL


@dataclass(frozen=True)
class ReleaseInfo:
    """Which release this is and where it stands in the series (release ids)."""

    id: str
    issued: datetime | None  # the build's time; None when the store records none
    first: str
    previous: str | None = None
    # what the release holds, counted (pages.dataset.summary): (en, nl), added to its description
    summary: tuple[str, str] | None = None


@dataclass(frozen=True)
class Source:
    """A source dataset of the release with the distributions made from it."""

    dataset: SourceDataset
    distributions: list[Distribution] = field(default_factory=list)


def release_iri(iris: Iris, release: str) -> URIRef:
    return URIRef(f"{iris.base}/dataset/{release}")


def catalogue(
    iris: Iris,
    site: str,
    release: ReleaseInfo,
    endpoint: str,
    distributions: list[Distribution],
    sources: list[Source] | None = None,
) -> Graph:
    """The DCAT catalogue; `site` is the public root URL of pages and dumps."""
    g = Graph(bind_namespaces="rdflib")
    for prefix, ns in (("vcard", VCARD), ("spdx", SPDX), ("adms", ADMS), ("lc", Namespace(LC))):
        g.bind(prefix, ns)
    cat, svc = URIRef(f"{iris.base}/catalog"), URIRef(endpoint)
    feed = URIRef(f"{iris.base}/changes")
    series, ds = URIRef(f"{iris.base}/dataset"), release_iri(iris, release.id)
    agent, contact = parts.agent(g, iris), parts.contact(g, site)
    themes = parts.themes(g)
    parts.typed(g, iris)
    g.add((cat, RDF.type, DCAT.Catalog))
    parts.texts(g, cat, site)
    for p, o in (
        (DCTERMS.publisher, agent),
        (DCAT.contactPoint, contact),
        (DCAT.dataset, series),
        (DCAT.dataset, ds),
        (DCAT.service, svc),
        (DCAT.service, feed),
        (DCTERMS.license, LICENCE),
        (FOAF.homepage, URIRef(site + "/")),
    ):
        g.add((cat, p, o))
    parts.dates(g, cat, release.issued, DCTERMS.modified)
    _series(g, series, iris, release, site, agent, contact, themes)
    _dataset(g, ds, iris, site, release, agent, contact, themes)
    services.sparql_endpoint(g, svc, ds, agent, contact, themes)
    services.change_feed(g, feed, iris, (series, ds), agent, contact, themes)
    for dist in distributions:
        g.add((ds, DCAT.distribution, _distribution(g, dist, svc)))
    for source in sources or []:
        node = _source(g, iris, source, release, svc, contact, themes)
        g.add((ds, DCTERMS.source, node))
        g.add((cat, DCAT.dataset, node))
    return g


def _series(
    g: Graph,
    series: URIRef,
    iris: Iris,
    release: ReleaseInfo,
    site: str,
    agent: URIRef,
    contact: BNode,
    themes: list[URIRef],
) -> None:
    g.add((series, RDF.type, DCAT_SERIES))
    g.add((series, RDF.type, DCAT.Dataset))  # a subclass; the shapes run without inference
    parts.texts(g, series, site)
    parts.common(g, series, str(series), agent, contact, themes)
    g.add((series, FIRST, release_iri(iris, release.first)))
    g.add((series, LAST, release_iri(iris, release.id)))
    parts.dates(g, series, release.issued, DCTERMS.modified)


def _source(
    g: Graph,
    iris: Iris,
    source: Source,
    release: ReleaseInfo,
    svc: URIRef,
    contact: BNode,
    themes: list[URIRef],
) -> URIRef:
    """A source dataset: its own licence (or "not stated"), creator, origin, distributions."""
    data = source.dataset
    node = URIRef(f"{iris.base}/dataset/source/{data.key}")
    licence = URIRef(data.licence or LICENCE_UNKNOWN)
    g.add((node, RDF.type, DCAT.Dataset))
    for lang, text in data.title.items():
        g.add((node, DCTERMS.title, Literal(text, lang=lang)))
        g.add((node, DCTERMS.description, Literal(text, lang=lang)))
    parts.common(g, node, str(node), parts.agent(g, iris), contact, themes, licence)
    creator = URIRef(iris.id_iri("agent", data.key))
    g.set((node, DCTERMS.creator, creator))
    g.add((creator, RDF.type, FOAF.Agent))
    g.add((creator, FOAF.name, Literal(data.creator)))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    if data.licence is None:
        rights = URIRef(f"{node}#rights")
        g.add((node, DCTERMS.rights, rights))
        g.add((rights, RDF.type, DCTERMS.RightsStatement))
        for lang, text in NOT_STATED_TEXT.items():
            g.add((rights, RDFS_LABEL, Literal(text, lang=lang)))
    if data.origin:
        g.add((node, DCAT.landingPage, parts.document(g, data.origin)))
    g.add((node, DCAT_VERSION, Literal(release.id)))
    for dist in source.distributions:
        g.add((node, DCAT.distribution, _distribution(g, dist, svc)))
    return node


def _dataset(
    g: Graph,
    ds: URIRef,
    iris: Iris,
    site: str,
    release: ReleaseInfo,
    agent: URIRef,
    contact: BNode,
    themes: list[URIRef],
) -> None:
    g.add((ds, RDF.type, DCAT.Dataset))
    parts.texts(g, ds, site, release.summary)
    parts.common(g, ds, str(ds), agent, contact, themes)
    g.add((ds, DCAT_VERSION, Literal(release.id)))
    g.add((ds, IN_SERIES, URIRef(f"{iris.base}/dataset")))
    if release.previous is not None:
        g.add((ds, PREV, release_iri(iris, release.previous)))
    parts.dates(g, ds, release.issued, DCTERMS.issued, DCTERMS.modified)
    g.add((ds, DCAT.landingPage, parts.document(g, site + "/")))
    g.add((ds, DCTERMS.conformsTo, URIRef(LC.rstrip("/"))))
    for language in ("NLD", "ENG"):
        g.add((ds, DCTERMS.language, URIRef(f"{EU}language/{language}")))
        g.add((URIRef(f"{EU}language/{language}"), RDF.type, DCTERMS.LinguisticSystem))
    for keyword in ("learning communities", "leergemeenschappen", "topsectoren", "human capital"):
        g.add((ds, DCAT.keyword, Literal(keyword)))


def _distribution(g: Graph, dist: Distribution, svc: URIRef) -> URIRef:
    node, url = URIRef(dist.iri or dist.url), URIRef(dist.url)
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(dist.title, lang="en")))
    g.add((node, DCAT.accessURL, url))
    g.add((node, DCAT.downloadURL, url))
    g.add((url, RDF.type, RDFS_RESOURCE))
    g.add((node, DCTERMS.license, URIRef(dist.licence)))
    media_type = URIRef("https://www.iana.org/assignments/media-types/" + dist.media_type)
    g.add((node, DCAT.mediaType, media_type))
    g.add((media_type, RDF.type, DCTERMS.MediaType))
    g.add((node, DCAT.byteSize, Literal(dist.byte_size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode(
        "checksum-" + dist.sha256 + ("-" + dist.iri.rsplit("#", 1)[-1] if dist.iri else "")
    )  # labelled: same bytes per release
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
    return node

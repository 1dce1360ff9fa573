"""Where /explore offers the properties of the imported vocabularies (issue 16).

The import modules (`ontology/imports/`) declare only the terms of org:, skos:, prov:, dct:,
dcat:, foaf: and vann: that lcgraph uses, with their English label as published and no
domain or range. So where a user can ask about such a property is stated here, from where
lcgraph uses it: the restrictions of `lcgraph-edit.ttl` (a participation's `org:member` is a
stakeholder, its `org:role` a participation role, its `org:organization` a collaboration)
and the data shapes (`ontology/shapes/lcgraph.shacl.ttl`: a learning community's
`org:hasMember`, a stakeholder's `org:memberOf`). Each entry names its classes and range,
possibly classes of the imports (`org:OrganizationalCollaboration`), which the configuration
unfolds to the lcgraph classes below them, and gives the nl and en names the imports lack.

Every other property the imports declare is in `IMPORTED_EXCLUDED` with the reason; the
configuration test fails when one is in neither list.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import SKOS, XSD, Namespace, URIRef

from lcgraph.iris import LC

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VANN = Namespace("http://purl.org/vocab/vann/")


def _lc(name: str) -> URIRef:
    return URIRef(LC + name)


@dataclass(frozen=True)
class Use:
    """An imported property as lcgraph uses it: asked on `domains`, its values in `range`."""

    domains: tuple[URIRef, ...]
    range: URIRef  # a class (unfolded to the lcgraph classes below it) or an XSD datatype
    name: dict[str, str]  # language -> name, as the builder shows it
    tip: dict[str, str]  # language -> tooltip


COLLABORATION = ORG.OrganizationalCollaboration  # learning communities and funded projects

IMPORTED: dict[URIRef, Use] = {
    ORG.member: Use(
        (_lc("Participation"),),
        _lc("Stakeholder"),
        {"en": "has member", "nl": "heeft als lid"},
        {
            "en": "The stakeholder that takes part (org:member).",
            "nl": "De belanghebbende die deelneemt (org:member).",
        },
    ),
    ORG.organization: Use(
        (_lc("Participation"),),
        COLLABORATION,
        {"en": "in collaboration", "nl": "in samenwerking"},
        {
            "en": "The learning community or funded project taken part in (org:organization).",
            "nl": "De leergemeenschap of het project waaraan wordt deelgenomen (org:organization).",
        },
    ),
    ORG.role: Use(
        (_lc("Participation"),),
        _lc("ParticipationRole"),
        {"en": "in the role", "nl": "in de rol"},
        {
            "en": "The role in which the stakeholder takes part (org:role).",
            "nl": "De rol waarin de belanghebbende deelneemt (org:role).",
        },
    ),
    ORG.hasMember: Use(
        (COLLABORATION,),
        _lc("Stakeholder"),
        {"en": "has member", "nl": "heeft lid"},
        {
            "en": "A stakeholder taking part in the collaboration (org:hasMember).",
            "nl": "Een belanghebbende die aan de samenwerking deelneemt (org:hasMember).",
        },
    ),
    ORG.memberOf: Use(
        (_lc("Stakeholder"),),
        COLLABORATION,
        {"en": "member of", "nl": "lid van"},
        {
            "en": "A learning community or funded project the stakeholder takes part in "
            "(org:memberOf).",
            "nl": "Een leergemeenschap of project waaraan de belanghebbende deelneemt "
            "(org:memberOf).",
        },
    ),
    SKOS.notation: Use(
        (_lc("Region"), SKOS.Concept),
        XSD.string,
        {"en": "has code", "nl": "heeft code"},
        {
            "en": "The code of a region (CBS, such as PV30) or of a concept (skos:notation).",
            "nl": "De code van een regio (CBS, zoals PV30) of van een begrip (skos:notation).",
        },
    ),
    DCT.identifier: Use(
        (_lc("Stakeholder"), COLLABORATION, _lc("Region")),
        XSD.string,
        {"en": "has identifier", "nl": "heeft identificatie"},
        {
            "en": "The identifier in the source (dct:identifier).",
            "nl": "De identificatie in de bron (dct:identifier).",
        },
    ),
}

_LABELS = "a label: the builder shows and searches labels (skos:prefLabel, rdfs:label) itself"
_DOCS = "documentation text, shown as a tooltip and on the resource's page, not a value to ask for"
_BUILD = (
    "provenance of the build (source files, rows and the build activity, a prov:Activity "
    "that is no class of the lcgraph ontology), shown in /catalog and on each page"
)
_DCAT = (
    "describes the build's dataset catalogue (/catalog, DCAT-AP-NL), whose datasets and "
    "distributions are not classes of the lcgraph ontology"
)
_META = "describes documents, datasets or the ontology itself, not the learning-community data"
_SCHEME = (
    "a concept's scheme is its class here (each NL-SBB scheme has its own subclass of "
    "skos:Concept), so the builder asks for the class instead"
)
_MAPPING = (
    "a link between concepts of different schemes; no class of the ontology is its range, "
    "so the builder has no list to offer"
)
_HIERARCHY = (
    "the hierarchy inside one concept scheme; its range is the domain's own class, which "
    "one shared property shape cannot state per scheme, and the lists show the concepts flat"
)

IMPORTED_EXCLUDED: dict[URIRef, str] = {
    SKOS.prefLabel: _LABELS,
    SKOS.altLabel: _LABELS,
    SKOS.definition: _DOCS,
    SKOS.scopeNote: _DOCS,
    SKOS.editorialNote: _DOCS,
    SKOS.broader: _HIERARCHY,
    SKOS.narrower: _HIERARCHY,
    SKOS.related: _MAPPING,
    SKOS.exactMatch: _MAPPING,
    SKOS.closeMatch: _MAPPING,
    SKOS.relatedMatch: _MAPPING,
    SKOS.inScheme: _SCHEME,
    SKOS.topConceptOf: _SCHEME,
    SKOS.hasTopConcept: _SCHEME,
    PROV.wasDerivedFrom: _BUILD,
    PROV.wasGeneratedBy: _BUILD,
    PROV.wasAttributedTo: _BUILD,
    PROV.used: _BUILD,
    PROV.startedAtTime: _BUILD,
    PROV.endedAtTime: _BUILD,
    PROV.generatedAtTime: _BUILD,
    FOAF.homepage: "a web address outside this graph (no label, no page here), shown on the "
    "organisation's page",
    FOAF.name: "names are skos:prefLabel in this graph, which the builder shows as labels",
    **dict.fromkeys(
        [
            DCAT.accessURL,
            DCAT.dataset,
            DCAT.distribution,
            DCAT.downloadURL,
            DCAT.mediaType,
            DCAT.service,
            DCAT.theme,
            DCAT.keyword,
        ],
        _DCAT,
    ),
    **dict.fromkeys(
        [
            DCT.alternative,
            DCT.bibliographicCitation,
            DCT.conformsTo,
            DCT.created,
            DCT.creator,
            DCT.description,
            DCT["format"],
            DCT.issued,
            DCT.license,
            DCT.modified,
            DCT.publisher,
            DCT["title"],
            VANN.preferredNamespacePrefix,
            VANN.preferredNamespaceUri,
        ],
        _META,
    ),
    DCT.source: "the document a concept or a learning community was taken from; shown on "
    "its page with the section (lc:sectionRef), not a question about the data",
}

__all__ = ["IMPORTED", "IMPORTED_EXCLUDED", "Use"]

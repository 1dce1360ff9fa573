"""The Dutch URI strategy in one place: every IRI lcgraph mints comes from here.

`/id/{type}/{ref}` names a thing, `/doc/{type}/{ref}` the page about it, `/def/...` the
ontology and the concept schemes, `/graph/...` the named graphs (docs/model.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

ONTOLOGY = "https://w3id.org/lcgraph/def/lc"
LC = ONTOLOGY + "/"
SEARCH = "https://w3id.org/lcgraph/def/search#"  # lcs:, the full-text search in SPARQL

W3C_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}

RDF_TYPE = W3C_PREFIXES["rdf"] + "type"
XSD = W3C_PREFIXES["xsd"]

_CURIE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")


@dataclass(frozen=True)
class Iris:
    """IRIs under one base, e.g. `Iris("https://w3id.org/lcgraph")`."""

    base: str

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefix → namespace, for mappings, queries and serialisations."""
        return {
            "lc": LC,
            "id": f"{self.base}/id/",
            "def": f"{self.base}/def/",
            "lcs": SEARCH,
            **W3C_PREFIXES,
        }

    def id_iri(self, kind: str, ref: str) -> str:
        return f"{self.base}/id/{kind}/{ref}"

    def def_iri(self, scheme: str, code: str | None = None) -> str:
        return f"{self.base}/def/{scheme}" + ("" if code is None else f"/{code}")

    def graph_iri(self, *parts: str) -> str:
        return f"{self.base}/graph/" + "/".join(parts)

    def source_iri(self, dataset: str, file: str, row: int | None = None) -> str:
        """The IRI of a source file, or of one of its rows as an RFC 7111 fragment."""
        iri = f"{self.base}/source/{dataset}/{file}"
        return iri if row is None else f"{iri}#row={row}"

    def doc_url(self, iri: str) -> str | None:
        """The page about a thing: `/id/` becomes `/doc/`; None for IRIs not under /id/."""
        prefix = f"{self.base}/id/"
        return f"{self.base}/doc/{iri[len(prefix) :]}" if iri.startswith(prefix) else None

    @property
    def ontology_graph(self) -> str:
        return self.graph_iri("ontology")

    @property
    def inferred_graph(self) -> str:
        return self.graph_iri("inferred")

    @property
    def provenance_graph(self) -> str:
        return self.graph_iri("provenance")

    def expand(self, curie: str) -> str:
        """`lc:Pilot` → full IRI; a full IRI (with `://`) is returned as it is.

        Raises KeyError for an unknown prefix.
        """
        if "://" in curie:
            return curie
        match = _CURIE.match(curie)
        if match is None:
            raise KeyError(curie)
        return self.prefixes[match.group(1)] + match.group(2)

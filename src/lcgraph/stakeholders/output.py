"""The triples the stakeholders step adds: each organisation's type and name, and the evidence.

Into the dataset's `stakeholders` graph: `rdf:type lc:Organisation` (and the classes the
sources hint) and one `skos:prefLabel`@nl, unless the most authoritative record's own
mapping states it (organisations.csv; a steward's organisation that joined no other record
gets nothing here). Into the provenance graph: one
`lc:ReconciliationEvidence` per join, with its rule, score, detail and the two records.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from lcgraph.iris import RDF_TYPE, W3C_PREFIXES, Iris
from lcgraph.mapping import MappedSource
from lcgraph.stakeholders.organisations import Organisation
from lcgraph.stakeholders.records import Key

PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
DERIVED = W3C_PREFIXES["prov"] + "wasDerivedFrom"
XSD_DOUBLE = NamedNode(W3C_PREFIXES["xsd"] + "double")
GRAPH = "stakeholders"


def stakeholder_quads(orgs: list[Organisation], iris: Iris, dataset: str) -> MappedSource:
    """The step's triples as a MappedSource, so the build loads and resolves them as any."""
    out = MappedSource(file="stakeholders")
    graph = iris.graph_iri(dataset, GRAPH)
    out.graphs.add(graph)
    lc = iris.expand("lc:")
    for org in orgs:
        subject = iris.id_iri("organisation", org.slug)
        out.subjects[subject] = f"the stakeholders step ({org.label.file} {org.label.where})"
        if not org.joins and org.label.states_label:
            continue  # a steward's organisation alone: its own mapping says all there is
        for cls in [lc + "Organisation", *org.types]:
            out.lines.append(_quad(subject, RDF_TYPE, f"<{cls}>", graph))
            out.links.append((subject, RDF_TYPE, cls))
        if not org.label.states_label:
            label = str(Literal(org.label.name, language="nl"))
            out.lines.append(_quad(subject, PREF_LABEL, label, graph))
        for key in org.keys:  # the organisation is made of its records
            record = f"<{record_iri(iris, dataset, key)}>"
            out.lines.append(_quad(subject, DERIVED, record, iris.provenance_graph))
        out.lines.extend(_evidence(org, subject, iris, dataset))
    return out


def _evidence(org: Organisation, subject: str, iris: Iris, dataset: str) -> list[str]:
    graph = iris.provenance_graph
    lc = iris.expand("lc:")
    lines = []
    for n, link in enumerate(org.joins, start=1):
        score = str(Literal(repr(link.score), datatype=XSD_DOUBLE))
        evidence = iris.id_iri("reconciliation", f"{org.slug}-{n}")
        lines += [
            _quad(evidence, RDF_TYPE, f"<{lc}ReconciliationEvidence>", graph),
            _quad(evidence, lc + "evidenceFor", f"<{subject}>", graph),
            _quad(evidence, lc + "matchRule", str(Literal(link.rule)), graph),
            _quad(evidence, lc + "matchScore", score, graph),
            _quad(evidence, lc + "matchDetail", str(Literal(link.detail)), graph),
        ]
        for key in (link.a, link.b):
            lines.append(_quad(evidence, DERIVED, f"<{record_iri(iris, dataset, key)}>", graph))
    return lines


def record_iri(iris: Iris, dataset: str, key: Key) -> str:
    """`<…/source/curated/file.csv#row=N>`: the record as the mapping's provenance names it."""
    file, fragment = key
    return f"{iris.source_iri(dataset, file)}#{fragment}"


def _quad(subject: str, predicate: str, obj: str, graph: str) -> str:
    return f"<{subject}> <{predicate}> {obj} <{graph}> .\n"

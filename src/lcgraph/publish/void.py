"""The release's VoID description, from the statistics of `lcgraph.pages.dataset`.

Entities per class (`void:classPartition`), triples per property (`void:propertyPartition`)
and per named graph (`void:subset`), and the delta to the previous release as two subsets.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.pages.dataset import Statistics
from lcgraph.releases.dumps import graph_file

VOID = W3C_PREFIXES["void"]
SD = "http://www.w3.org/ns/sparql-service-description#"
XSD_INTEGER = NamedNode(W3C_PREFIXES["xsd"] + "integer")


def void_triples(
    stats: Statistics, dataset: str, iris: Iris, sparql_endpoint: str, dumps: list[str]
) -> list[tuple[NamedNode, NamedNode, NamedNode | Literal]]:
    """The VoID description of `dataset` (an IRI) as (s, p, o) tuples."""
    ds = NamedNode(dataset)
    a = NamedNode(W3C_PREFIXES["rdf"] + "type")
    out: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (ds, a, NamedNode(VOID + "Dataset")),
        (ds, NamedNode(VOID + "sparqlEndpoint"), NamedNode(sparql_endpoint)),
        (ds, NamedNode(VOID + "uriSpace"), Literal(iris.base + "/id/")),
        (ds, NamedNode(VOID + "vocabulary"), NamedNode(LC)),
        (ds, NamedNode(VOID + "exampleResource"), NamedNode(iris.def_iri("topsector"))),
    ]
    out += [(ds, NamedNode(VOID + "dataDump"), NamedNode(d)) for d in dumps]
    for name, number in (
        ("triples", stats.triples),
        ("distinctSubjects", stats.subjects),
        ("distinctObjects", stats.objects),
        ("classes", len(stats.classes)),
        ("properties", len(stats.properties)),
    ):
        out.append((ds, NamedNode(VOID + name), _int(number)))
    out += _partitions(ds, "classPartition", "class", "entities", stats.classes)
    out += _partitions(ds, "propertyPartition", "property", "triples", stats.properties)
    out += _partitions(ds, "subset", None, "triples", stats.graphs)
    return out


def _partitions(
    ds: NamedNode, link: str, key: str | None, measure: str, counts: dict[str, int]
) -> list[tuple[NamedNode, NamedNode, NamedNode | Literal]]:
    out: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = []
    for i, (iri, number) in enumerate(counts.items()):
        part = NamedNode(f"{ds.value}/{link}/{i}") if key else NamedNode(iri)
        out.append((ds, NamedNode(VOID + link), part))
        if key:
            out.append((part, NamedNode(VOID + key), NamedNode(iri)))
        else:
            out.append((part, NamedNode(W3C_PREFIXES["rdf"] + "type"), NamedNode(VOID + "Dataset")))
        out.append((part, NamedNode(VOID + measure), _int(number)))
    return out


def _int(number: int) -> Literal:
    return Literal(str(number), datatype=XSD_INTEGER)


def delta_triples(
    release: str, previous: str, dumps: str, graphs: dict[str, dict[str, int]], iris: Iris
) -> list[tuple[NamedNode, NamedNode, NamedNode | Literal]]:
    """The delta's counts in VoID: the added quads are a subset of `release`, the removed
    ones a subset of `previous` (dataset IRIs), each with its dump (under `dumps`) and one
    subset per named graph, named by `sd:name`."""
    out: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = []
    a, name = NamedNode(W3C_PREFIXES["rdf"] + "type"), NamedNode(SD + "name")
    for kind, owner in (("added", release), ("removed", previous)):
        part = NamedNode(f"{release}/delta-{kind}")
        total = sum(counts[kind] for counts in graphs.values())
        out += [
            (NamedNode(owner), NamedNode(VOID + "subset"), part),
            (part, a, NamedNode(VOID + "Dataset")),
            (part, NamedNode(VOID + "triples"), _int(total)),
            (part, NamedNode(VOID + "dataDump"), NamedNode(f"{dumps}delta-{kind}.nq.gz")),
        ]
        for graph, counts in graphs.items():
            sub = NamedNode(f"{part.value}/{graph_file(graph, iris)}")
            out += [
                (part, NamedNode(VOID + "subset"), sub),
                (sub, a, NamedNode(VOID + "Dataset")),
                (sub, NamedNode(VOID + "triples"), _int(counts[kind])),
            ]
            if graph:
                out.append((sub, name, NamedNode(graph)))
    return out

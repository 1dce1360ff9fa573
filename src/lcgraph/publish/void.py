"""VoID statistics computed from the store, for the release and the landing page.

Counts are read from the live graph at publication time, never typed in: triples, distinct
subjects and objects, entities per class (`void:classPartition`), triples per property
(`void:propertyPartition`) and per named graph (`void:subset`). The default graph of every
query is the union of the named graphs, as in the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lcgraph.iris import LC, W3C_PREFIXES, Iris
from lcgraph.publish.describe import select
from lcgraph.publish.dumps import graph_file
from lcgraph.store import Reader

VOID = W3C_PREFIXES["void"]
SD = "http://www.w3.org/ns/sparql-service-description#"
XSD_INTEGER = NamedNode(W3C_PREFIXES["xsd"] + "integer")


@dataclass(frozen=True)
class Statistics:
    """What the graph holds, counted."""

    triples: int
    subjects: int
    objects: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> distinct instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples
    graphs: dict[str, int] = field(default_factory=dict)  # named graph -> quads
    sectors: dict[str, int] = field(default_factory=dict)  # topsector -> learning communities


def _pairs(store: Reader, query: str) -> dict[str, int]:
    return {row[0]: int(row[1]) for row in select(store, query)}


def _one(store: Reader, query: str) -> int:
    return int(select(store, query)[0][0])


def statistics(store: Reader) -> Statistics:
    """Count the live graph (a few aggregate queries)."""
    return Statistics(
        triples=_one(store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"),
        subjects=_one(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"),
        objects=_one(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"),
        classes=_pairs(
            store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c ORDER BY ?c"
        ),
        properties=_pairs(
            store,
            "SELECT ?p (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } } "
            "GROUP BY ?p ORDER BY ?p",
        ),
        graphs=_pairs(
            store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        ),
        sectors=_pairs(
            store,
            f"SELECT ?sector (COUNT(DISTINCT ?lc) AS ?n) {{ ?lc a <{LC}LearningCommunity> ; "
            f"<{LC}sector> ?sector }} GROUP BY ?sector ORDER BY ?sector",
        ),
    )


# What the graph is about, in the words of the landing page and the release's description:
# (class, English plural, Dutch plural). Counted from `Statistics.classes`, never typed in.
FIGURES: tuple[tuple[str, str, str], ...] = (
    (f"{LC}Organisation", "organisations", "organisaties"),
    (f"{LC}FundedProject", "funded projects", "gesubsidieerde projecten"),
    (f"{LC}LearningCommunity", "learning communities", "leergemeenschappen"),
    (f"{LC}Participation", "participations", "deelnames"),
)


def figures(stats: Statistics) -> list[tuple[str, int, str, str]]:
    """(class, instances, English, Dutch) for each of FIGURES, zero where there are none."""
    return [(c, stats.classes.get(c, 0), en, nl) for c, en, nl in FIGURES]


def summary(stats: Statistics) -> tuple[str, str]:
    """One sentence per language (en, nl) that says what the graph holds, from its counts."""
    rows = figures(stats)
    en = ", ".join(f"{n:,} {name}" for _, n, name, _ in rows)
    nl = ", ".join(f"{dutch_number(n)} {name}" for _, n, _, name in rows)
    return (
        f"It holds {en} ({stats.triples:,} triples).",
        f"Hij bevat {nl} ({dutch_number(stats.triples)} triples).",
    )


def dutch_number(n: int) -> str:
    """1234567 as Dutch writes it: 1.234.567."""
    return f"{n:,}".replace(",", ".")


def own_classes(stats: Statistics) -> dict[str, int]:
    """The instance counts of our own classes (`lc:`), for people; VoID lists them all."""
    return {c: n for c, n in stats.classes.items() if c.startswith(LC)}


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

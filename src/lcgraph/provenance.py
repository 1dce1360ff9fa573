"""PROV-O and DCAT triples that tie the build, each named graph and each source file together.

Row-level provenance (`prov:wasDerivedFrom <file#row=N>`) is written by the mapping; this
module describes the build activity, the source files (with their SHA-256) and the graphs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from lcgraph.iris import RDF_TYPE, W3C_PREFIXES, Iris

PROV = W3C_PREFIXES["prov"]
DCT = W3C_PREFIXES["dct"]
DCAT = W3C_PREFIXES["dcat"]
TYPE = NamedNode(RDF_TYPE)
XSD_DATETIME = NamedNode(W3C_PREFIXES["xsd"] + "dateTime")


@dataclass(frozen=True)
class SourceRecord:
    """A source file that fed some named graphs."""

    path: Path
    dataset: str
    graphs: frozenset[str]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe_build(
    iris: Iris,
    build_id: str,
    started: datetime,
    sources: Iterable[SourceRecord],
    software_version: str,
) -> list[Quad]:
    """The provenance graph's description of one build."""
    graph = NamedNode(iris.provenance_graph)
    activity = NamedNode(iris.id_iri("build", build_id))
    quads = list(_activity(activity, started, software_version, graph))
    for source in sources:
        quads.extend(_source(iris, source, activity, graph))
    for name in (iris.inferred_graph, iris.ontology_graph):
        quads.append(Quad(NamedNode(name), NamedNode(PROV + "wasGeneratedBy"), activity, graph))
    return quads


def _activity(
    activity: NamedNode, started: datetime, version: str, graph: NamedNode
) -> Iterator[Quad]:
    yield Quad(activity, TYPE, NamedNode(PROV + "Activity"), graph)
    yield Quad(activity, NamedNode(PROV + "startedAtTime"), _time(started), graph)
    yield Quad(activity, NamedNode(PROV + "endedAtTime"), _time(datetime.now(UTC)), graph)
    yield Quad(
        activity,
        NamedNode(W3C_PREFIXES["rdfs"] + "label"),
        Literal(f"lcgraph {version} build"),
        graph,
    )


def _source(
    iris: Iris, source: SourceRecord, activity: NamedNode, graph: NamedNode
) -> Iterator[Quad]:
    file = NamedNode(iris.source_iri(source.dataset, source.path.name))
    yield Quad(file, TYPE, NamedNode(DCAT + "Distribution"), graph)
    yield Quad(file, TYPE, NamedNode(PROV + "Entity"), graph)
    yield Quad(file, NamedNode(DCT + "title"), Literal(source.path.name), graph)
    yield Quad(
        file,
        NamedNode(DCAT + "mediaType"),
        NamedNode("https://www.iana.org/assignments/media-types/text/csv"),
        graph,
    )
    yield Quad(
        file, NamedNode(W3C_PREFIXES["schema"] + "sha256"), Literal(sha256(source.path)), graph
    )
    yield Quad(activity, NamedNode(PROV + "used"), file, graph)
    for name in sorted(source.graphs):
        target = NamedNode(name)
        yield Quad(target, TYPE, NamedNode(PROV + "Entity"), graph)
        yield Quad(target, NamedNode(PROV + "wasDerivedFrom"), file, graph)
        yield Quad(target, NamedNode(PROV + "wasGeneratedBy"), activity, graph)


def _time(moment: datetime) -> Literal:
    return Literal(moment.isoformat(timespec="seconds"), datatype=XSD_DATETIME)

"""The change history in the graph, so SPARQL can ask what changed since a release (issue 17).

The deltas live in the release files; a query over the live graph sees none of them. So the
build writes the history into the provenance graph: each kept release, and each resource
created, changed or removed in it, as the ActivityStreams 2.0 activities of the change feed
(`releases.feed`), and those of the build itself, against the newest kept release:

    <{base}/dataset/{release}> a dcat:Dataset ; dcat:version "{release}" ; dct:issued …
    <{base}/dataset/{release}#change-…> a as:Update ; as:object <{base}/id/…> ;
        as:context <{base}/dataset/{release}> ; as:published "…"^^xsd:dateTime .
    <{base}/dataset/build/{id}#change-…> a as:Create ; as:object … ;
        as:context <{base}/id/build/{id}> ; as:published …

The build's own activities have the build as context, since its release id is not known
before it is published; their date is the build's `prov:endedAtTime`, which is the date of
the release it becomes. So the named query `changed-since` answers from the graph alone:
what changed in every release after X, up to and including the live graph. Without a history
folder (or an empty one) nothing is written. A broken kept release stops the build
(ReleaseError naming the release and the file), as it stops `lcgraph publish`.

The cost is the delta of the build against the newest kept release (`benchmarks/release.py`
times it) and 4 triples per activity.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, RdfFormat, serialize

from lcgraph.config import Settings
from lcgraph.iris import RDF_TYPE, W3C_PREFIXES, Iris
from lcgraph.releases import changelog, delta, history
from lcgraph.store import Staging

AS = "https://www.w3.org/ns/activitystreams#"
DCT, DCAT, PROV = W3C_PREFIXES["dct"], W3C_PREFIXES["dcat"], W3C_PREFIXES["prov"]
TYPE = NamedNode(RDF_TYPE)
XSD_DATETIME = NamedNode(W3C_PREFIXES["xsd"] + "dateTime")
_ALL = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def history_quads(settings: Settings, iris: Iris, staging: Staging) -> list[Quad]:
    """The quads of the history for the provenance graph of the graph being built."""
    log = changelog.load(settings.history, fresh=True)
    log.check()
    if not log.releases:
        return []
    graph = NamedNode(iris.provenance_graph)
    quads: list[Quad] = []
    for kept in log.releases:
        quads += _release(kept.release, iris, graph)
    for event in log.events:
        context = f"{iris.base}/dataset/{event.release}"
        quads += _activity(event.kind, event.iri, context, event.issued, graph)
    build, ended = _build(staging, iris)
    if build is not None:
        changes = _own_delta(staging, iris, log.releases[-1].release)
        ids = f"{iris.base}/dataset/build/{build.rsplit('/', 1)[-1]}"  # no page: not under /id/
        for name, kind in changelog.KINDS.items():
            for iri in changes.resources[name]:
                quads += _activity(kind, iri, build, ended, graph, ids)
    return quads


def _release(release: history.Release, iris: Iris, graph: NamedNode) -> Iterator[Quad]:
    node = NamedNode(f"{iris.base}/dataset/{release.id}")
    yield Quad(node, TYPE, NamedNode(DCAT + "Dataset"), graph)
    yield Quad(node, NamedNode(DCAT + "version"), Literal(release.id), graph)
    if release.issued is not None:
        yield Quad(node, NamedNode(DCT + "issued"), _time(release.issued), graph)


def _activity(
    kind: str,
    iri: str,
    context: str,
    issued: str | None,
    graph: NamedNode,
    ids: str | None = None,
) -> Iterator[Quad]:
    """One activity; its IRI is `{ids}#change-{hash}` (`ids` default: the context), as
    releases.feed.activity_iri names it."""
    digest = hashlib.blake2b(iri.encode(), digest_size=8).hexdigest()
    node = NamedNode(f"{ids or context}#change-{digest}")
    yield Quad(node, TYPE, NamedNode(AS + kind), graph)
    yield Quad(node, NamedNode(AS + "object"), NamedNode(iri), graph)
    yield Quad(node, NamedNode(AS + "context"), NamedNode(context), graph)
    if issued is not None:
        yield Quad(node, NamedNode(AS + "published"), _time(issued), graph)


def _build(staging: Staging, iris: Iris) -> tuple[str | None, str | None]:
    """The build activity of the staged graph and its end, as the provenance graph says."""
    rows = staging.query(
        f"SELECT ?build ?ended WHERE {{ GRAPH <{iris.provenance_graph}> {{ "
        f"?build <{PROV}endedAtTime> ?ended }} }} ORDER BY DESC(?ended) LIMIT 1"
    )
    assert isinstance(rows, QuerySolutions)  # a SELECT
    for row in rows:
        build, ended = row["build"], row["ended"]
        if isinstance(build, NamedNode) and isinstance(ended, Literal):
            return build.value, ended.value
    return None, None


def _own_delta(staging: Staging, iris: Iris, previous: history.Release) -> delta.Delta:
    """What the staged graph changes against the newest kept release."""
    history.verify(previous, ["lcgraph.nq.gz"])
    old = delta.lines(gzip.decompress((previous.folder / "lcgraph.nq.gz").read_bytes()), iris)
    rows = staging.query(_ALL)
    assert isinstance(rows, QuerySolutions)  # a SELECT
    staged = (Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
    new = delta.lines(serialize(staged, format=RdfFormat.N_QUADS) or b"", iris)
    return delta.compare(old, new, iris)


def _time(value: str) -> Literal:
    return Literal(value, datatype=XSD_DATETIME)

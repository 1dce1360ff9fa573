"""Apply a write (SPARQL Update, Graph Store write) as a new store generation.

pyoxigraph cannot open a writer on a folder that read-only readers (the query workers)
hold, and a live generation is never written to (see `lcgraph.store.embedded`). So a write
copies the live graph into a staged generation (`stage(from_live=True)`; a remote store
stages its graphs the same way), applies the change there and makes it live atomically:
readers see the old graph or the new one, and a failing update leaves the old graph
untouched. It costs a full copy per write, which suits a read-mostly service where
writes are rare, authenticated maintenance; bulk changes belong in `lcgraph build`.
"""

from __future__ import annotations

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from lcgraph.errors import QueryError
from lcgraph.query_errors import syntax_error
from lcgraph.store import GraphStore, Staging
from lcgraph.store.sparql_text import drop_silent


def apply_update(store: GraphStore, sparql: str, base_iri: str | None = None) -> str:
    """Run `sparql` (SPARQL 1.1 Update) on a copy of the live graph; returns the new revision.

    Relative IRIs in it resolve against `base_iri` (the protocol: the request's URL)."""
    with store.stage(from_live=True) as staging:
        try:
            staging.update(sparql, base_iri)
        except SyntaxError as err:
            raise syntax_error(err) from err
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryError(f"update failed: {err}") from err
        staging.set_meta(last_write="sparql-update")
    return store.revision() or ""


class GraphNotFound(QueryError):
    """A write names a graph the store does not have."""

    status = 404


def write_graph(
    store: GraphStore, graph: str | None, documents: list[tuple[bytes, str]], replace: bool
) -> tuple[str, bool]:
    """Add the RDF `documents` (data, media type) to `graph` (None: the default graph),
    replacing it first when `replace`; returns (the new revision, whether it made the graph)."""
    target = DefaultGraph() if graph is None else NamedNode(graph)
    quads = [
        Quad(t.subject, t.predicate, t.object, target)
        for data, media_type in documents
        for t in _triples(data, media_type, graph)
    ]
    with store.stage(from_live=True) as staging:
        created = graph is not None and not _has_graph(staging, graph)
        if replace:
            staging.update(drop_silent(graph))
        staging.load(serialize(quads, format=RdfFormat.N_QUADS) or b"")
    return store.revision() or "", created


def _triples(data: bytes, media_type: str, base_iri: str | None) -> list[Triple]:
    try:
        format_ = RdfFormat.from_media_type(media_type)
        if format_ is None or format_.supports_datasets:
            raise ValueError(f"unsupported RDF media type {media_type!r}")
        return [q.triple for q in parse(data, format_, base_iri=base_iri)]
    except (SyntaxError, ValueError) as err:
        raise QueryError(f"cannot read the graph: {err}") from err


def drop_graph(store: GraphStore, graph: str | None) -> str:
    """Remove `graph` (None: the default graph) in a new generation; GraphNotFound if the
    store has no such graph (nothing changes then)."""
    with store.stage(from_live=True) as staging:
        if graph is not None and not _has_graph(staging, graph):
            raise GraphNotFound(f"no graph {graph} in the store")
        staging.update(drop_silent(graph))
    return store.revision() or ""


def _has_graph(staging: Staging, graph: str) -> bool:
    return bool(staging.query(f"ASK {{ GRAPH {NamedNode(graph)} {{ ?s ?p ?o }} }}"))

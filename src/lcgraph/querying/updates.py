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

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, parse, serialize

from lcgraph.errors import QueryError
from lcgraph.query_errors import syntax_error
from lcgraph.store import GraphStore


def apply_update(store: GraphStore, sparql: str) -> str:
    """Run `sparql` (SPARQL 1.1 Update) on a copy of the live graph; returns the new revision."""
    with store.stage(from_live=True) as staging:
        try:
            staging.update(sparql)
        except SyntaxError as err:
            raise syntax_error(err) from err
        except (OSError, ValueError, RuntimeError) as err:
            raise QueryError(f"update failed: {err}") from err
        staging.set_meta(last_write="sparql-update")
    return store.revision() or ""


def write_graph(
    store: GraphStore, graph: str | None, data: bytes, media_type: str, replace: bool
) -> str:
    """Add `data` to `graph` (None: the default graph), replacing it first when `replace`."""
    target = DefaultGraph() if graph is None else NamedNode(graph)
    try:
        format_ = RdfFormat.from_media_type(media_type)
        if format_ is None:
            raise ValueError(f"unsupported RDF media type {media_type!r}")
        triples = list(parse(data, format_, base_iri=graph))
    except (SyntaxError, ValueError) as err:
        raise QueryError(f"cannot read the graph: {err}") from err
    quads = [Quad(t.subject, t.predicate, t.object, target) for t in triples]
    with store.stage(from_live=True) as staging:
        if replace:
            staging.update(_drop(graph))
        staging.load(serialize(quads, format=RdfFormat.N_QUADS) or b"")
    return store.revision() or ""


def drop_graph(store: GraphStore, graph: str | None) -> str:
    """Remove `graph` (None: the default graph) in a new generation."""
    with store.stage(from_live=True) as staging:
        staging.update(_drop(graph))
    return store.revision() or ""


def _drop(graph: str | None) -> str:
    return "DROP SILENT DEFAULT" if graph is None else f"DROP SILENT GRAPH {NamedNode(graph)}"

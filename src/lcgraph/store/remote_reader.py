"""A remote store seen through the read methods of `pyoxigraph.Store`.

The query workers and the linked-data pages read with `Store.query`, `quads_for_pattern`
and `named_graphs`. `RemoteStore.reader()` returns this adapter so the
same code reads an embedded generation or a SPARQL server. Bound terms travel as a typed
VALUES block (`sparql_text.inline_values`), never as spliced text. lcgraph's own
bookkeeping graphs on the server (the meta graph, staging graphs) are left out, so a dump
of a remote store holds what a dump of the embedded store holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QuerySolutions, Triple, Variable

from lcgraph.errors import QueryError
from lcgraph.store import GraphName, QueryResult, Term
from lcgraph.store.sparql_text import inline_values, with_base, with_prologue

if TYPE_CHECKING:
    from lcgraph.store.remote import RemoteStore

_VARIABLES = (Variable("s"), Variable("p"), Variable("o"), Variable("g"))


class RemoteReader:
    """Read-only `Store`-like access to `store`."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def query(
        self,
        /,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
        substitutions: dict[Variable, Term] | None = None,
    ) -> QueryResult:
        """Like `Store.query`, each option honoured or refused (QueryError), never dropped.

        `base_iri` becomes a BASE declaration first in the prologue when the query has a
        relative IRI (`sparql_text.with_base`; the query's own BASE still wins: it comes
        later); `use_default_graph_as_union` asks the server for its
        union default graph; without it and without `default_graph`, the server's own
        default graph is read, which a server whose default graph always is the union
        cannot give. `default_graph` names graphs by IRI: the default graph itself, a blank
        node or a mix cannot be sent as `default-graph-uri`.
        """
        graphs = default_graph if isinstance(default_graph, list) else [default_graph]
        given = [g for g in graphs if g is not None]
        names = [g.value for g in given if isinstance(g, NamedNode)]
        named = [g.value for g in named_graphs or [] if isinstance(g, NamedNode)]
        if len(names) < len(given) or len(named) < len(named_graphs or []):
            raise QueryError("a remote store names the graphs of a dataset by IRI only")
        if not (use_default_graph_as_union or names) and self.store.kind.union != "param":
            raise QueryError(
                f"{self.store.kind.name}'s default graph is the union of its graphs: "
                "it cannot be read alone"
            )
        bound = {v: t for v, t in (substitutions or {}).items() if not isinstance(t, Triple)}
        if len(bound) < len(substitutions or {}):
            raise QueryError("a remote store cannot bind a variable to a triple term")
        text = with_prologue(inline_values(with_base(query, base_iri), bound), prefixes)
        result: QueryResult = self.store.client.query(
            text,
            union=use_default_graph_as_union,
            default_graphs=names,
            named_graphs=named,
        )
        return result

    def quads_for_pattern(
        self,
        /,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[Quad]:
        """The quads matching the bound terms (None matches anything), as `Store` gives them."""
        bound = {
            var: term
            for var, term in zip(_VARIABLES[:3], (subject, predicate, object), strict=True)
            if term is not None
        }
        if isinstance(graph_name, DefaultGraph):
            rows = self._select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", bound, union=False)
            yield from (Quad(r["s"], r["p"], r["o"], DefaultGraph()) for r in rows)
            return
        if graph_name is not None:
            bound[_VARIABLES[3]] = graph_name
        pattern = f"GRAPH ?g {{ ?s ?p ?o }} {self._own()}"
        rows = self._select(f"SELECT ?s ?p ?o ?g WHERE {{ {pattern} }}", bound)
        yield from (Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)

    def named_graphs(self, /) -> Iterator[NamedNode | BlankNode]:
        rows = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{}} {self._own()} }}", {})
        yield from (row["g"] for row in rows)

    def _own(self) -> str:
        meta, staging = self.store.meta_graph, self.store.staging_prefix
        return f'FILTER(?g != <{meta}> && !STRSTARTS(STR(?g), "{staging}"))'

    def _select(
        self, sparql: str, bound: dict[Variable, Any], union: bool = True
    ) -> QuerySolutions:
        result = self.store.client.query(inline_values(sparql, bound), union=union)
        assert isinstance(result, QuerySolutions)  # our own SELECT
        return result

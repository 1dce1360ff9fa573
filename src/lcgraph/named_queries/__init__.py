"""Named queries: SPARQL files with a typed `#+` header, served as an API (issue 4).

    queries = load_queries(settings.queries, Iris(settings.base_iri))
    rows = queries["communities-per-sector"].run(store, {"sector": "def:topsector/EN"})

Layout: `header` reads and checks the header, `params` turns raw values into RDF terms,
`query` is the NamedQuery and its loader, `remote` writes VALUES blocks for stores without
substitutions, `catalogue` renders docs/queries.md.
"""

from lcgraph.named_queries.header import Header
from lcgraph.named_queries.params import Param
from lcgraph.named_queries.query import NamedQuery, load_queries, load_query
from lcgraph.store.sparql_text import inline_values, values_block

__all__ = [
    "Header",
    "NamedQuery",
    "Param",
    "inline_values",
    "load_queries",
    "load_query",
    "values_block",
]

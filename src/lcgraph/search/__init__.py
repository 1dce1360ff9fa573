"""Full-text search over the graph (issue 15): one tantivy index per store revision.

    searcher = searcher_for(store, store.revision())
    result = searcher.search("werkplek leren", lang="nl", limit=20)
    result.hits[0].iri, result.hits[0].snippet, result.facets["topsector"]
    searcher.suggest("leerg")          # [(iri, label), ...] for a search box

The index is built with every store generation (`index_staging`, called by the build
before the switch) and named by its revision (`lcgraph.search.location`); what is indexed
and how: `lcgraph.search.indexing` and `lcgraph.search.analysis`; the query syntax and its
errors: `lcgraph.search.syntax`; docs/search.md for users.
"""

from __future__ import annotations

from lcgraph.search.indexing import FACETS, LABEL_PREDICATES, TEXT_PREDICATES
from lcgraph.search.location import clear_cache, index_path, index_staging, searcher_for
from lcgraph.search.reading import Known
from lcgraph.search.results import MAX_LIMIT, MAX_SUGGESTIONS, Hit, SearchResult
from lcgraph.search.searching import Searcher
from lcgraph.search.syntax import MAX_QUERY_LENGTH, SearchError

__all__ = [
    "FACETS",
    "LABEL_PREDICATES",
    "MAX_LIMIT",
    "MAX_QUERY_LENGTH",
    "MAX_SUGGESTIONS",
    "TEXT_PREDICATES",
    "Hit",
    "Known",
    "SearchError",
    "SearchResult",
    "Searcher",
    "clear_cache",
    "index_path",
    "index_staging",
    "searcher_for",
]

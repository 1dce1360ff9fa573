"""What a search in a SPARQL query is: the two forms' vocabulary and one search's value.

The SERVICE form (`lcs:`, ontology/search.ttl) under `{base}/def/search`, and Apache
Jena's `text:query`. `lcgraph.querying.search_blocks` finds them in a query's text, and
`lcgraph.querying.search_rewrite` answers each `Search` by the VALUES block of its hits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from lcgraph.errors import QuerySyntaxError
from lcgraph.iris import SEARCH

SEARCH_VOCABULARY = SEARCH  # lcs:, described in ontology/search.ttl
JENA_TEXT = "http://jena.apache.org/text#"
JENA_QUERY = JENA_TEXT + "query"
SERVICE_PATH = "/def/search"
DEFAULT_PREFIXES = {"lcs": SEARCH_VOCABULARY, "text": JENA_TEXT}
DEFAULT_LIMIT = 20
DEFAULT_LANG = "nl"
# lcs: predicate -> what its object must be
SERVICE_TERMS = {
    "query": "the text to search, a string literal",
    "score": "a variable for the score",
    "label": "a variable for the label",
    "limit": "an integer",
    "offset": "an integer",
    "lang": 'a language code such as "nl" or "en"',
    "predicate": "the IRI of the property whose text is searched",
}

Bindings = Mapping[str, NamedNode | Literal]  # variable name (no `?`) -> its term


@dataclass
class Search:
    """One search in a query: what to ask the index, and the span of text it replaces."""

    start: int  # offset of the first character replaced
    end: int  # offset after the last character replaced
    at: int  # offset of the search text, for errors about it
    subject: str  # variable names, without `?`
    score: str | None = None
    label: str | None = None
    text: str | None = None
    lang: str = DEFAULT_LANG
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    limit_at: int = 0  # offset of the limit, for the error of one above the cap
    predicate: str | None = None
    follow: str = ""  # text after the VALUES block: the subject, where `;` went on from it
    silent: bool = False  # SERVICE SILENT: a failed search is one empty solution
    given: set[str] = field(default_factory=set)


def service_iri(base_iri: str) -> str:
    """The IRI of the search SERVICE under the project's base."""
    return base_iri.rstrip("/") + SERVICE_PATH


def mentions_search(text: str) -> bool:
    """Cheap pre-check: could `text` hold a search at all (escapes included)?"""
    lower = text.lower()
    return "search" in lower or "jena.apache.org" in lower or "\\u" in lower


def error(text: str, offset: int, message: str) -> QuerySyntaxError:
    """A QuerySyntaxError at `offset` of `text`, with its line and column (both from 1)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return QuerySyntaxError(
        f"Search error at line {line}, column {column}: {message}", line, column
    )

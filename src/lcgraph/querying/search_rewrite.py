"""Answer the full-text searches of a SPARQL query before the engine runs (issue 15).

Each search (`lcgraph.querying.search_blocks`: the SERVICE form under `{base}/def/search`
and Jena's `text:query`) is asked of the index of the query's store generation and
replaced, in the query text, by a VALUES block of its hits:

    VALUES (?lc ?score) { (<https://w3id.org/lcgraph/id/...> "2.5E0"^^xsd:double) ... }

That is plain SPARQL 1.1, so the rewritten query runs the same on the embedded store and on
any remote server, and the search SERVICE never reaches the engine (nor the network). Only
hits go into the text, written by pyoxigraph's own term serialiser; the search terms never
do. A search the rewrite cannot read is a located 400, never a SERVICE call: a search IRI
still in the text afterwards (hidden by `\\u` escapes, say) is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from pyoxigraph import Literal, NamedNode

from lcgraph.errors import QuerySyntaxError
from lcgraph.querying import guard
from lcgraph.querying.search_blocks import find_searches
from lcgraph.querying.search_form import Bindings, Search, error, mentions_search, service_iri
from lcgraph.store import GraphStore

_DOUBLE = NamedNode("http://www.w3.org/2001/XMLSchema#double")
MAX_LIMIT = 100  # the index's cap (lcgraph.search.MAX_LIMIT)
LANGUAGES = ("nl", "en")  # the index's languages (lcgraph.search.analysis.LANGUAGES)


class Hit(Protocol):
    @property
    def iri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def score(self) -> float: ...


class Result(Protocol):
    @property
    def hits(self) -> Sequence[Hit]: ...


class Searcher(Protocol):
    """What the rewrite needs of the index (`lcgraph.search.Searcher`)."""

    def search(
        self,
        text: str,
        *,
        lang: str = ...,
        limit: int = ...,
        offset: int = ...,
        predicate: str | None = ...,
        facets: bool = ...,
    ) -> Result: ...


class _Empty:
    hits: Sequence[Hit] = ()


class _NoIndex:
    """A searcher that finds nothing: to check a query's searches without an index."""

    def search(
        self,
        text: str,
        *,
        lang: str = "",
        limit: int = 0,
        offset: int = 0,
        predicate: str | None = None,
        facets: bool = False,
    ) -> Result:
        return _Empty()


def NO_INDEX() -> Searcher:  # a constant-like name: `rewrite(text, base, NO_INDEX)`
    return _NoIndex()


def rewrite(
    text: str,
    base_iri: str,
    searcher: Callable[[], Searcher],
    *,
    prefixes: Mapping[str, str] | None = None,
    bindings: Bindings | None = None,
    max_limit: int = MAX_LIMIT,
    search_errors: tuple[type[Exception], ...] = (ValueError,),
) -> str:
    """`text` with every search replaced by its hits; `text` itself when it has none.

    `searcher` is called once, and only when there is a search: opening the index of the
    right generation is the caller's business. `bindings` are a named query's parameters
    (a search text may be one of them); `search_errors` are the index's bad-input errors,
    reported as 400s at the search text.
    """
    if not mentions_search(text):
        return text
    searches = find_searches(text, base_iri, prefixes, bindings or {})
    if not searches:
        _refuse_hidden(text, base_iri)
        return text
    index = searcher()
    parts: list[str] = []
    done = 0
    for search in searches:
        parts += [text[done : search.start], _values(text, search, index, max_limit, search_errors)]
        done = search.end
    rewritten = "".join([*parts, text[done:]])
    _refuse_hidden(rewritten, base_iri)
    return rewritten


def _values(
    text: str,
    search: Search,
    index: Searcher,
    max_limit: int,
    search_errors: tuple[type[Exception], ...],
) -> str:
    search.lang = search.lang.lower()
    if search.lang not in LANGUAGES:
        raise error(text, search.at, f"the language {search.lang!r} is not one of {LANGUAGES}")
    if search.limit > max_limit:
        at = search.limit_at or search.at
        raise error(text, at, f"the limit {search.limit} is above the cap of {max_limit}")
    if search.limit == 0:
        hits: Sequence[Hit] = []
    else:
        try:
            hits = index.search(
                search.text or "",
                lang=search.lang,
                limit=search.limit,
                offset=search.offset,
                predicate=search.predicate,
                facets=False,  # the counts would cost time and go nowhere
            ).hits[: search.limit]
        except search_errors as err:
            if search.silent:  # SPARQL 1.1 Federated Query 4: one solution, no bindings
                return "VALUES () { () }" + search.follow
            raise error(text, search.at, str(err)) from err
    names = [n for n in (search.subject, search.score, search.label) if n is not None]
    if len(set(names)) != len(names):
        raise error(text, search.at, "the subject, score and label need different variables")
    rows = " ".join(f"({_row(hit, search)})" for hit in hits)
    head = " ".join(f"?{n}" for n in names)
    return f"VALUES ({head}) {{ {rows} }}{search.follow}"


def _row(hit: Hit, search: Search) -> str:
    terms = [str(NamedNode(hit.iri))]
    if search.score is not None:
        terms.append(str(Literal(repr(float(hit.score)), datatype=_DOUBLE)))
    if search.label is not None:
        terms.append(str(Literal(hit.label)))
    return " ".join(terms)


def _refuse_hidden(text: str, base_iri: str) -> None:
    """A search SERVICE the reader did not see (escapes, BASE) must not go to the engine."""
    if guard.mentions_remote(text) and service_iri(base_iri) in guard.remote_targets(text):
        raise QuerySyntaxError(
            f"SERVICE <{service_iri(base_iri)}> must be written as an IRI or a prefixed name "
            "without \\u escapes, so that the search can be answered before the query runs"
        )


def rewrite_for_store(
    text: str,
    store: GraphStore,
    revision: str | None,
    base_iri: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    bindings: Bindings | None = None,
) -> str:
    """`rewrite` against the index of `store`'s generation `revision` (`lcgraph.search`),
    imported only when the text may hold a search: most queries never load the index."""
    if not mentions_search(text):
        return text
    from lcgraph.search import MAX_LIMIT as CAP
    from lcgraph.search import SearchError, searcher_for

    return rewrite(
        text,
        base_iri,
        lambda: searcher_for(store, revision),
        prefixes=prefixes,
        bindings=bindings,
        max_limit=CAP,
        search_errors=(SearchError,),
    )

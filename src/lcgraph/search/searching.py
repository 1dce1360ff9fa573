"""Search one index: the parsed query, compiled (`compiling`), filtered, counted, shown.

Filters are facet terms. Facet counts are aggregated over
every match, not only the page shown, by tantivy's terms aggregation, and only for the
facets asked: they cost about as much as the search itself (0.6 ms of 1.2-1.6 ms
in-process on the synthetic graph, benchmarks/search.py), so the JSON API counts them
only when its `facets=` parameter names them.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import orjson
import tantivy
from tantivy import Occur
from tantivy import Query as Q

from lcgraph.search import analysis, hits, syntax
from lcgraph.search.compiling import Compiler
from lcgraph.search.indexing import FACETS, LABEL_PREDICATES, TEXT_PREDICATES, label_start
from lcgraph.search.results import MAX_LIMIT, MAX_OFFSET, MAX_SUGGESTIONS, Hit, SearchResult
from lcgraph.search.syntax import SearchError

FACET_SIZE = 50  # values counted per facet (the most frequent)
DOCUMENT_CACHE = 10_000  # decoded stored documents kept per index (a few MB)
CANDIDATES = 5  # times the limit, ranked again by length
START_BOOST = 100.0  # a constant score, above any BM25 score of a label's words

Stored = tuple[str, list[hits.Literal], tuple[str, ...]]  # (iri, literals, classes)


class Searcher:
    """Queries on the index in `folder`, the index of one store revision."""

    def __init__(self, folder: Path, revision: str | None = None) -> None:
        self.folder = folder
        self.revision = revision
        self.index = tantivy.Index.open(str(folder))
        analysis.register(self.index)
        self.schema = self.index.schema
        self._searcher = self.index.searcher()
        self._compiler = Compiler(self.schema, self._searcher)
        self._documents: dict[tuple[int, int], Stored] = {}

    @property
    def size(self) -> int:
        """How many resources the index holds."""
        return self._searcher.num_docs

    def search(
        self,
        text: str,
        *,
        lang: str = "nl",
        limit: int = 20,
        offset: int = 0,
        predicate: str | None = None,
        filters: dict[str, list[str]] | None = None,
        facets: bool | Collection[str] = True,
    ) -> SearchResult:
        """The hits for `text` (syntax: `lcgraph.search.syntax`). Raises SearchError.

        `facets`: True counts every facet (FACETS), False none, else the facets named.
        """
        _check_page(limit, offset)
        counted = _facet_names(facets)
        tree = syntax.parse(text)
        field = _predicate_field(predicate)
        query = self._compiler.query(tree, text, lang, field)
        if filters:
            query = Q.boolean_query([(Occur.Must, query), *self._filters(filters)])
        found = self._searcher.search(query, limit, count=True, offset=offset)
        total: int = found.count  # type: ignore[attr-defined]  # not in tantivy's stub
        texts = syntax.positive_texts(tree)
        needles = hits.Needles.of(texts + self._compiler.corrected(texts))
        pred = None if predicate is None else TEXT_PREDICATES.index(predicate)
        page = [self._hit(address, score, needles, lang, pred) for score, address in found.hits]
        counts = self._facets(query, counted) if counted and total else {}
        return SearchResult(page, total, counts)

    def suggest(
        self, prefix: str, *, lang: str = "nl", limit: int = 10, classes: Collection[str] = ()
    ) -> list[tuple[str, str]]:
        """Up to `limit` (iri, label) whose label has words starting as `prefix` does; of
        one of `classes` (rdf:type, the inferred superclasses included) when given."""
        if not 1 <= limit <= MAX_SUGGESTIONS:
            raise SearchError(f"limit must be between 1 and {MAX_SUGGESTIONS}, not {limit}")
        if len(prefix) > syntax.MAX_QUERY_LENGTH:
            raise SearchError(f"the prefix is longer than {syntax.MAX_QUERY_LENGTH:,} characters")
        words = analysis.words().analyze(prefix)
        if not words:
            raise SearchError("the prefix has no letters or digits to complete")
        # labels that begin with the typed words first ("Europese Commissie" for "europ"),
        # then those with them further on; within each, tantivy's score (shorter first)
        begins = Q.fuzzy_term_query(
            self.schema, "label_start", " ".join(words), distance=0, prefix=True
        )
        query = Q.boolean_query(
            [
                (Occur.Must, Q.phrase_prefix_query(self.schema, "label_words", list(words))),
                (Occur.Should, Q.boost_query(begins, START_BOOST)),
            ]
        )
        if classes:
            of_class = Q.term_set_query(self.schema, "class", list(classes))
            query = Q.boolean_query([(Occur.Must, query), (Occur.Must, of_class)])
        typed = " ".join(words)
        found = []
        for _, address in self._searcher.search(query, limit * CANDIDATES, count=False).hits:
            iri, literals, _ = self._stored(address)
            found.append((iri, _completed(literals, words, lang, iri)))
        # tantivy ranks the labels that begin with `typed` first but cannot order them by
        # length; of its top candidates the shortest come first ("Europese Commissie"
        # before "European Reference Network for Rare … Diseases of the Heart")
        found.sort(key=lambda hit: (not label_start(hit[1]).startswith(typed), len(hit[1])))
        return found[:limit]

    def labels(self, iris: list[str], lang: str = "nl") -> dict[str, str]:
        """The label in `lang` of each of `iris` that the index holds (for facet values)."""
        if not iris:
            return {}
        query = Q.term_set_query(self.schema, "iri", iris)
        out = {}
        for _, address in self._searcher.search(query, len(iris), count=False).hits:
            iri, literals, _ = self._stored(address)
            out[iri] = hits.label(literals, lang, iri)
        return out

    def _filters(self, filters: dict[str, list[str]]) -> list[tuple[Occur, Q]]:
        clauses = []
        for name, values in filters.items():
            if name not in FACETS:
                raise SearchError(f"cannot filter by {name!r}; filters: {', '.join(FACETS)}")
            if values:
                clauses.append((Occur.Must, Q.term_set_query(self.schema, name, list(values))))
        return clauses

    # --- answering ----------------------------------------------------------------------

    def _facets(self, query: Q, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        aggregations = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in names}
        result: dict[str, Any] = self._searcher.aggregate(query, aggregations)
        return {
            name: {b["key"]: b["doc_count"] for b in result.get(name, {}).get("buckets", [])}
            for name in names
        }

    def _stored(self, address: Any) -> Stored:
        """The stored document at `address`, decoded; kept (the index never changes).

        As Solr's documentCache: the fetch and JSON decoding were 6 of the 16 us of Python
        a hit cost (synthetic graph, 20 hits a page), and popular resources come back in
        many searches. Bounded by emptying it when full (a dict: safe across threads).
        """
        key = (address.segment_ord, address.doc)
        found = self._documents.get(key)
        if found is None:
            found = _stored(self._searcher.doc(address))
            if len(self._documents) >= DOCUMENT_CACHE:
                self._documents.clear()
            self._documents[key] = found
        return found

    def _hit(
        self, address: Any, score: float, needles: hits.Needles, lang: str, pred: int | None
    ) -> Hit:
        iri, literals, classes = self._stored(address)
        literal, ranges = hits.best_match(literals, needles, lang, pred)
        return Hit(
            iri=iri,
            label=hits.label(literals, lang, iri),
            classes=classes,
            field=hits.field_iri(literal),
            lang=literal[1] or None,
            snippet=hits.snippet(literal[2], ranges),
            score=round(float(score), 4),
        )


def _facet_names(facets: bool | Collection[str]) -> tuple[str, ...]:
    if facets is True:
        return FACETS
    if facets is False:
        return ()
    unknown = sorted(set(facets) - set(FACETS))
    if unknown:
        raise SearchError(f"no facet {', '.join(map(repr, unknown))}; facets: {', '.join(FACETS)}")
    return tuple(name for name in FACETS if name in facets)


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise SearchError(f"offset must be between 0 and {MAX_OFFSET:,}, not {offset}")


def _predicate_field(predicate: str | None) -> str | None:
    if predicate is None:
        return None
    if predicate not in TEXT_PREDICATES:
        raise SearchError(
            f"<{predicate}> is not indexed; searchable predicates: "
            + ", ".join(f"<{p}>" for p in TEXT_PREDICATES)
        )
    return f"p{TEXT_PREDICATES.index(predicate)}"


def _stored(doc: tantivy.Document) -> Stored:
    """(iri, literals, classes) of a document, as `indexing` stored them."""
    data = orjson.loads(doc.get_first("data") or b"{}")
    literals = [(int(p), lang, str(text)) for p, lang, text in data["l"]]
    return str(doc.get_first("iri")), literals, tuple(data["c"])


def _completed(literals: list[hits.Literal], words: list[str], lang: str, iri: str) -> str:
    """The label whose words continue `words` (the last one as a prefix), in `lang` first."""
    fitting = []
    for literal in literals:
        if literal[0] >= len(LABEL_PREDICATES):
            continue
        tokens = analysis.words().analyze(literal[2])
        for i in range(len(tokens) - len(words) + 1):
            if tokens[i : i + len(words) - 1] == words[:-1] and tokens[
                i + len(words) - 1
            ].startswith(words[-1]):
                fitting.append(literal)
                break
    return hits.label(fitting or literals, lang, iri)

"""Compile a parsed search query into tantivy query objects (never query text), and rank.

Per word, any of: its stem in a label (the requested language first) or in other text, a
label word that begins with it, a compound part (`label_parts`, `parts` prefix), or, for
a word the index does not hold, the word with one typo (`words`, fuzzy). Words are ANDed,
phrases match in order. What a match weighs, from most to least (checked by hand on the
curated graph: docs/search.md, "Ranking"):

    the whole label is the query ("Rotterdam", "Hogeschool Utrecht")   + EXACT_LABEL
    a label word is the query word (its stem)                          BM25 x LABEL_BOOST
    a label word begins with it ("leergemeen": "leergemeenschap")      BM25 x PREFIX_BOOST
    a description or note has the word (its stem)                      BM25 x TEXT_BOOST
    a compound part of a label word ("gemeensch"; BM25), of other text BM25 x LABEL_PART, PART

A word the index does not hold, as written or by its stem, is searched as the words of the
index one typo away from it ("leergemeenscap": "leergemeenschap"), each as if typed.

The other language's fields weigh OTHER_LANG of the requested one's.
"""

from __future__ import annotations

import math

import tantivy
from tantivy import Occur
from tantivy import Query as Q

from lcgraph.search import analysis, syntax
from lcgraph.search.indexing import LANG_FIELDS, label_start

LABEL_BOOST, TEXT_BOOST, OTHER_LANG = 4.0, 1.0, 0.5
PREFIX_BOOST = 12.0  # times BM25's length norm (about 0.5-2): below a word's own BM25
EXACT_LABEL = 40.0  # a constant, above a label's BM25 for one word (about 30-45)
LABEL_PART = 5.0  # times the length norm of the label's suffixes (short labels first)
LABEL_PART_CONSTANT = 2.0  # beyond PREFIX_TERMS suffix terms: a prefix query, no BM25
PART = 0.5  # constant: a word of the other text that begins with or holds the query word
FUZZY_BOOST = 0.3
# Label words (and label suffixes) that begin with a query word become BM25 term queries:
# a prefix automaton has a constant score, no length norm to put "leergemeenschap" before
# "Leergemeenschappen in de topsectoren". A word begins at most a few dozen terms of the
# curated graph ("zorg" 28 label suffixes, "leer" 24, "werkplek" 1), found in 3-30 us.
PREFIX_TERMS = 32
CORRECTIONS = 3  # words one typo away that an unknown word is searched as, most frequent first
# the characters an edit may put in: the words analyser's lower case (a-z, digits, the
# accented letters of Dutch, French and German names)
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789áàâäçéèêëíìîïñóòôöúùûüß"
_KNOWN_WORDS = 10_000  # corrections kept per index (the words people mistype repeat)


class Compiler:
    """Query trees into tantivy queries, for the index that `searcher` reads."""

    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher) -> None:
        self.schema = schema
        self.searcher = searcher
        self._corrections: dict[str, tuple[str, ...]] = {}

    def query(self, tree: syntax.Node, text: str, lang: str, field: str | None) -> Q:
        """The query for `tree` (parsed from `text`), in `lang`; within `field` if given."""
        matching = self._compiled(tree, lang, field)
        if field is not None or not syntax.is_plain(tree):
            return matching
        # The resource whose label is exactly what was typed comes first: BM25 alone put
        # the municipality "Rotterdam" 25th, behind "Dakpark Rotterdam" and 23 others
        # whose labels repeat the word in two literals (curated graph, 2026-12-03). With
        # a typo, the label as corrected ("leergemeenscap": the class "leergemeenschap").
        words = label_start(text).split(" ")
        fixed = [(self.corrections(w) or (w,))[0] for w in words]
        clauses = [(Occur.Must, matching)]
        for start in dict.fromkeys((" ".join(words), " ".join(fixed))):
            whole = Q.term_query(self.schema, "label_start", start)
            clauses.append((Occur.Should, Q.const_score_query(whole, EXACT_LABEL)))
        return Q.boolean_query(clauses)

    def corrected(self, texts: list[str]) -> list[str]:
        """The words that the single unknown words of `texts` are searched as."""
        return [fix for text in texts if " " not in text.strip() for fix in self.corrections(text)]

    def corrections(self, text: str) -> tuple[str, ...]:
        """For a word the index does not hold (as written or by its stem), the words of the
        index one typo away (insertion, deletion, substitution, swap), most frequent first;
        () for a known word, a short one or one with no word that near.

        Before, an unknown word was a Levenshtein automaton over the `words` fields: it
        found only what is one edit from the typo, so "leergemeenscap" found the class
        "leergemeenschap" but not the labels "leergemeenschappen" (two edits away), which
        the corrected word's stem finds. The variants (about 120 a letter) are looked up as
        terms, only for a word that is not there: 10-15 ms for "leergemeenscap" on the
        curated graph, once; then the corrections are kept (0.4 ms a search).
        """
        words = analysis.words().analyze(text)
        if len(words) != 1 or len(words[0]) < analysis.FUZZY_MIN:
            return ()
        word = words[0]
        found = self._corrections.get(word)
        if found is None:
            found = () if self._known(word) else self._one_typo_away(word)
            if len(self._corrections) >= _KNOWN_WORDS:
                self._corrections.clear()
            self._corrections[word] = found
        return found

    def _frequency(self, word: str) -> int:
        """In how many resources' labels and in how many resources' other text `word` is
        (a resource with it in both counts twice: enough to rank corrections)."""
        return sum(self.searcher.doc_freq(field, word) for field in _WORD_FIELDS)

    def _known(self, word: str) -> bool:
        if self._frequency(word):
            return True
        for lang in LANG_FIELDS:
            stems = analysis.stemmed(lang).analyze(word)
            if stems and any(self.searcher.doc_freq(f"{k}_{lang}", stems[0]) for k in _KINDS):
                return True
        return False

    def _one_typo_away(self, word: str) -> tuple[str, ...]:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        variants = {a + b[1:] for a, b in splits if b}
        variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        variants |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
        variants |= {a + c + b for a, b in splits for c in _ALPHABET}
        variants.discard(word)
        counted = [(self._frequency(v), v) for v in variants]
        return tuple(v for n, v in sorted(counted, key=lambda c: (-c[0], c[1]))[:CORRECTIONS] if n)

    def _compiled(self, node: syntax.Node, lang: str, field: str | None) -> Q:
        if isinstance(node, syntax.Term):
            words = analysis.words().analyze(node.text)
            if len(words) > 1:  # "werk-plek": the words in order
                return self._phrase(node.text, lang, field)
            return self._word(node.text, words[0], lang, field)
        if isinstance(node, syntax.Phrase):
            return self._phrase(node.text, lang, field)
        if isinstance(node, syntax.Not):  # only inside And (the parser sees to that)
            return self._compiled(node.node, lang, field)
        if isinstance(node, syntax.Or):
            return Q.boolean_query(
                [(Occur.Should, self._compiled(n, lang, field)) for n in node.nodes]
            )
        clauses = [
            (Occur.MustNot, self._compiled(n.node, lang, field))
            if isinstance(n, syntax.Not)
            else (Occur.Must, self._compiled(n, lang, field))
            for n in node.nodes
        ]
        return Q.boolean_query(clauses)

    def _word(self, text: str, word: str, lang: str, field: str | None) -> Q:
        if field is not None:
            clauses = [Q.boost_query(Q.term_query(self.schema, field, word), 2.0)]
            if len(word) >= analysis.FUZZY_MIN and not self.searcher.doc_freq(field, word):
                clauses.append(self._fuzzy(field, word))
            return _any(clauses)
        fixes = self.corrections(word)
        if fixes:  # a typo: the words it most likely stands for, each as if typed
            return _any([self._word(fix, fix, lang, None) for fix in fixes])
        clauses = []
        stemmed_in_all = True  # its stem clauses find every text that has the word
        for field_lang in LANG_FIELDS:
            stems = analysis.stemmed(field_lang).analyze(text)
            if not stems:
                stemmed_in_all = False
                continue
            weight = 1.0 if field_lang == lang else OTHER_LANG
            for kind, boost in (("label", LABEL_BOOST), ("text", TEXT_BOOST)):
                term = Q.term_query(self.schema, f"{kind}_{field_lang}", stems[0])
                clauses.append(Q.boost_query(term, boost * weight))
        if len(word) >= analysis.PART_MIN:
            clauses += self._prefixed("label_words", word, PREFIX_BOOST, None, skip=word)
            clauses += self._prefixed("label_parts", word, LABEL_PART, LABEL_PART_CONSTANT)
            clauses += self._parts(word, skip=word if stemmed_in_all else "")
        # One typo is allowed only for a word the index does not hold as written or by its
        # stem (a "did you mean", as in most search boxes): measured on the synthetic graph
        # (benchmarks/search.py's queries, in process), two Levenshtein automata per word
        # were 45 % of tantivy's time (two words: 390 against 220 us) and added no hit to
        # a query of words that exist; they only added near misses ("leden" for "leren").
        return _any(clauses)

    def _prefixed(
        self, field: str, word: str, boost: float, constant: float | None, skip: str = ""
    ) -> list[Q]:
        """The terms of `field` that begin with `word`, each a BM25 term query (so that a
        short label comes before a long one); more than PREFIX_TERMS of them: the most
        frequent, and with `constant`, a prefix query for all at that constant score.

        Each is divided by its term's IDF, so what is left of BM25 is the length norm:
        which completion the word begins ("gemeenschappen" in 3 labels, "gemeenschap" in
        14) should not decide, and with IDF "aantal leergemeenschappen" came before the
        class "leergemeenschap" for "gemeensch".

        `skip`: a term left out, the word itself, which its stem's clause finds already:
        its postings are the longest, and walking them once more was about a tenth of
        a two-word search in tantivy (synthetic graph)."""
        terms = self.searcher.terms_with_prefix(field, word, limit=PREFIX_TERMS + 1)
        size = self.searcher.num_docs
        queries = [
            Q.boost_query(Q.term_query(self.schema, field, term), boost / _idf(count, size))
            for term, count in terms[:PREFIX_TERMS]
            if term != skip
        ]
        if len(terms) > PREFIX_TERMS and constant is not None:
            every = Q.fuzzy_term_query(self.schema, field, word, distance=0, prefix=True)
            queries.append(Q.boost_query(every, constant))
        return queries

    def _parts(self, word: str, skip: str) -> list[Q]:
        """The other text's words that begin with `word` (`text_words`) or have it inside
        them (`parts`), at the constant PART; `skip` (the word itself, which its stems'
        clauses find in every text that has it) left out.

        As term queries of the few terms that begin with `word` (1.3 a word for the
        benchmark's queries). Before, one prefix automaton on the suffixes of every word
        cost as much as all the other clauses of a two-word search together: it walked
        the word's own postings, the longest, a second time beside its stems (tantivy's
        time 198 against 128 us, synthetic graph, benchmarks/search.py's queries, the same
        totals). Beyond PREFIX_TERMS terms of a field, its automaton."""
        clauses = []
        for field in ("text_words", "parts"):
            terms = self.searcher.terms_with_prefix(field, word, limit=PREFIX_TERMS + 1)
            if len(terms) > PREFIX_TERMS:
                clauses.append(
                    Q.fuzzy_term_query(self.schema, field, word, prefix=True, distance=0)
                )
                continue
            omit = skip if field == "text_words" else ""
            clauses += [Q.term_query(self.schema, field, t) for t, _ in terms if t != omit]
        return [Q.const_score_query(_any(clauses), PART)] if clauses else []

    def _fuzzy(self, field: str, word: str, boost: float = FUZZY_BOOST) -> Q:
        fuzzy = Q.fuzzy_term_query(
            self.schema, field, word, distance=1, transposition_cost_one=True
        )
        return Q.boost_query(fuzzy, boost)

    def _phrase(self, text: str, lang: str, field: str | None) -> Q:
        if field is not None:
            return (
                self._in_order(field, analysis.words().pre_tokenize(text).tokens) or Q.empty_query()
            )
        clauses = []
        for field_lang in LANG_FIELDS:
            tokens = analysis.stemmed(field_lang).pre_tokenize(text).tokens
            weight = 1.0 if field_lang == lang else OTHER_LANG
            for kind, boost in (("label", LABEL_BOOST), ("text", TEXT_BOOST)):
                query = self._in_order(f"{kind}_{field_lang}", tokens)
                if query is not None:
                    clauses.append(Q.boost_query(query, boost * weight))
        return _any(clauses) if clauses else Q.empty_query()

    def _in_order(self, field: str, tokens: list[tantivy.Token]) -> Q | None:
        if not tokens:
            return None
        if len(tokens) == 1:  # tantivy's phrase query needs two terms or more
            return Q.term_query(self.schema, field, tokens[0].text)
        first = tokens[0].position
        return Q.phrase_query(self.schema, field, [(t.position - first, t.text) for t in tokens])


_KINDS = ("label", "text")
_WORD_FIELDS = ("label_words", "text_words")  # every literal's words as written, between them


def _idf(count: int, size: int) -> float:
    """BM25's inverse document frequency, as tantivy computes it (never 0)."""
    return max(math.log(1 + (size - count + 0.5) / (count + 0.5)), 1e-3)


def _any(clauses: list[Q]) -> Q:
    return (
        clauses[0] if len(clauses) == 1 else Q.boolean_query([(Occur.Should, c) for c in clauses])
    )

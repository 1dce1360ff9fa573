"""How text becomes index terms: one analyser per field kind, shared by indexing and querying.

- `nl` and `en`: words, lower-cased, stop words removed, Snowball-stemmed (tantivy's
  filters), so "leergemeenschappen" finds "Leergemeenschap" and "communities" "community";
- `words`: words lower-cased and nothing else: exact words, fuzzy matching (one typo) and
  prefix completion work on these, since a stem is not a word one can misspell;
- `parts`: every suffix of every word (from PART_MIN characters on), so that a prefix
  search on this field finds a string anywhere inside a word: the parts of Dutch compounds
  ("gemeensch" in "leergemeenschap", "werkplek" in "werkplekleren") without a dictionary.
  Measured against n-grams in docs/search.md: exact inside one word, never across words.

The same analysers run on the query, so a query term and an index term meet exactly.
"""

from __future__ import annotations

from functools import cache, lru_cache

from tantivy import Filter, Index, TextAnalyzer, TextAnalyzerBuilder, Tokenizer

LANGUAGES = {"nl": "dutch", "en": "english"}
MAX_TOKEN = 40  # longer "words" are ids or garbage; tantivy's default cut-off
PART_MIN = 4  # shorter parts match nearly every word ("en", "ing")
FUZZY_MIN = 5  # words shorter than this get no typo allowance (too many near misses)


@cache
def stemmed(lang: str) -> TextAnalyzer:
    """The analyser of the `lang` text fields: words, lower case, no stop words, stems."""
    language = LANGUAGES[lang]
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN))
        .filter(Filter.lowercase())
        .filter(Filter.stopword(language))
        .filter(Filter.stemmer(language))
        .build()
    )


@cache
def stop_words_removed(lang: str) -> TextAnalyzer:
    """Words without the stop words of `lang`, unstemmed (to tell stop words apart)."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.lowercase())
        .filter(Filter.stopword(LANGUAGES[lang]))
        .build()
    )


@cache
def words() -> TextAnalyzer:
    """The analyser of the `words` and `parts` fields: words in lower case, as written."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN))
        .filter(Filter.lowercase())
        .build()
    )


def register(index: Index) -> None:
    """Make the analysers known to `index` under the names its schema uses."""
    for lang in LANGUAGES:
        index.register_tokenizer(f"{lang}_stemmed", stemmed(lang))
    index.register_tokenizer("words", words())


def is_stop_word(word: str) -> bool:
    """A word that is a stop word in Dutch or English ("de", "het", "the", "of")."""
    return any(not stop_words_removed(lang).analyze(word) for lang in LANGUAGES)


def parts(text: str, first: int = 0) -> str:
    """Every suffix of at least PART_MIN characters of every word, one "word" each; with
    `first` 1 only those that begin inside a word (the word itself left out).

    "Leergemeenschap" gives "leergemeenschap eergemeenschap … schap", so the prefix
    "gemeensch" of one of them is a part of the compound. Words are cut at MAX_TOKEN first.
    The words are the `words` analyser's (tantivy's split and lower case, not Python's,
    which differ for "İbrahim" and "ΚΟΣΜΟΣ"): a word's suffix 0 is then its `text_words`
    term, which the `parts` of other text leave out.
    """
    words = _split().analyze(text)
    return " ".join(filter(None, (_suffixes(word, first) for word in words)))


@cache
def _split() -> TextAnalyzer:
    """The `words` analyser's words with the long ones kept (`parts` cuts them)."""
    return TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.lowercase()).build()


@lru_cache(maxsize=200_000)
def _suffixes(word: str, first: int) -> str:
    # per distinct word: the words of a graph's text repeat (synthetic graph: 43,729
    # literals, a few thousand words), and the suffixes were a third of the index's Python
    word = word[:MAX_TOKEN]
    return " ".join(word[i:] for i in range(first, len(word) - PART_MIN + 1))

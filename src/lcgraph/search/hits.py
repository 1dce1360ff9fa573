"""Turn a stored document into a Hit: its label, the literal that matched, a snippet.

The index says which resources match; which of a resource's literals matched is found
again here with the same analysers (a stem, then a compound part, then one typo), on the
few hits of one page only. The snippet is that literal, HTML-escaped, with <b>…</b> around
what matched.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from lcgraph.search import analysis
from lcgraph.search.indexing import LABEL_PREDICATES, LANG_FIELDS, TEXT_PREDICATES

SNIPPET_CHARS = 200
SNIPPET_LEAD = 60  # characters shown before the first match of a long text
_SPECIAL = re.compile(r"[&<>\"']")  # what html.escape(quote=True) replaces

Literal = tuple[int, str | None, str]  # (index in TEXT_PREDICATES, language, text)


@dataclass(frozen=True)
class Needles:
    """What the query looks for: its single words as written and their stems per
    language, and its phrases (words in order: a quoted phrase, "werk-plek")."""

    words: frozenset[str]
    stems: dict[str, frozenset[str]]
    phrases: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, texts: list[str]) -> Needles:
        split = [(text, analysis.words().analyze(text)) for text in texts]
        # A phrase's words count only together, in order: highlighting them one by one put
        # "Life Science Incubator Utrecht" (its label has "Utrecht") as what matched
        # "hogeschool utrecht" instead of its description, which has the phrase.
        single = [(text, words[0]) for text, words in split if len(words) == 1]
        stems = {
            lang: frozenset(s for text, _ in single for s in analysis.stemmed(lang).analyze(text))
            for lang in LANG_FIELDS
        }
        phrases = tuple(tuple(words) for _, words in split if len(words) > 1)
        return cls(frozenset(word for _, word in single), stems, phrases)


@cache
def primary(lang: str | None) -> str | None:
    # cached: asked for every literal of every hit, of a handful of distinct tags
    return lang.split("-")[0].lower() if lang else None


def label(literals: list[Literal], lang: str, iri: str) -> str:
    """The resource's label in `lang`, else one without a language, else any; else the IRI's end."""
    labels = [lit for lit in literals if lit[0] < len(LABEL_PREDICATES)]
    if not labels:
        return iri.rstrip("/").rpartition("/")[2] or iri
    best = min(labels, key=lambda lit: (_lang_rank(lit[1], lang), lit[0]))
    return best[2]


def _lang_rank(literal_lang: str | None, lang: str) -> int:
    if primary(literal_lang) == lang:
        return 0
    return 1 if not literal_lang else 2


def best_match(
    literals: list[Literal], needles: Needles, lang: str, predicate: int | None
) -> tuple[Literal, list[tuple[int, int]]]:
    """The literal that matched best and the character ranges that matched in it.

    By kind of match, best first: a stem, else a compound part, else a word one typo away;
    within a kind, a label before other text and the requested language first.
    """
    candidates = [lit for lit in literals if predicate is None or lit[0] == predicate]
    if len(candidates) == 1:  # most hits (87 % on the synthetic graph): nothing to rank
        only = candidates[0]
        split = tokens(only[2])
        for kind in (_stems, _parts, _typos):
            found = kind(only, split, needles, lang)
            if found:
                return only, found
        return only, []
    # Literals by their rank (a label in `lang`, a label, other text in `lang`, other text),
    # stable: the first weighs most. A rank's weights (rank + 1..3 matches) lie above every
    # weight of the ranks below, so once one literal matched, the lower ranks cannot win
    # and are not analysed (on the curated graph: most descriptions, the long texts).
    ranked = sorted(((_rank(lit, lang), lit) for lit in candidates), key=lambda r: -r[0])
    words: dict[int, list[Token]] = {}  # a literal's words, split once for all kinds
    for kind in (_stems, _parts, _typos):
        best: tuple[int, Literal, list[tuple[int, int]]] | None = None
        for i, (rank, literal) in enumerate(ranked):
            if best is not None and rank + 3 < best[0]:
                break
            if i not in words:
                words[i] = tokens(literal[2])
            ranges = kind(literal, words[i], needles, lang)
            if not ranges:
                continue
            weight = rank + min(len(ranges), 3)
            if best is None or weight > best[0]:
                best = (weight, literal, ranges)
        if best is not None:
            return best[1], best[2]
    # matched in a way we cannot point at (a phrase split over values): no highlight
    return (candidates or literals or [(0, None, "")])[0], []


Ranges = list[tuple[int, int]]
Token = tuple[int, int, str]  # (start, end, the word in lower case)
# tantivy's simple tokenizer: runs of alphanumeric characters. Split here in Python, and
# each distinct word stemmed once (`_stem`): tantivy's pre_tokenize per literal made a
# Token object per word and was half of a hit's highlighting (synthetic graph, 20 hits:
# about 100 us of a two-word search's 350 us of Python).
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[Token]:
    """The words of `text` as the `words` analyser sees them, with their character span.

    A label's words are kept (`_short_tokens`): the same labels are highlighted in many
    searches, and splitting was the largest Python cost left of a hit (about 4 of 12 us).
    """
    if len(text) <= SHORT_TEXT:
        return _short_tokens(text)
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]


SHORT_TEXT = 200  # characters: labels and short notes


@lru_cache(maxsize=20_000)
def _short_tokens(text: str) -> list[Token]:
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=100_000)
def _stem(lang: str, word: str) -> str | None:
    """The stem of one lower-case word as the `lang` fields hold it; None: a stop word."""
    stems = analysis.stemmed(lang).analyze(word)
    return stems[0] if stems else None


def _rank(literal: Literal, lang: str) -> int:
    """10 for a label, 5 more in `lang`: apart by more than the 1-3 a count of matches adds."""
    label = 10 if literal[0] < len(LABEL_PREDICATES) else 0
    return label + (5 if primary(literal[1]) == lang else 0)


def _stems(literal: Literal, words: list[Token], needles: Needles, lang: str) -> Ranges:
    own = primary(literal[1])
    field_lang = own if own in LANG_FIELDS else (lang if lang in LANG_FIELDS else "nl")
    stems = needles.stems[field_lang]
    ranges = [(start, end) for start, end, word in words if _stem(field_lang, word) in stems]
    for phrase in needles.phrases:
        ranges += _phrase(field_lang, words, phrase)
    return ranges


def _phrase(lang: str, words: list[Token], phrase: tuple[str, ...]) -> Ranges:
    """The words of each place where `phrase` occurs in `words`: the same stems in the
    same order, stop words left out on both sides (as the phrase query does)."""
    wanted = [stem for stem in (_stem(lang, w) for w in phrase) if stem is not None]
    if not wanted:
        return []
    kept = [(start, end, stem) for start, end, w in words if (stem := _stem(lang, w))]
    ranges: Ranges = []
    for i in range(len(kept) - len(wanted) + 1):
        if all(kept[i + j][2] == stem for j, stem in enumerate(wanted)):
            ranges += [(start, end) for start, end, _ in kept[i : i + len(wanted)]]
    return ranges


def _parts(literal: Literal, words: list[Token], needles: Needles, lang: str) -> Ranges:
    lowered = literal[2].lower()
    parts = [n for n in needles.words if len(n) >= analysis.PART_MIN and n in lowered]
    if not parts:
        return []
    ranges = []
    for start, _, word in words:
        for needle in parts:
            at = word.find(needle)
            if at >= 0:
                ranges.append((start + at, start + at + len(needle)))
    return ranges


def _typos(literal: Literal, words: list[Token], needles: Needles, lang: str) -> Ranges:
    long_enough = [n for n in needles.words if len(n) >= analysis.FUZZY_MIN]
    if not long_enough:
        return []
    return [
        (start, end)
        for start, end, word in words
        if any(one_edit_apart(word, n) for n in long_enough)
    ]


def one_edit_apart(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def snippet(text: str, ranges: list[tuple[int, int]]) -> str:
    """`text` HTML-escaped with <b>…</b> around `ranges`; a long text cut around the first."""
    ranges = _merged(ranges)
    start, end = 0, len(text)
    if len(text) > SNIPPET_CHARS:
        first = ranges[0][0] if ranges else 0
        start = max(0, first - SNIPPET_LEAD)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + SNIPPET_CHARS)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > (ranges[0][1] if ranges else start) else end
    # most labels hold nothing to escape: then skip html.escape's five replaces per piece
    escape = html.escape if _SPECIAL.search(text, start, end) else str
    out = ["…"] if start else []
    at = start
    for low, high in ranges:
        low, high = max(low, start), min(high, end)
        if low >= high:
            continue
        out += [escape(text[at:low]), "<b>", escape(text[low:high]), "</b>"]
        at = high
    out.append(escape(text[at:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def field_iri(literal: Literal) -> str:
    return TEXT_PREDICATES[literal[0]]

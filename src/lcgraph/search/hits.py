"""Turn a stored document into a Hit: its label, the literal that matched, a snippet.

The index says which resources match; which of a resource's literals matched is found
again here with the same analysers (a stem, then a compound part, then one typo), on the
few hits of one page only. The snippet is that literal, HTML-escaped, with <b>…</b> around
what matched.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from lcgraph.search import analysis
from lcgraph.search.indexing import LABEL_PREDICATES, LANG_FIELDS, TEXT_PREDICATES

SNIPPET_CHARS = 200
SNIPPET_LEAD = 60  # characters shown before the first match of a long text
FUZZY_MIN = 5  # words shorter than this get no typo allowance (too many near misses)

Literal = tuple[int, str | None, str]  # (index in TEXT_PREDICATES, language, text)


@dataclass(frozen=True)
class Needles:
    """What the query looks for: its words as written and their stems per language."""

    words: frozenset[str]
    stems: dict[str, frozenset[str]]

    @classmethod
    def of(cls, texts: list[str]) -> Needles:
        words = {w for text in texts for w in analysis.words().analyze(text)}
        stems = {
            lang: frozenset(s for text in texts for s in analysis.stemmed(lang).analyze(text))
            for lang in LANG_FIELDS
        }
        return cls(frozenset(words), stems)


def primary(lang: str | None) -> str | None:
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
    """The literal that matched best and the character ranges that matched in it."""
    best: tuple[float, Literal, list[tuple[int, int]]] | None = None
    for literal in literals:
        if predicate is not None and literal[0] != predicate:
            continue
        quality, ranges = _matches(literal, needles, lang)
        if not ranges:
            continue
        weight = quality * 10 + (5 if literal[0] < len(LABEL_PREDICATES) else 0)
        weight += (3 if primary(literal[1]) == lang else 0) + min(len(ranges), 3)
        if best is None or weight > best[0]:
            best = (weight, literal, ranges)
    if best is None:  # matched through a field we cannot explain (should not happen)
        return (literals[0] if literals else (0, None, "")), []
    return best[1], best[2]


def _matches(literal: Literal, needles: Needles, lang: str) -> tuple[int, list[tuple[int, int]]]:
    """(quality, ranges): 3 a stem matched, 2 a compound part, 1 a word one typo away."""
    _, literal_lang, text = literal
    own = primary(literal_lang)
    field_lang = own if own in LANG_FIELDS else (lang if lang in LANG_FIELDS else "nl")
    stems = needles.stems[field_lang]
    tokens = analysis.stemmed(field_lang).pre_tokenize(text).tokens
    ranges = [(t.char_offset_from, t.char_offset_to) for t in tokens if t.text in stems]
    if ranges:
        return 3, ranges
    words = analysis.words().pre_tokenize(text).tokens
    for token in words:
        for needle in needles.words:
            at = token.text.find(needle) if len(needle) >= analysis.PART_MIN else -1
            if at >= 0:
                start = token.char_offset_from + at
                ranges.append((start, start + len(needle)))
    if ranges:
        return 2, ranges
    ranges = [
        (t.char_offset_from, t.char_offset_to)
        for t in words
        if any(len(n) >= FUZZY_MIN and one_edit_apart(t.text, n) for n in needles.words)
    ]
    return 1, ranges


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
    out = ["…"] if start else []
    at = start
    for low, high in ranges:
        low, high = max(low, start), min(high, end)
        if low >= high:
            continue
        out += [html.escape(text[at:low]), "<b>", html.escape(text[low:high]), "</b>"]
        at = high
    out.append(html.escape(text[at:end]))
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

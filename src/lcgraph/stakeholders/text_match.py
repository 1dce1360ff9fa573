"""Find known words in free text: normalised, on word boundaries, in one pass (Aho-Corasick).

Names and text are normalised alike (`normalise`: accents and stray combining marks
dropped, case folded, every run of punctuation or spaces one space); the text keeps, per
normalised character, where it came from, so a hit gives the original words and offsets.
`ahocorasick_rs` (the Rust aho-corasick automaton) finds every pattern at once, so the cost
grows with the text, not with the number of patterns; of overlapping hits at word
boundaries the longest wins ("Universiteit Utrecht" over "Utrecht"). Used for organisation
names in summaries (`mentions`) and for the keywords of the topsector rules (`topsectors`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick_rs

from lcgraph.stakeholders.names import ABBREVIATIONS, LEGAL_FORMS

# Names are compared as reconciliation compares them: one table of legal forms and
# abbreviations (stakeholders/names.py).
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")  # `O&amp;O` in the EU file
NOWHERE = -1  # the origin of a character that no hit may begin or end on


@dataclass(frozen=True)
class Located:
    """Normalised text and, per character, its index in the original (or `NOWHERE`)."""

    text: str
    origin: tuple[int, ...]


def _folded(original: str) -> Iterator[tuple[str, int]]:
    """Lower-case characters with their index: entities read, accents dropped.

    A character lost in a conversion (U+FFFD) stays a separator: in the EU summaries it
    mostly stood for a space or a bullet (`IJssel��als`), so dropping it would join words.
    """
    i = 0
    while i < len(original):
        entity = _ENTITY.match(original, i) if original[i] == "&" else None
        chars = html.unescape(entity.group()) if entity else original[i]
        for char in chars:
            for part in unicodedata.normalize("NFKD", char):
                if unicodedata.combining(part):
                    continue  # an accent, or a stray mark left by a damaged conversion
                for folded in part.casefold():
                    yield folded, i
        i = entity.end() if entity else i + 1


def _tokens(original: str) -> list[tuple[str, int, int]]:
    """(word, first, last index in the original): `&` is `en`, `B.V.` is one word `bv`."""
    tokens: list[tuple[str, int, int]] = []
    word: list[str] = []
    first = last = 0
    dotted = False  # the previous token was one letter and a dot (b. in b.v.)
    for char, i in [*_folded(original), (" ", len(original))]:
        if char.isalnum():
            if not word:
                first = i
            word.append(char)
            last = i
            continue
        if word:
            text = "".join(word)
            if dotted and len(text) == 1 and first == tokens[-1][2] + 2:
                tokens[-1] = (tokens[-1][0] + text, tokens[-1][1], last)
            else:
                tokens.append((text, first, last))
            dotted = len(text) == 1 and char == "."
            word = []
        elif char != ".":
            dotted = False
        if char == "&":
            tokens.append(("en", i, i))
    return tokens


def locate(original: str) -> Located:
    """`original` normalised as names are (`normalise`), with where each character came from.

    A word that stands for several (`TU` for `technische universiteit`) can be the first or
    last word of a hit, never cut in the middle.
    """
    out: list[str] = []
    origin: list[int] = []
    for token, first, last in _tokens(original):
        if token in LEGAL_FORMS:
            continue
        text = ABBREVIATIONS.get(token, token)
        if out:
            out.append(" ")
            origin.append(NOWHERE)
        inner = [NOWHERE] * len(text)  # hits begin and end on whole words only
        inner[0], inner[-1] = first, last
        out.extend(text)
        origin.extend(inner)
    return Located("".join(out), tuple(origin))


def normalise(text: str) -> str:
    """`Stichting Hogeschool  Utrecht, B.V.` -> `hogeschool utrecht`: as names are compared.

    Case, accents, punctuation and legal forms go, `&` is `en`, shortened words are long
    (`TU Delft` -> `technische universiteit delft`), as in reconciliation.
    """
    return locate(text).text


@dataclass(frozen=True)
class Hit:
    """One pattern found: which, and where in the original text (end exclusive)."""

    pattern: int
    start: int
    end: int
    matched: str


class Matcher:
    """An Aho-Corasick automaton over normalised patterns; `find` gives word-boundary hits.

    A pattern ending in `*` matches any word that starts with it (`zorg*`: zorgverlening),
    for Dutch compounds.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: list[str] = []
        self._prefix: list[bool] = []
        for pattern in patterns:
            self._prefix.append(pattern.endswith("*"))
            self.patterns.append(normalise(pattern.rstrip("*")))
        if not all(self.patterns):
            raise ValueError("a pattern must have at least one letter or digit")
        self._automaton = ahocorasick_rs.AhoCorasick(self.patterns) if self.patterns else None

    def find(self, original: str) -> list[Hit]:
        """Non-overlapping hits in `original`, the longest where hits overlap, in text order."""
        if self._automaton is None:
            return []
        located = locate(original)
        text = located.text
        found = [
            (index, start, end)
            for index, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True)
            if (start == 0 or text[start - 1] == " ")
            and (self._prefix[index] or end == len(text) or text[end] == " ")
        ]
        found.sort(key=lambda hit: (hit[1] - hit[2], hit[1]))  # longest, then leftmost
        taken = bytearray(len(text))
        hits: list[Hit] = []
        for index, start, end in found:
            if self._prefix[index]:  # the rest of the word the prefix began
                while end < len(text) and text[end] != " ":
                    end += 1
            first, last = located.origin[start], located.origin[end - 1]
            if NOWHERE in (first, last) or any(taken[start:end]):
                continue  # inside a word that stands for several, or overlapping a longer hit
            taken[start:end] = b"\x01" * (end - start)
            hits.append(Hit(index, first, last + 1, original[first : last + 1]))
        return sorted(hits, key=lambda hit: hit.start)

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

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

# Legal forms dropped from a name for a second pattern (the text seldom writes them).
LEGAL_FORMS = ("stichting", "st", "bv", "b v", "nv", "n v", "vof", "u a", "ua")


@dataclass(frozen=True)
class Located:
    """Normalised text and, per character, its index in the original."""

    text: str
    origin: tuple[int, ...]


def locate(original: str) -> Located:
    """`original` normalised, with where each character came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(original):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue  # an accent, or a stray mark left by a damaged conversion
            for folded in part.casefold():
                if folded.isalnum():
                    out.append(folded)
                    origin.append(i)
                elif out and out[-1] != " ":
                    out.append(" ")
                    origin.append(i)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return Located("".join(out), tuple(origin))


def normalise(text: str) -> str:
    """`Hogeschool   Utrecht, B.V.` -> `hogeschool utrecht b v`: how names are compared."""
    return locate(text).text


def without_legal_form(name: str) -> str:
    """A normalised name less a legal form at its start or end (`stichting x b v` -> `x`)."""
    for form in LEGAL_FORMS:
        if name.startswith(form + " "):
            name = name[len(form) + 1 :]
        if name.endswith(" " + form):
            name = name[: -len(form) - 1]
    return name


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
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            if self._prefix[index]:  # the rest of the word the prefix began
                while end < len(text) and text[end] != " ":
                    end += 1
            first, last = located.origin[start], located.origin[end - 1] + 1
            hits.append(Hit(index, first, last, original[first:last]))
        return sorted(hits, key=lambda hit: hit.start)

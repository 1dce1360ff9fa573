"""The organisations' names as patterns to find in text, with every name left out and why.

Too generic names are never patterns: a steward's stop list
(data/rules/mention-stoplist.csv), names shorter than `MIN_LENGTH`, a name two
organisations share, and a name that is also a place's (Nieuwegein, Food Valley). A name
must be written as a name in the text: an acronym in capitals, another name with a capital
somewhere; a name the texts write in lower case at least as often as like a name is a
common word or phrase ("de toekomst", "Karakter"), measured over all texts at once.
docs/mentions.md says more.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lcgraph.errors import Problem, ValidationFailed
from lcgraph.stakeholders.text_match import Hit, Matcher, normalise

MIN_LENGTH = 4  # normalised characters; shorter names ("han", "ou") hit words by chance
MIN_ACRONYM = 3  # an acronym, found only in capitals (TNO, NWO), may be shorter


def read_stoplist(path: Path) -> frozenset[str]:
    """The normalised names of a stop list CSV (`name,why`); every bad row is reported."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["name", "why"]:
            bad = Problem(path.name, "has the wrong header", value=str(reader.fieldnames))
            raise ValidationFailed([bad], stage="rules")
        names, problems = set(), []
        for number, row in enumerate(reader, start=2):
            name, why = normalise(row["name"] or ""), (row["why"] or "").strip()
            for field, value, expected in (("name", name, "a name"), ("why", why, "a reason")):
                if not value:
                    message = "is not a valid stop-list row"
                    problems.append(Problem(path.name, message, number, field, "", expected))
            names.add(name)
    if problems:
        raise ValidationFailed(problems, stage="rules")
    return frozenset(names - {""})


@dataclass(frozen=True)
class Pattern:
    slug: str
    name: str  # as the organisation's source writes it


class NameIndex:
    """The organisations' names as patterns, with every name left out and why."""

    def __init__(
        self,
        names: Mapping[str, Iterable[str]],
        stop: frozenset[str],
        places: Iterable[str] = (),
    ) -> None:
        """`places`: names of municipalities, towns and regions; a name equal to one is a
        place in running text ("een locatie in Nieuwegein"), not an organisation."""
        place_names = {normalise(place) for place in places}
        by_pattern: dict[str, dict[str, str]] = defaultdict(dict)  # pattern -> slug -> name
        for slug, written in names.items():
            for name in written:
                pattern = normalise(name)
                if pattern:  # not a legal form alone
                    by_pattern[pattern].setdefault(slug, name)
        self.excluded: dict[str, str] = {}
        self.common: dict[str, tuple[int, int]] = {}  # name -> (lower case, as a name)
        self.patterns: list[Pattern] = []
        texts: list[str] = []
        for pattern, slugs in sorted(by_pattern.items()):
            why = _why_excluded(pattern, slugs, stop, place_names)
            if why:
                self.excluded[pattern] = why
                continue
            ((slug, name),) = slugs.items()
            texts.append(pattern)
            self.patterns.append(Pattern(slug, name))
        self.matcher = Matcher(texts)

    def find(self, texts: Iterable[str]) -> list[list[tuple[Pattern, Hit]]]:
        """Per text, the organisations it names, each hit with the pattern it matched.

        A name the texts write in lower case at least as often as like a name is a common
        word or phrase ("de toekomst", "Karakter"), measured over all of `texts` at once:
        it is left out (`common` says which), as is every hit not written like a name.
        """
        found = [self.matcher.find(text) for text in texts]
        lower: Counter[int] = Counter()
        upper: Counter[int] = Counter()
        for hits in found:
            for hit in hits:
                counts = upper if _capitalised(hit.matched, self.patterns[hit.pattern]) else lower
                counts[hit.pattern] += 1
        common = {
            i for i, n in lower.items() if n >= upper[i] and not self.patterns[i].name.isupper()
        }
        self.common = {self.patterns[i].name: (lower[i], upper[i]) for i in sorted(common)}
        return [
            [
                (self.patterns[hit.pattern], hit)
                for hit in hits
                if hit.pattern not in common
                and _capitalised(hit.matched, self.patterns[hit.pattern])
            ]
            for hits in found
        ]


def _why_excluded(
    pattern: str, slugs: Mapping[str, str], stop: frozenset[str], places: set[str]
) -> str:
    if pattern in stop:
        return "on the stop list"
    if pattern in places:
        return "the name of a place"
    least = MIN_ACRONYM if all(name.isupper() for name in slugs.values()) else MIN_LENGTH
    if len(pattern) < least:
        return f"shorter than {least} characters"
    if len(slugs) > 1:
        return "the name of more than one organisation: " + ", ".join(sorted(slugs))
    return ""


def _capitalised(matched: str, pattern: Pattern) -> bool:
    """Written as a name: an acronym in capitals (`TNO`), another name with a capital
    somewhere (`gemeente Utrecht`, `iMMovator`; not `de brug`)."""
    if pattern.name.isupper():
        return matched.isupper()
    return any(char.isupper() for char in matched)

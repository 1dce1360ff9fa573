"""Read the `#+` YAML header of a named-query file (grlc style) into a checked `Header`.

The header is the run of lines at the top of the file that start with `#+`; the rest is
SPARQL. Every problem is reported as a `Problem` with the file and the line it is on, so a
bad header stops start-up with a message that points at it; nothing is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from lcgraph.errors import Problem
from lcgraph.named_queries.params import PARAM_KEYS, Expand, Param, ParamSpecError, make_param

HEADER_KEYS = frozenset({"title", "description", "params", "tags"})
LANGUAGES = ("nl", "en")
_MARK = "#+"


@dataclass(frozen=True)
class Header:
    """What a header declares: texts in nl and en, typed parameters and tags."""

    title: dict[str, str]
    description: dict[str, str]
    params: tuple[Param, ...]
    tags: tuple[str, ...]


class HeaderProblems(Exception):
    """Raised by `parse_header` with every problem it found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def header_lines(text: str) -> list[str]:
    """The leading `#+` lines of `text` with the marker (and one space) removed."""
    lines: list[str] = []
    for line in text.splitlines():
        if not line.startswith(_MARK):
            break
        body = line[len(_MARK) :]
        lines.append(body[1:] if body.startswith(" ") else body)
    return lines


def parse_header(text: str, file: str, expand: Expand) -> Header:
    """Parse and check the header of `text`; `expand` turns a CURIE into an IRI (KeyError).

    Raises HeaderProblems naming `file` and the line of each problem.
    """
    lines = header_lines(text)
    if not lines:
        raise HeaderProblems(
            [
                Problem(
                    file,
                    "has no `#+` header",
                    row=1,
                    expected="`#+ title:`, `#+ description:` ... lines at the top",
                )
            ]
        )
    spec = _load_yaml(lines, file)
    checker = _Checker(file, lines)
    header = checker.header(spec, expand)
    if checker.problems:
        raise HeaderProblems(checker.problems)
    return header


def _load_yaml(lines: list[str], file: str) -> dict[str, Any]:
    try:
        spec = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else 1
        problem = getattr(err, "problem", None) or str(err)
        raise HeaderProblems(
            [Problem(file, f"header is not valid YAML: {problem}", row=row)]
        ) from err
    if not isinstance(spec, dict):
        raise HeaderProblems(
            [
                Problem(
                    file,
                    "header must be a YAML mapping",
                    row=1,
                    expected="keys " + ", ".join(sorted(HEADER_KEYS)),
                )
            ]
        )
    return spec


class _Checker:
    """Checks a loaded header, collecting located problems instead of stopping at the first."""

    def __init__(self, file: str, lines: list[str]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def line_of(self, key: str, after: int = 0) -> int:
        """The 1-based line where `key:` appears as a mapping key (from line `after` on)."""
        pattern = re.compile(rf"^\s*(-\s*)?{re.escape(key)}\s*:")
        for number, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.match(line):
                return number
        return max(after, 1)

    def fail(self, message: str, key: str, expected: str | None = None, after: int = 0) -> None:
        self.problems.append(
            Problem(self.file, message, row=self.line_of(key, after), field=key, expected=expected)
        )

    def header(self, spec: dict[str, Any], expand: Expand) -> Header:
        for key in sorted(set(spec) - HEADER_KEYS):
            self.fail(
                "unknown header key", key, expected="one of " + ", ".join(sorted(HEADER_KEYS))
            )
        return Header(
            title=self.texts(spec, "title"),
            description=self.texts(spec, "description"),
            params=self.params(spec.get("params") or {}, expand),
            tags=self.tags(spec.get("tags") or []),
        )

    def texts(self, spec: dict[str, Any], key: str) -> dict[str, str]:
        value = spec.get(key)
        expected = "a mapping with a non-empty text for " + " and ".join(LANGUAGES)
        if (
            not isinstance(value, dict)
            or set(value) != set(LANGUAGES)
            or not all(isinstance(v, str) and v.strip() for v in value.values())
        ):
            self.fail(f"`{key}` must be given in Dutch and English", key, expected=expected)
            return {}
        return {lang: " ".join(str(value[lang]).split()) for lang in LANGUAGES}

    def tags(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            self.fail("`tags` must be a list of words", "tags", expected="[word, ...]")
            return ()
        return tuple(value)

    def params(self, value: Any, expand: Expand) -> tuple[Param, ...]:
        if not isinstance(value, dict):
            self.fail("`params` must be a mapping of name to declaration", "params")
            return ()
        start = self.line_of("params")
        params: list[Param] = []
        for name, decl in value.items():
            param = self.param(str(name), decl, expand, start)
            if param is not None:
                params.append(param)
        return tuple(params)

    def param(self, name: str, decl: Any, expand: Expand, start: int) -> Param | None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            self.fail("a parameter name must be a SPARQL variable name", name, after=start)
            return None
        if not isinstance(decl, dict):
            self.fail(
                "a parameter needs a mapping such as {type: iri, class: lc:Topsector}",
                name,
                after=start,
            )
            return None
        unknown = sorted(set(decl) - PARAM_KEYS)
        if unknown:
            self.fail(
                f"unknown parameter keys {unknown}",
                name,
                after=start,
                expected="keys among " + ", ".join(sorted(PARAM_KEYS)),
            )
            return None
        try:
            return make_param(name, decl, expand)
        except ParamSpecError as err:
            self.fail(str(err), name, after=start, expected=err.expected)
            return None

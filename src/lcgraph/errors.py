"""The exception tree of lcgraph. Domain code raises these; the CLI and the web layer render them.

LcgraphError
  ├── SourceError        a bad CSV cell or row: file, row, field, value, expected
  ├── MappingError       a mapping file inconsistent with its source or the ontology
  ├── OntologyError      the ontology does not parse, is inconsistent, or fails QC
  ├── ValidationFailed   a report with every problem found (sources, SHACL, ontology)
  ├── QueryError         a SPARQL or named query could not run
  │     ├── QuerySyntaxError   carries line and column
  │     ├── QueryParamError    names the parameter and the expected type
  │     ├── QueryForbidden     SERVICE/LOAD to a host that is not allowed, or an update
  │     └── QueryTimeout
  ├── StoreError         the store could not open, load or swap
  ├── ReleaseError       a release or its history is missing, corrupt or mismatched
  └── SettingsError      a setting that cannot be read: lcgraph.toml, --set, a bad value
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class LcgraphError(Exception):
    """Base of every error lcgraph raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, what was found and what was expected."""

    file: str
    message: str
    row: int | None = None
    field: str | None = None
    value: str | None = None
    expected: str | None = None
    column: int | None = None
    record: str | None = None  # a JSON record's pointer (RFC 6901), where a row has no number

    def __str__(self) -> str:
        where = self.file if self.record is None else f"{self.file}#{self.record}"
        if self.row is not None:
            where += f":{self.row}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where + ":"]
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        if self.value is not None:
            parts.append(f"= {self.value!r}:")
        parts.append(self.message)
        if self.expected is not None:
            parts.append(f"(expected {self.expected})")
        return " ".join(parts)


class SourceError(LcgraphError):
    """A problem in a source file, located to its row and field."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class MappingError(LcgraphError):
    """A mapping that does not fit its source or the ontology."""


class OntologyError(LcgraphError):
    """The ontology does not parse, is inconsistent, or fails a QC check."""


@dataclass
class ValidationFailed(LcgraphError):
    """Every problem found in one pass; raised only when there is at least one."""

    problems: list[Problem] = field(default_factory=list)
    stage: str = "validation"

    def __str__(self) -> str:
        head = f"{self.stage} failed with {len(self.problems)} problem(s)"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class QueryError(LcgraphError):
    """A query could not run."""

    status = 400


class QuerySyntaxError(QueryError):
    """The query does not parse; carries the position when the engine gives one."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class QueryParamError(QueryError):
    """A named-query parameter is missing or has the wrong type."""

    def __init__(self, param: str, expected: str, value: str | None = None) -> None:
        got = "" if value is None else f", got {value!r}"
        super().__init__(f"parameter {param!r}: expected {expected}{got}")
        self.param = param
        self.expected = expected


class QueryForbidden(QueryError):
    """The query asks for something the endpoint refuses (an update, SERVICE to a host)."""

    status = 403


class QueryTimeout(QueryError):
    """The query ran past its wall-clock limit and was stopped."""

    status = 503


class StoreError(LcgraphError):
    """The store could not be opened, loaded or swapped."""


class ReleaseError(LcgraphError):
    """A release is missing, corrupt (a checksum mismatch) or of another dataset; the
    message names the release and the file."""


class SettingsError(LcgraphError):
    """A setting could not be read: a bad `lcgraph.toml`, a malformed `--set`, an unknown
    name or a value of the wrong type; the message names where it came from."""


def relative(path: Path) -> str:
    """A path as shown in messages: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

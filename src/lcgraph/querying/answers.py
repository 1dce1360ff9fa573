"""What the query service takes and gives: a `QueryRequest`, and its `Answer`.

Plain dataclasses, so that whoever asks (the web, the CLI, the named queries) builds the
request and renders the answer without knowing how the service came by it
(`lcgraph.querying.service`): whole (`Complete`, as given and as cached), `NotModified`
(the asker's validator matches), or `Streamed` (too long to hold).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from lcgraph.querying.pool import OPEN
from lcgraph.querying.stream import QueryStream
from lcgraph.querying.terms import Wire


@dataclass(frozen=True)
class QueryRequest:
    """A query as the service takes it, whoever asked."""

    text: str
    formats: dict[str, list[str]]  # per result kind, the acceptable formats, best first
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None
    substitutions: Wire | None = None  # named-query parameters, bound as terms
    lane: str = OPEN  # CHEAP for queries the service knows (named queries)
    if_none_match: str | None = None  # the validators the asker holds
    max_rows: int | None = None  # None: the service's row cap; 0: none
    # the project's prefixes, usable without a PREFIX line (the CLI's convenience; a
    # query sent over HTTP declares its own)
    project_prefixes: bool = False


@dataclass(frozen=True)
class Complete:
    """A whole result, as given and as cached."""

    body: bytes
    kind: str  # solutions, boolean or graph
    format: str
    etag: str
    revision: str
    row_limit: int  # the cap that applied (0: none, or a boolean)
    truncated: bool  # whether the row cap cut it


@dataclass(frozen=True)
class NotModified:
    """The asker's validator matches: same revision, same request, same bytes."""

    etag: str


@dataclass(frozen=True)
class Streamed:
    """A result too long to hold: the first chunks, then the rest as the worker sends it.

    The consumer must call `stream.release()` however it ends (idempotent)."""

    stream: QueryStream
    prefix: list[bytes]
    chunks: AsyncIterator[bytes]
    kind: str
    format: str
    etag: str
    revision: str
    row_limit: int


Answer = Complete | NotModified | Streamed

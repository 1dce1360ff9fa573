"""`lcgraph sparql` and `lcgraph query`: a query answered by the query service, printed.

The CLI asks the same `QueryService` the web does (`lcgraph.querying.service`), so a query
gets the same guard, the same result writers and the same time limit: a bounded query is
answered in this process, anything else in one worker process that is killed at the limit
(started only when a query needs it). There is no row cap on the command line.
"""

from __future__ import annotations

import asyncio
import json
import sys
from contextlib import closing
from enum import StrEnum
from typing import Any, BinaryIO

import typer
from rich.console import Console
from rich.table import Table

from lcgraph import formats
from lcgraph.config import Settings
from lcgraph.errors import QueryParamError
from lcgraph.iris import Iris
from lcgraph.querying.answers import Complete, NotModified, QueryRequest
from lcgraph.querying.pool import CHEAP, NotAcceptable
from lcgraph.querying.service import QueryService
from lcgraph.querying.terms import Term, Wire, encode_substitutions
from lcgraph.store import open_store


class OutputFormat(StrEnum):
    """`--format`: a table, or a format of `lcgraph.formats` by its name (one member per row;
    tests/test_formats.py keeps them equal: this typer takes no choice list made at run time)."""

    table = "table"
    json = "json"
    xml = "xml"
    csv = "csv"
    tsv = "tsv"
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"
    rdfxml = "rdfxml"

    @property
    def written(self) -> formats.Format | None:
        """The format of the table this name maps to; None for `table`."""
        return formats.BY_NAME.get(self.value)


GRAPH_ONLY = tuple(f for f in OutputFormat if f.written and formats.GRAPH in f.written.kinds)
TEXT_BOOLEAN = (OutputFormat.table, OutputFormat.csv, OutputFormat.tsv)  # `true`, `false`


def formats_for(format: OutputFormat) -> dict[str, list[str]]:
    """The service's format choice for a CLI format; `table` reads JSON (or Turtle)."""
    if format is OutputFormat.table:
        return {"solutions": ["json"], "boolean": ["json"], "graph": ["turtle"]}
    if format in GRAPH_ONLY:
        return {"solutions": [], "boolean": [], "graph": [format.value]}
    # CSV and TSV of ASK, which the W3C leaves undefined and the service does not offer:
    # the bare answer, as Oxigraph writes it (read from JSON here)
    boolean = "json" if format in TEXT_BOOLEAN else format.value
    return {"solutions": [format.value], "boolean": [boolean], "graph": []}


def run_sparql(
    settings: Settings, text: str, format: OutputFormat, timeout_s: float | None, out: Console
) -> None:
    """Answer `text` and print it in `format`; a domain error is raised (LcgraphError)."""
    request = QueryRequest(text, formats_for(format), max_rows=0, project_prefixes=True)
    _print(settings, request, format, timeout_s, out)


def run_named(
    settings: Settings,
    name: str,
    params: list[str],
    format: OutputFormat,
    timeout_s: float | None,
    out: Console,
) -> None:
    """Bind `params` (key=value) to the named query `name`, answer it and print it."""
    from lcgraph.named_queries import load_queries

    queries = load_queries(settings.queries, Iris(settings.base_iri))
    if name not in queries:
        raise QueryParamError("NAME", f"one of {', '.join(sorted(queries))}", name)
    pairs = [p.split("=", 1) for p in params]
    if any(len(pair) != 2 for pair in pairs):
        raise QueryParamError("--param", "key=value")
    query = queries[name]
    bindings = query.bind(dict(pairs))
    # each bound IRI of a parameter with a class must be of it: the service's lookup
    classed = [
        (p.name, p.expected, bindings[p.variable], p.class_iri)
        for p in query.params
        if p.class_iri is not None and p.variable in bindings
    ]
    wire: Wire = encode_substitutions(bindings)
    request = QueryRequest(
        query.text, formats_for(format), substitutions=wire, lane=CHEAP, max_rows=0
    )
    _print(settings, request, format, timeout_s, out, classed)


Classed = list[tuple[str, str, Term, str]]  # (parameter, expected, value, class IRI)


def _print(
    settings: Settings,
    request: QueryRequest,
    format: OutputFormat,
    timeout_s: float | None,
    out: Console,
    classed: Classed | None = None,
) -> None:
    try:
        kind, body = asyncio.run(
            _answer(settings, request, timeout_s, sys.stdout.buffer, format, classed or [])
        )
    except NotAcceptable as err:
        families = "CONSTRUCT/DESCRIBE" if format in GRAPH_ONLY else "SELECT/ASK"
        raise typer.BadParameter(
            f"{format} is for {families} results", param_hint="--format"
        ) from err
    if not body:
        return
    result = json.loads(body)
    if kind == "boolean":
        out.print("true" if result["boolean"] else "false")
    else:
        _print_table(result, out)


async def _answer(
    settings: Settings,
    request: QueryRequest,
    timeout_s: float | None,
    stdout: BinaryIO,
    format: OutputFormat,
    classed: Classed,
) -> tuple[str, bytes]:
    """(result kind, the body when it is printed as text); otherwise it goes to `stdout` as
    it comes. One worker at most, and no syntax checker: nothing here waits for a worker."""
    one = settings.replace(service={"query_workers": 1, "query_reserved_workers": 0})
    with closing(open_store(settings.store, settings)) as store:
        service = QueryService.for_settings(one, store, timeout_s, check_syntax=False)
        try:
            for name, expected, value, class_iri in classed:
                if not await service.is_instance(value, class_iri):
                    raise QueryParamError(name, expected, value.value)
            return await _write(service, request, stdout, format)
        finally:
            service.pool.close()


async def _write(
    service: QueryService, request: QueryRequest, stdout: BinaryIO, format: OutputFormat
) -> tuple[str, bytes]:
    """Write the answer to `stdout`, or hold it (returned) when it is printed as text."""
    answer = await service.answer(request)
    assert not isinstance(answer, NotModified)  # no validators were sent
    held = (answer.kind == "boolean" and format in TEXT_BOOLEAN) or (
        answer.kind == "solutions" and format is OutputFormat.table
    )
    parts: list[bytes] = []
    emit = parts.append if held else stdout.write
    try:
        if isinstance(answer, Complete):
            emit(answer.body)
        else:
            for part in answer.prefix:
                emit(part)
            async for chunk in answer.chunks:  # raises QueryTimeout at the time limit
                emit(chunk)
    finally:
        if not isinstance(answer, Complete):
            answer.stream.release()
        if not held:
            stdout.flush()
    if not held and answer.kind == "boolean":
        stdout.write(b"\n")
        stdout.flush()
    return answer.kind, b"".join(parts)


def _print_table(result: dict[str, Any], out: Console) -> None:
    """The rows as a table (the writer put `SELECT *` columns in query order)."""
    names: list[str] = result["head"]["vars"]
    table = Table(*names)
    for row in result["results"]["bindings"]:
        table.add_row(*(row[n]["value"] if n in row else "" for n in names))
    out.print(f"{table.row_count} row(s)")

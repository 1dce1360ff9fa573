"""Run bounded queries (`lcgraph.querying.bounded`) in the service process, no worker.

A point lookup costs the engine ~50 µs; handing it to a worker process and reading the
answer back cost the service several times that. A bounded query's cost is proportional to
the rows pulled from it, so here at most `INLINE_ROWS` rows are pulled (a few milliseconds
at worst) on the service's read-only handle of the generation (`Target.open`).
A result that turns out longer is dropped and the caller sends the query to a worker, which
streams it and enforces the time limit as for any other query.

A pattern whose constants are all absolute IRIs (the point lookup: `<iri> ?p ?o`) is read
from the store's index with `quads_for_pattern`, which is what the engine does for it too,
minus parsing and planning: half the cost of `Store.query` in the service. The engine's
default graph is the union of all graphs, which is what `quads_for_pattern` reads with no
graph given; tests compare both ways on every pattern shape. Everything else (literals,
relative IRIs, a dataset, bindings, ASK) goes through `Store.query`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from pyoxigraph import NamedNode, Quad, Triple

from lcgraph.errors import QueryError
from lcgraph.iris import RDF_TYPE
from lcgraph.querying import results, worker
from lcgraph.querying.bounded import BoundedQuery
from lcgraph.querying.job import Job
from lcgraph.querying.prologue import graph_prefixes
from lcgraph.querying.result_rows import Term
from lcgraph.querying.stream import NotAcceptable
from lcgraph.sparql.reading import pname_iri
from lcgraph.store import Reader

INLINE_ROWS = 500
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
Slot = NamedNode | str  # a constant of the pattern, or a variable's name


@dataclass(frozen=True)
class InlineResult:
    """A complete result: what the worker would have sent as HEAD, DATA… and END."""

    kind: str
    format: str
    body: bytes
    truncated: bool


def run_inline(store: Reader, job: Job, query: BoundedQuery) -> InlineResult | None:
    """The whole result of a bounded `job` on `store` (a read-only handle on the generation
    the job names), or None when it has over INLINE_ROWS rows."""
    slots = None if job.default_graphs or job.substitutions else lookup_slots(query)
    if slots is None:
        result = worker.execute(store, job)
        kind = results.kind_of(result)
    else:
        kind = "graph" if query.form == "CONSTRUCT" else "solutions"
    fmt = results.choose_format(kind, job.formats)
    if fmt is None:
        raise NotAcceptable(
            f"no acceptable {kind} format: the Accept header or format parameter rules out all"
        )
    limit = min(job.max_rows, INLINE_ROWS) if job.max_rows else INLINE_ROWS
    out = io.BytesIO()
    try:
        if slots is None:
            _, truncated = results.write_result(result, fmt, out, limit, job.query, job.prefixes)
        else:
            _, truncated = _write_lookup(store, job, query, slots, fmt, out, limit)
    except (OSError, RuntimeError, ValueError) as err:
        raise QueryError(str(err)) from err
    if truncated and limit < (job.max_rows or limit + 1):
        return None  # longer than we pull here: a worker streams it
    return InlineResult(kind, fmt, out.getvalue(), truncated)


def lookup_slots(query: BoundedQuery) -> list[Slot] | None:
    """The pattern as IRIs and variable names, or None unless every constant is an absolute
    IRI (written out, as a declared prefixed name, or `a`) and the form is SELECT/CONSTRUCT."""
    if query.form == "ASK" or query.has_base:
        return None
    names = query.projection or []
    if len(set(names)) < len(names):
        return None  # the engine refuses a repeated variable
    # the names are SPARQL's own (the lexer reads VAR and PNAME_LN by the grammar), so a
    # name read here is the name the engine reads
    slots: list[Slot] = []
    for position, token in enumerate(query.pattern):
        if token.kind == "var":
            slots.append(token.text[1:])
            continue
        if token.kind == "word" and token.text == "a" and position == 1:
            iri = RDF_TYPE
        elif token.kind == "iri":
            iri = token.text[1:-1]
        elif token.kind == "pname" and "\\" not in token.text:  # escapes: the engine's job
            found = pname_iri(token, query.prefixes)
            if found is None:
                return None  # the engine reports the undeclared prefix
            iri = found
        else:
            return None
        if not _ABSOLUTE.match(iri):
            return None  # relative: the engine resolves it against the base IRI
        try:
            slots.append(NamedNode(iri))
        except ValueError:
            return None  # the engine reports the malformed IRI
    return slots


def _write_lookup(
    store: Reader,
    job: Job,
    query: BoundedQuery,
    slots: list[Slot],
    fmt: str,
    out: io.BytesIO,
    limit: int,
) -> tuple[int, bool]:
    s, p, o = (slot if isinstance(slot, NamedNode) else None for slot in slots)
    quads: Iterable[Quad] = store.quads_for_pattern(s, p, o, None)
    if query.limit is not None:
        quads = islice(quads, query.limit)
    if query.form == "CONSTRUCT":
        prefixes = graph_prefixes(job.query, job.prefixes)
        return results.write_triples(_distinct_triples(quads), fmt, out, limit, prefixes)
    # SELECT *: the variables in the order they appear (`prologue.select_columns`)
    names = query.projection or list(dict.fromkeys(s for s in slots if isinstance(s, str)))
    return results.write_rows(names, _rows(quads, slots, names), fmt, out, limit)


def _rows(
    quads: Iterable[Quad], slots: list[Slot], names: list[str]
) -> Iterator[list[Term | None]]:
    """Each quad as the values of `names`: the part of the triple a variable stands in."""
    where = [slots.index(name) if name in slots else -1 for name in names]
    for quad in quads:
        parts = (quad.subject, quad.predicate, quad.object)
        yield [parts[i] if i >= 0 else None for i in where]


def _distinct_triples(quads: Iterable[Quad]) -> Iterator[Triple]:
    """A constructed graph is a set: a triple found in several graphs is written once."""
    seen: set[Triple] = set()
    for quad in quads:
        triple = Triple(quad.subject, quad.predicate, quad.object)
        if triple not in seen:
            seen.add(triple)
            yield triple

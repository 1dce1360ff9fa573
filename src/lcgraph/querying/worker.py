"""The body of a query worker process: run one job at a time on a read-only store.

A worker opens a reader on the target a job names (`lcgraph.store.target`: a generation
folder read-only, or a SPARQL server) and keeps it until a job names another one (a build
switched `current`); a query that is still running keeps its own handle, so it finishes on
the generation it started on. Jobs arrive in their one typed form (`lcgraph.querying.job`).
The parent enforces the wall-clock and memory limits by killing this process: nothing here
needs to cooperate. A `check_only` job is only parsed, on an empty in-memory store
(pyoxigraph has no parse-only call; what it evaluates of a query on an empty store is
bounded by the parent's short limit for checks).
"""

from __future__ import annotations

import os
import socket
from typing import Any

from pyoxigraph import DefaultGraph, NamedNode, Store

from lcgraph.errors import LcgraphError, QuerySyntaxError, StoreError
from lcgraph.query_errors import syntax_error
from lcgraph.querying import frames, results
from lcgraph.querying.job import DEFAULT_GRAPH, Job, decode
from lcgraph.querying.terms import decode_substitutions
from lcgraph.store import Reader
from lcgraph.store.target import Target


def main(sock: socket.socket, nice: int = 0) -> None:
    """Serve jobs from `sock` until the parent closes it, `nice` steps below normal priority."""
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    opened: tuple[Target, Reader] | None = None
    sock.sendall(frames.encode(frames.READY, b""))
    while (frame := frames.recv_frame(sock)) is not None:
        job = decode(frame[1])
        if job.check_only:
            run_check(job, sock)
            continue
        if opened is None or opened[0] != job.target:
            opened = None  # drop the old handle before opening the new generation
            try:
                opened = (job.target, job.target.open())
            except (OSError, StoreError) as err:
                error = {"type": "StoreError", "message": f"cannot open the store: {err}"}
                sock.sendall(frames.encode_json(frames.ERROR, error))
                continue
        run_job(opened[1], job, sock)


def execute(store: Reader, job: Job) -> Any:
    """Start `job`'s query on `store`; a syntax error is raised with its line and column."""
    try:
        return store.query(job.query, **dataset_options(job))
    except SyntaxError as err:
        raise syntax_error(err) from err


def run_check(job: Job, sock: socket.socket) -> None:
    """Parse `job`'s query: a syntax ERROR frame, or END when it parses (whatever else)."""
    end: dict[str, Any] = {"rows": 0, "truncated": False}
    try:
        execute(Store(), job)
    except QuerySyntaxError as err:
        sock.sendall(frames.encode_json(frames.ERROR, _syntax_payload(err)))
        return
    except Exception as err:  # not a syntax error: the query's own worker reports it
        end["other"] = type(err).__name__
    sock.sendall(frames.encode_json(frames.END, end))


def _syntax_payload(err: QuerySyntaxError) -> dict[str, Any]:
    return {"type": "QuerySyntaxError", "message": str(err), "line": err.line, "column": err.column}


def run_job(store: Reader, job: Job, sock: socket.socket) -> None:
    """Run one job and send HEAD, DATA…, END, or a single ERROR frame."""
    try:
        result = execute(store, job)
    except QuerySyntaxError as err:
        sock.sendall(frames.encode_json(frames.ERROR, _syntax_payload(err)))
        return
    except (OSError, RuntimeError, ValueError, LcgraphError) as err:
        kind = "StoreError" if isinstance(err, StoreError) else "QueryError"
        sock.sendall(frames.encode_json(frames.ERROR, {"type": kind, "message": str(err)}))
        return
    send_result(result, job, sock)


def dataset_options(job: Job) -> dict[str, Any]:
    """pyoxigraph options: base IRI, prefixes, substitutions and dataset (default: the union
    of all graphs)."""
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.undeclared:
        options["prefixes"] = job.undeclared
    if job.substitutions:
        options["substitutions"] = decode_substitutions(job.substitutions)
    if job.default_graphs:
        options["default_graph"] = [
            DefaultGraph() if g == DEFAULT_GRAPH else NamedNode(g) for g in job.default_graphs
        ]
    else:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    return options


def send_result(result: Any, job: Job, sock: socket.socket) -> None:
    kind = results.kind_of(result)
    fmt = results.choose_format(kind, job.formats)
    if fmt is None:
        payload = {"type": "NotAcceptable", "kind": kind, "message": f"no acceptable {kind} format"}
        sock.sendall(frames.encode_json(frames.ERROR, payload))
        return
    out = frames.FrameWriter(sock)
    out.queue(frames.HEAD, {"kind": kind, "format": fmt})
    try:
        rows, truncated = results.write_result(
            result, fmt, out, job.max_rows, job.query, job.prefixes
        )
    except (OSError, RuntimeError, ValueError) as err:
        out.queue(frames.ERROR, {"type": "QueryError", "message": str(err)})
        out.flush()
        return
    out.queue(frames.END, {"rows": rows, "truncated": truncated})
    out.flush()

"""One query for a worker, in one typed form on both sides of the process boundary.

A `Job` is a frozen dataclass that travels pickled in a JOB frame (`lcgraph.querying.frames`)
over the socket between the service and a worker it spawned itself, so the worker reads the
same fields with the same types the service wrote: the target (`lcgraph.store.target`) comes
across as itself, and opens its reader there.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

from lcgraph.querying import frames
from lcgraph.querying.terms import Wire
from lcgraph.store.target import Target

DEFAULT_GRAPH = ""  # in a job's default_graphs: the store's own default graph


@dataclass(frozen=True)
class Job:
    """The text, the revision to run on and how to write the results."""

    query: str
    target: Target
    formats: dict[str, list[str]]  # per result kind, the acceptable formats, best first
    max_rows: int  # 0: no row cap
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None
    substitutions: Wire = field(default_factory=dict)  # lcgraph.querying.terms
    prefixes: dict[str, str] = field(default_factory=dict)  # the project's, to write graphs
    undeclared: dict[str, str] = field(default_factory=dict)  # usable without PREFIX (CLI)
    check_only: bool = False  # parse on an empty store, answer END or a syntax ERROR

    def encode(self) -> bytes:
        return frames.encode(frames.JOB, pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))


def decode(payload: bytes) -> Job:
    """The job in a JOB frame's payload (from the service that spawned this worker only)."""
    # the other end of the socket is the process that spawned this one: trusted
    job = pickle.loads(payload)  # noqa: S301
    assert isinstance(job, Job)
    return job

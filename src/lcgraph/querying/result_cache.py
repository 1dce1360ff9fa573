"""A small LRU of complete query results; keys include the store revision.

A build changes the revision and so every key: nothing is ever invalidated by hand. Only
results up to `BODY_BYTES` are kept, so a few large ones cannot push out the many small
ones that dashboards repeat.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from lcgraph.lru import LRU

BODY_BYTES = 256 * 1024


class HasBody(Protocol):
    @property
    def body(self) -> bytes: ...


A = TypeVar("A", bound=HasBody)


class ResultCache(LRU[str, A]):
    """At most `entries` answers of up to BODY_BYTES each, the least recently used dropped first."""

    def put(self, key: str, answer: A) -> None:
        if len(answer.body) <= BODY_BYTES:
            super().put(key, answer)

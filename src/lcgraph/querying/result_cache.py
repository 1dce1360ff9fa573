"""A small LRU of complete query results; keys include the store revision.

A build changes the revision and so every key: nothing is ever invalidated by hand. Only
results up to `BODY_BYTES` are kept, so a few large ones cannot push out the many small
ones that dashboards repeat.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, Protocol, TypeVar

BODY_BYTES = 256 * 1024


class HasBody(Protocol):
    @property
    def body(self) -> bytes: ...


A = TypeVar("A", bound=HasBody)


class ResultCache(Generic[A]):
    """At most `entries` answers, the least recently used dropped first."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[str, A] = OrderedDict()

    def get(self, key: str) -> A | None:
        answer = self._items.get(key)
        if answer is not None:
            self._items.move_to_end(key)
        return answer

    def put(self, key: str, answer: A) -> None:
        if self.entries <= 0 or len(answer.body) > BODY_BYTES:
            return
        self._items[key] = answer
        self._items.move_to_end(key)
        while len(self._items) > self.entries:
            self._items.popitem(last=False)

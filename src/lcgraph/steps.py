"""Long commands report their steps: a callback hears each step's name, its seconds are kept.

The CLI passes a callback that prints the step (`lcgraph build`, `lcgraph analyze`,
`lcgraph publish`); the seconds go into the command's report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Step = Callable[[str], None]


@contextmanager
def timed(timings: dict[str, float], name: str, step: Step) -> Iterator[None]:
    """Tell `step` that `name` begins, and keep its seconds (to the millisecond) in `timings`."""
    step(name)
    start = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - start, 3)

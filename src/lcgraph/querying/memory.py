"""Resident memory of query workers, and the watchdog that stops one over its limit.

Measured on pyoxigraph 0.5 (docs/query-service.md): a heavy join or sort allocates in
native code at hundreds of MB per second, and RLIMIT_AS does not fit a worker whose
RocksDB handle and thread arenas reserve far more address space than it ever touches, so
the limit is on resident memory (RSS, /proc/PID/statm), checked every WATCH_INTERVAL_S.
Where /proc is missing (not Linux) the limit is not enforced; `measurable()` says so.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

WATCH_INTERVAL_S = 0.05
REUSE_FRACTION = 0.75  # a worker that kept more than this of the limit is replaced
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def measurable() -> bool:
    return os.path.exists("/proc/self/statm")


def rss_bytes(pid: int) -> int:
    """Resident bytes of process `pid`; 0 when it cannot be read (gone, or no /proc)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def grown(pid: int | None, limit_mb: int) -> bool:
    """Whether an idle worker kept so much memory that its next query would start near the
    limit (allocators rarely give memory back): then it is replaced instead of reused."""
    return bool(limit_mb and pid) and rss_bytes(pid or 0) > REUSE_FRACTION * (limit_mb << 20)


async def watch(
    busy: Callable[[], list[tuple[int, Any]]], limit: int, over: Callable[[Any], None]
) -> None:
    """Forever: call `over(worker)` for each busy (pid, worker) whose RSS passes `limit`."""
    while True:
        await asyncio.sleep(WATCH_INTERVAL_S)
        for pid, w in busy():
            if pid and not w.over_memory and rss_bytes(pid) > limit:
                over(w)

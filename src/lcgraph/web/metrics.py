"""Service metrics in the Prometheus text format: requests, latencies, timeouts, rejections.

Kept in-process and dependency-free: counters in dicts, a fixed-bucket latency histogram.
The edge (`lcgraph.web.edge`) records every request, labelled by route template so label
cardinality stays bounded.

With several HTTP processes (`http_workers`) a scrape reaches one of them, so each process
also writes its counts to `shared_dir/<pid>.json` about once a second (`publish`), and
`render` adds the other processes' latest counts to its own: counters stay monotonic and
cover the whole service, at most a second behind for the other processes.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_left
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
PUBLISH_INTERVAL_S = 1.0


class Metrics:
    """Counters of one service process; `shared_dir` when it is one of several."""

    def __init__(self, shared_dir: str | Path | None = None) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.buckets: Counter[tuple[str, int]] = Counter()  # (route, bucket index), not summed
        self.latency_sum: defaultdict[str, float] = defaultdict(float)
        self.latency_count: Counter[str] = Counter()
        self.rejections: Counter[str] = Counter()
        self.timeouts = 0
        self.shared_dir = Path(shared_dir) if shared_dir else None

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, status)] += 1
        self.latency_sum[route] += seconds
        self.latency_count[route] += 1
        self.buckets[(route, bisect_left(BUCKETS, seconds))] += 1

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        """One answered request: its latency, status and, for a refusal, the reason."""
        self.observe(method, route, status, seconds)
        if status in REJECTION_REASONS:
            self.rejections[REJECTION_REASONS[status]] += 1

    def snapshot(self, timeouts: int) -> dict[str, Any]:
        """Everything counted, as JSON-able data (`merge` reads it back)."""
        return {
            "requests": [[*key, n] for key, n in self.requests.items()],
            "buckets": [[*key, n] for key, n in self.buckets.items()],
            "latency_sum": dict(self.latency_sum),
            "latency_count": dict(self.latency_count),
            "rejections": dict(self.rejections),
            "timeouts": timeouts,
        }

    def merge(self, snapshot: dict[str, Any]) -> None:
        for method, route, status, n in snapshot["requests"]:
            self.requests[(method, route, status)] += n
        for route, index, n in snapshot["buckets"]:
            self.buckets[(route, index)] += n
        for route, seconds in snapshot["latency_sum"].items():
            self.latency_sum[route] += seconds
        self.latency_count.update(snapshot["latency_count"])
        self.rejections.update(snapshot["rejections"])
        self.timeouts += snapshot["timeouts"]

    def publish(self, timeouts: int) -> None:
        """Write this process's counts for the others to add (no-op when alone)."""
        if self.shared_dir is None:
            return
        target = self.shared_dir / f"{os.getpid()}.json"
        partial = target.with_suffix(".partial")
        try:
            partial.write_text(json.dumps(self.snapshot(timeouts)), encoding="utf-8")
            os.replace(partial, target)  # readers never see half a file
        except OSError:
            pass  # the folder goes when the service stops; the counts go with it

    def render(self, timeouts: int) -> str:
        """The Prometheus text exposition of everything counted so far, by all processes."""
        total = Metrics()
        total.merge(self.snapshot(timeouts))
        own = f"{os.getpid()}.json"
        for path in sorted(self.shared_dir.glob("*.json")) if self.shared_dir else []:
            if path.name != own:
                try:
                    total.merge(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError):
                    continue  # removed as the service stops
        return total._text()

    def _text(self) -> str:
        lines = [
            "# HELP lcgraph_requests_total HTTP requests by method, route and status.",
            "# TYPE lcgraph_requests_total counter",
        ]
        for (method, route, status), n in sorted(self.requests.items()):
            lines.append(
                f'lcgraph_requests_total{{method="{method}",route="{route}",status="{status}"}} {n}'
            )
        lines += self._histogram()
        lines += [
            "# HELP lcgraph_query_timeouts_total Queries stopped at the time limit.",
            "# TYPE lcgraph_query_timeouts_total counter",
            f"lcgraph_query_timeouts_total {self.timeouts}",
            "# HELP lcgraph_rejections_total Requests refused, by reason.",
            "# TYPE lcgraph_rejections_total counter",
        ]
        # every known reason from the start, at 0: an alert on a rate needs the series
        # before the first rejection (Prometheus' instrumentation guide, "avoid missing metrics")
        for reason in sorted({*REJECTION_REASONS.values(), *self.rejections}):
            lines.append(f'lcgraph_rejections_total{{reason="{reason}"}} {self.rejections[reason]}')
        return "\n".join(lines) + "\n"

    def _histogram(self) -> list[str]:
        name = "lcgraph_request_duration_seconds"
        lines = [f"# HELP {name} Request latency by route.", f"# TYPE {name} histogram"]
        for route in sorted(self.latency_count):
            cumulative = 0
            for index, bound in enumerate(BUCKETS):
                cumulative += self.buckets[(route, index)]
                lines.append(f'{name}_bucket{{route="{route}",le="{bound}"}} {cumulative}')
            count = self.latency_count[route]
            lines.append(f'{name}_bucket{{route="{route}",le="+Inf"}} {count}')
            lines.append(f'{name}_sum{{route="{route}"}} {self.latency_sum[route]:.6f}')
            lines.append(f'{name}_count{{route="{route}"}} {count}')
        return lines


REJECTION_REASONS = {
    401: "unauthorized",
    403: "forbidden",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    503: "unavailable",
}

"""Service metrics in the Prometheus text format: requests, latencies, timeouts, rejections.

Kept in-process and dependency-free: counters in dicts, a fixed-bucket latency histogram.
`MetricsMiddleware` is a plain ASGI middleware (no per-request task like
BaseHTTPMiddleware), labelled by route template so label cardinality stays bounded.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Counters of one service process."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.buckets: Counter[tuple[str, float]] = Counter()
        self.latency_sum: defaultdict[str, float] = defaultdict(float)
        self.latency_count: Counter[str] = Counter()
        self.rejections: Counter[str] = Counter()
        self.timeouts = 0

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, status)] += 1
        self.latency_sum[route] += seconds
        self.latency_count[route] += 1
        for bound in BUCKETS:
            if seconds <= bound:
                self.buckets[(route, bound)] += 1

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        """One answered request: its latency, status and, for a refusal, the reason."""
        self.observe(method, route, status, seconds)
        if status in REJECTION_REASONS:
            self.rejections[REJECTION_REASONS[status]] += 1

    def render(self, timeouts: int) -> str:
        """The Prometheus text exposition of everything counted so far."""
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
            f"lcgraph_query_timeouts_total {timeouts}",
            "# HELP lcgraph_rejections_total Requests refused, by reason.",
            "# TYPE lcgraph_rejections_total counter",
        ]
        for reason, n in sorted(self.rejections.items()):
            lines.append(f'lcgraph_rejections_total{{reason="{reason}"}} {n}')
        return "\n".join(lines) + "\n"

    def _histogram(self) -> list[str]:
        name = "lcgraph_request_duration_seconds"
        lines = [f"# HELP {name} Request latency by route.", f"# TYPE {name} histogram"]
        for route in sorted(self.latency_count):
            for bound in BUCKETS:
                n = self.buckets[(route, bound)]
                lines.append(f'{name}_bucket{{route="{route}",le="{bound}"}} {n}')
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


class MetricsMiddleware:
    """Times every HTTP request and counts its status and rejection reason."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = getattr(scope.get("route"), "path", "other")
            self.metrics.record(scope["method"], route, status, time.perf_counter() - start)

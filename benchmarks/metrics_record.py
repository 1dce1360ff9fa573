"""The cost of counting one request: `lcgraph.web.metrics.Metrics.record` against the same
counts kept by prometheus-client in its multiprocess mode (issue 14).

    .venv/bin/python -m pip install prometheus-client==0.26.0   # not a dependency of lcgraph
    .venv/bin/python benchmarks/metrics_record.py [--records 200000]

prometheus-client's multiprocess mode is chosen by PROMETHEUS_MULTIPROC_DIR when the package
is imported, so this script sets it (a temporary folder) first. Both sides count the same
things per request: requests by method, route and status, the latency histogram by route
with the same buckets, a rejection by reason. prometheus-client is measured twice: with
`labels()` per request, and with the labelled children kept in a dict (its cheapest use).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import timeit
from collections.abc import Callable

from lcgraph.web.metrics import BUCKETS, REJECTION_REASONS, Metrics

Record = Callable[[str, str, int, float], None]


def prometheus_recorders() -> tuple[Record, Record, Callable[[], bytes]]:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="lcgraph-prometheus-")
    try:
        from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector
    except ImportError:
        raise SystemExit("install prometheus-client==0.26.0 first (see the docstring)") from None

    registry = CollectorRegistry()
    requests = Counter(
        "lcgraph_requests", "Requests.", ["method", "route", "status"], registry=registry
    )
    latency = Histogram(
        "lcgraph_request_duration_seconds",
        "Latency.",
        ["route"],
        buckets=BUCKETS,
        registry=registry,
    )
    rejections = Counter("lcgraph_rejections", "Refused.", ["reason"], registry=registry)

    def record(method: str, route: str, status: int, seconds: float) -> None:
        requests.labels(method, route, str(status)).inc()
        latency.labels(route).observe(seconds)
        if status in REJECTION_REASONS:
            rejections.labels(REJECTION_REASONS[status]).inc()

    children: dict[tuple[str, str, int], tuple[object, object]] = {}

    def record_kept(method: str, route: str, status: int, seconds: float) -> None:
        pair = children.get((method, route, status))
        if pair is None:
            pair = (requests.labels(method, route, str(status)), latency.labels(route))
            children[(method, route, status)] = pair
        pair[0].inc()  # type: ignore[attr-defined]
        pair[1].observe(seconds)  # type: ignore[attr-defined]
        if status in REJECTION_REASONS:
            rejections.labels(REJECTION_REASONS[status]).inc()

    scrape_registry = CollectorRegistry()
    MultiProcessCollector(scrape_registry)
    return record, record_kept, lambda: generate_latest(scrape_registry)


def per_call_us(function: Callable[[], object], number: int) -> float:
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    number = parser.parse_args().records
    ours = Metrics()
    prometheus, prometheus_kept, scrape = prometheus_recorders()
    for name, record in (
        ("lcgraph Metrics.record", ours.record),
        ("prometheus-client, labels() per call", prometheus),
        ("prometheus-client, children kept", prometheus_kept),
    ):
        cost = per_call_us(lambda r=record: r("GET", "/sparql", 200, 0.0031), number)  # type: ignore[misc]
        print(f"{name:40} {cost:6.2f} µs per request")
    print(
        f"{'scrape, lcgraph Metrics.render':40} {per_call_us(lambda: ours.render(0), 200):6.0f} µs"
    )
    print(f"{'scrape, MultiProcessCollector':40} {per_call_us(scrape, 200):6.0f} µs")


if __name__ == "__main__":
    main()

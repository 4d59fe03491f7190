"""The app's Prometheus metrics: one registry per app, so that two apps in one process (tests) never mix counts."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

# The *_created series double the exposition for no use here (process start time says the same).
disable_created_metrics()

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    """Request counts by route and status, latencies, query timeouts and rejections by limit."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("egovkg_http_requests", "HTTP requests answered, by route template, method and status",
                                ["route", "method", "status"], registry=r)
        self.latency = Histogram("egovkg_http_request_duration_seconds",
                                 "Time from the request's arrival to the end of its response body",
                                 ["route", "method"], buckets=LATENCY_BUCKETS, registry=r)
        self.in_flight = Gauge("egovkg_http_requests_in_flight", "Requests being answered now", registry=r)
        self.work_running = Gauge("egovkg_work_running", "Expensive requests running now (bounded by the work cap)",
                                  registry=r)
        self.work_waiting = Gauge("egovkg_work_waiting", "Expensive requests waiting for a slot under the work cap",
                                  registry=r)
        self.timeouts = Counter("egovkg_query_timeouts", "Queries stopped at their deadline, by API", ["api"],
                                registry=r)
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.rejections = Counter("egovkg_rejections", "Requests refused by a limit, by limit", ["limit"], registry=r)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        method = method if method in METHODS else "other"
        key = (route, method, status)
        series = self._series.get(key)
        if series is None:  # routes, methods and statuses are bounded, and so is this map
            series = self._series[key] = (self.requests.labels(route, method, str(status)),
                                          self.latency.labels(route, method))
        series[0].inc()
        series[1].observe(seconds)

    def reject(self, limit: str) -> None:
        """Count one request refused by ``limit`` (rate, body, headers, url, work, sparql_per_client, cors)."""
        self.rejections.labels(limit).inc()

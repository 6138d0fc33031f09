"""The least time any client could send a number of requests in, against injected latency."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestsAtLatency:
    """`requests`, each waiting the injected latency, no more than `concurrency` at once, and
    costing the client nothing: `requests x latency / concurrency`."""

    requests: int
    latency_ms: int
    concurrency: int

    @property
    def seconds(self) -> float:
        return self.requests * self.latency_ms / 1000 / self.concurrency

"""Cold sync wall time against the local backend with injected latency, next to the ideal.

The ideal is `requests x latency / concurrency`: every request waits the injected latency
and no more than `concurrency` are in flight, so no client could finish sooner. The server
runs in its own process, as it would for a user of `metro-tui local serve`.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as day_time
from pathlib import Path

import httpx

from benchmarks.backend import BackendProcess, serve
from benchmarks.datasets import TODAY, seeded_file, working_copy
from benchmarks.network_ideal import RequestsAtLatency
from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import PAGE_SIZE, StripeGateway
from metro_tui.api.transport import ConnectionLanes, http_client
from metro_tui.partial_views import PartialViews
from metro_tui.session.gateways import load_sdks
from metro_tui.sync.engine import SyncEngine
from metro_tui.sync.snapshot import AccountSnapshot

TOKEN = "bench-token"
NOW = datetime.combine(date.fromisoformat(TODAY), day_time(12), tzinfo=UTC)


@dataclass(frozen=True)
class ColdSyncResult:
    customers: int
    ideal: RequestsAtLatency
    """The requests the sync sent, at the latency and concurrency it ran with."""
    wall_s: float

    @property
    def ratio(self) -> float:
        return self.wall_s / self.ideal.seconds


class _RequestCounter(ConnectionLanes):
    """The app's own transport, counting every request sent, retries included: each one
    waited the injected latency."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await super().handle_async_request(request)


async def _sync(
    backend: BackendProcess, concurrency: int, *, show_partials: bool
) -> tuple[int, float]:
    transport = _RequestCounter()
    client = http_client(60, transport=transport)
    metronome = MetronomeGateway(backend.metronome_token, backend.metronome_url, http_client=client)
    stripe = StripeGateway(backend.stripe_key, backend.stripe_url)
    views = PartialViews(NOW)

    def show_partial(snapshot: AccountSnapshot) -> None:
        """What the store does with each partial result on a first load: every figure and row."""
        views.derive(snapshot)

    engine = SyncEngine(
        metronome,
        stripe,
        now=NOW,
        concurrency=concurrency,
        on_partial=show_partial if show_partials else None,
    )
    started = time.perf_counter()
    snapshot = await engine.run()
    wall = time.perf_counter() - started
    await metronome.close()
    if snapshot.failures:
        raise RuntimeError(f"the benchmark sync failed: {snapshot.failures[0]}")
    # The Stripe library has its own HTTP client; with no faults it sends one request per page.
    stripe_pages = max(1, math.ceil(len(snapshot.stripe_customers) / PAGE_SIZE))
    return transport.count + stripe_pages, wall


def cold_sync(
    customers: int, latency_ms: int, concurrency: int, *, runs: int, show_partials: bool = False
) -> ColdSyncResult:
    """The fastest of `runs` syncs, each with new gateways, against one server process.

    The fastest is reported because on a shared machine other work only ever adds time.
    """
    # As the app does before its first request (`load_sdks`): otherwise the first run alone
    # would import the Metronome SDK's resources, about a quarter of a second, inside its time.
    asyncio.run(load_sdks())
    source = seeded_file(customers)
    with tempfile.TemporaryDirectory() as folder:
        data = working_copy(source, Path(folder))
        with serve(data, token=TOKEN, today=TODAY, latency_ms=latency_ms) as backend:
            results = [
                asyncio.run(_sync(backend, concurrency, show_partials=show_partials))
                for _ in range(runs)
            ]
    requests, wall = min(results, key=lambda result: result[1])
    return ColdSyncResult(customers, RequestsAtLatency(requests, latency_ms, concurrency), wall)

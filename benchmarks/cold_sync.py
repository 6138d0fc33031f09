"""Cold sync wall time against the local backend with injected latency, next to the ideal.

The ideal is `requests x latency / concurrency`: every request waits the injected latency
and no more than `concurrency` are in flight, so no client could finish sooner.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, time as day_time
from pathlib import Path

import httpx

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import PAGE_SIZE, StripeGateway
from metro_tui.local.app import BackendConfig
from metro_tui.local.seed import SeedOptions, seed_database
from metro_tui.local.server import start_in_thread
from metro_tui.sync.engine import SyncEngine

TODAY = "2026-11-24"
TOKEN = "bench-token"


@dataclass(frozen=True)
class ColdSyncResult:
    customers: int
    latency_ms: int
    concurrency: int
    requests: int
    wall_s: float

    @property
    def ideal_s(self) -> float:
        return self.requests * self.latency_ms / 1000 / self.concurrency

    @property
    def ratio(self) -> float:
        return self.wall_s / self.ideal_s


async def _sync(metronome_url: str, stripe_url: str, stripe_key: str, concurrency: int) -> tuple[
    int, float
]:
    requests = 0

    async def count(_request: httpx.Request) -> None:
        nonlocal requests
        requests += 1

    client = httpx.AsyncClient(event_hooks={"request": [count]}, timeout=60)
    metronome = MetronomeGateway(TOKEN, metronome_url, http_client=client)
    stripe = StripeGateway(stripe_key, stripe_url)
    now = datetime.combine(date.fromisoformat(TODAY), day_time(12), tzinfo=UTC)
    engine = SyncEngine(metronome, stripe, now=now, concurrency=concurrency)
    started = time.perf_counter()
    snapshot = await engine.run()
    wall = time.perf_counter() - started
    await metronome.close()
    # Stripe's list pages are counted from what came back: one request per page of 100.
    requests += max(1, math.ceil(len(snapshot.stripe_customers) / PAGE_SIZE))
    return requests, wall


def cold_sync(customers: int, latency_ms: int, concurrency: int) -> ColdSyncResult:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "bench.sqlite3"
        seed_database(data, SeedOptions(seed=1, customers=customers, today=TODAY))
        backend = start_in_thread(
            data, BackendConfig(token=TOKEN, today=TODAY, latency_ms=latency_ms)
        )
        try:
            requests, wall = asyncio.run(
                _sync(backend.metronome_url, backend.stripe_url, backend.stripe_key, concurrency)
            )
        finally:
            backend.stop()
    return ColdSyncResult(customers, latency_ms, concurrency, requests, wall)

"""A full sync of the seeded local backend, through the real SDKs over HTTP."""

from __future__ import annotations

import gc
import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.errors import AuthError, UnavailableError
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.sync import engine as engine_module
from metro_tui.sync.collector import LOAD_YOUNG_THRESHOLD
from metro_tui.sync.engine import NEWEST_LOOKED_UP, SyncEngine
from metro_tui.sync.progress import RecordKind, SyncProgress
from metro_tui.sync.snapshot import AccountSnapshot
from tests.conftest import TEST_TODAY, TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _engine(backend: RunningBackend, **kwargs: object) -> SyncEngine:
    metronome = MetronomeGateway(TEST_TOKEN, backend.metronome_url)
    stripe = StripeGateway(backend.stripe_key, backend.stripe_url)
    return SyncEngine(metronome, stripe, now=NOW, concurrency=8, **kwargs)  # type: ignore[arg-type]


def _seed_totals(data: Path) -> dict[str, int]:
    """Figures straight from the data file, without any of the client's code."""
    with sqlite3.connect(data) as conn:
        rows = conn.execute("SELECT customer_id, status, doc FROM invoices").fetchall()
        customers = conn.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
        stripe = conn.execute("SELECT COUNT(*) FROM stripe_customers").fetchone()[0]
        contracts = conn.execute("SELECT COUNT(*) FROM contracts").fetchone()[0]
    finalized = [json.loads(doc) for _, status, doc in rows if status == "FINALIZED"]
    october = [
        doc
        for doc in finalized
        if "2026-10-01T00:00:00.000Z" < doc["end_timestamp"] <= "2026-11-01T00:00:00.000Z"
    ]
    return {
        "total": round(sum(doc["total"] for doc in finalized)),
        "last_month": round(sum(doc["total"] for doc in october)),
        "finalized": len(finalized),
        "customers": customers,
        "stripe_customers": stripe,
        "contracts": contracts,
    }


async def test_full_sync_matches_the_data_file(backend: RunningBackend, data_file: Path) -> None:
    progress_seen: list[str] = []
    partials: list[int] = []
    engine = _engine(
        backend,
        on_progress=lambda p: progress_seen.append(p.summary()),
        on_partial=lambda s: partials.append(len(s.metronome_customers)),
    )
    snapshot = await engine.run()
    expected = _seed_totals(data_file)

    assert snapshot.failures == []
    assert len(snapshot.metronome_customers) == expected["customers"]
    assert len(snapshot.stripe_customers) == expected["stripe_customers"]
    assert sum(len(c) for c in snapshot.contracts.values()) == expected["contracts"]
    assert len(snapshot.all_invoices()) == expected["finalized"]
    assert sum(i.total_cents for i in snapshot.all_invoices()) == expected["total"]
    assert snapshot.usage_days is not None and len(snapshot.usage_days) == 30
    assert snapshot.fetched_at == NOW
    assert engine.progress.finished
    assert progress_seen[-1] == "Up to date"
    assert partials[-1] == expected["customers"]
    done = engine.progress.done
    assert done[RecordKind.INVOICES] == done[RecordKind.CONTRACTS] == expected["customers"]


async def test_sync_survives_faults_with_identical_totals(
    data_file: Path, backend: RunningBackend
) -> None:
    clean = await _engine(backend).run()
    faulty = start_in_thread(
        data_file,
        BackendConfig(
            token=TEST_TOKEN, today=TEST_TODAY, error_rate=0.2, rate_limit=50, fault_seed=3
        ),
    )
    try:
        flaky = await _engine(faulty).run()
    finally:
        faulty.stop()
    assert flaky.failures == []
    assert _figures(flaky) == _figures(clean)


def _figures(snapshot: AccountSnapshot) -> tuple[object, ...]:
    return (
        sum(i.total_cents for i in snapshot.all_invoices()),
        Counter(i.customer_id for i in snapshot.all_invoices()),
        sorted(c.id for c in snapshot.metronome_customers),
        sorted(c.id for c in snapshot.stripe_customers),
        sorted(k for k, v in snapshot.contracts.items() for _ in v),
    )


async def test_the_records_are_frozen_out_of_the_collectors_walks_as_they_come_in(
    backend: RunningBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "FROZEN_EVERY", 5)
    gc.unfreeze()
    try:
        frozen_before = gc.get_freeze_count()
        frozen_midway: list[int] = []
        engine = _engine(
            backend, on_progress=lambda _progress: frozen_midway.append(gc.get_freeze_count())
        )
        snapshot = await engine.run()
    finally:
        gc.unfreeze()

    assert frozen_before == 0
    # Frozen while the load ran, not only once it had finished.
    assert any(count > 0 for count in frozen_midway[: len(frozen_midway) // 2])
    assert snapshot.invoices and not snapshot.failures


async def test_young_collections_are_spaced_out_while_a_load_runs(backend: RunningBackend) -> None:
    before = gc.get_threshold()
    during: list[int] = []
    engine = _engine(backend, on_progress=lambda _progress: during.append(gc.get_threshold()[0]))
    await engine.run()

    *loading, finished = during  # the last is told once every record is in
    assert set(loading) == {LOAD_YOUNG_THRESHOLD}
    assert (finished, gc.get_threshold()) == (before[0], before)


async def test_incremental_refresh_keeps_cached_invoices(backend: RunningBackend) -> None:
    first = await _engine(backend).run()
    second = await _engine(backend).run(previous=first)
    assert _figures(second) == _figures(first)


async def test_rejected_token_fails_the_sync(backend: RunningBackend) -> None:
    metronome = MetronomeGateway("wrong-token", backend.metronome_url)
    engine = SyncEngine(metronome, None, now=NOW)
    with pytest.raises(AuthError) as caught:
        await engine.run()
    assert "wrong-token" not in str(caught.value)


async def test_unreachable_server_is_unavailable(empty_backend: RunningBackend) -> None:
    url = empty_backend.metronome_url
    empty_backend.stop()
    engine = SyncEngine(MetronomeGateway(TEST_TOKEN, url, max_retries=0), None, now=NOW)
    with pytest.raises(UnavailableError):
        await engine.run()


async def test_a_first_load_says_it_looks_up_the_newest_customers_before_anything_else(
    backend: RunningBackend, data_file: Path
) -> None:
    """Until the newest customers are looked up, nothing else is sent, and the progress says
    so: it never names the pricing or the usage, which wait."""
    with sqlite3.connect(data_file) as conn:
        stripe_customers = conn.execute("SELECT COUNT(*) FROM stripe_customers").fetchone()[0]
    looked_up = min(stripe_customers, NEWEST_LOOKED_UP)  # all on Stripe's first page of 100
    seen: list[str] = []
    engine = _engine(backend, on_progress=lambda p: seen.append(p.summary()))
    await engine.run()

    stages = [summary.rsplit(" ", 1)[0] for summary in seen]
    first = stages.index("Loading newest customers")
    last = len(stages) - 1 - stages[::-1].index("Loading newest customers")
    assert set(stages[:first]) <= {"Loading…"}
    assert {seen[index] for index in range(first, last + 1)} == {
        f"Loading newest customers {done}/{looked_up}" for done in range(looked_up)
    }
    # What waited is still counted, once sent.
    progress = engine.progress
    for kind, count in (
        (RecordKind.NEWEST_CUSTOMERS, looked_up),
        (RecordKind.PRICING, 2),
        (RecordKind.USAGE, 1),
    ):
        assert (progress.done[kind], progress.total[kind]) == (count, count)


def test_progress_summary_names_the_first_unfinished_kind() -> None:
    progress = SyncProgress()
    progress.add_total(RecordKind.METRONOME_CUSTOMERS, 10)
    progress.add_done(RecordKind.METRONOME_CUSTOMERS, 10)
    progress.add_total(RecordKind.INVOICES, 10)
    progress.add_done(RecordKind.INVOICES, 4)
    assert progress.summary() == "Loading invoices 4/10"
    assert progress.fraction == 14 / 20


class FailingPaths(httpx.AsyncBaseTransport):
    """Real HTTP to the backend, except that the given paths answer 502."""

    def __init__(self, *paths: str) -> None:
        self.paths = paths
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in self.paths:
            return httpx.Response(502, json={"message": "bad gateway"})
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_failed_usage_and_pricing_are_recorded_and_the_rest_loads(
    backend: RunningBackend,
) -> None:
    clean = await _engine(backend).run()
    transport = FailingPaths("/local/v1/usage-events/daily", "/v1/contract-pricing/products/list")
    async with httpx.AsyncClient(transport=transport) as client:
        metronome = MetronomeGateway(
            TEST_TOKEN, backend.metronome_url, max_retries=0, http_client=client
        )
        stripe = StripeGateway(backend.stripe_key, backend.stripe_url)
        snapshot = await SyncEngine(metronome, stripe, now=NOW, concurrency=8).run()

    failed = "the server failed (HTTP 502)"
    assert (snapshot.usage_days, snapshot.usage_failure) == (None, failed)
    assert (snapshot.products, snapshot.pricing_failure) == ([], failed)
    assert snapshot.rate_cards == clean.rate_cards
    # Usage and pricing load side by side, so either may fail first.
    assert sorted(snapshot.failures) == [
        f"Rate cards and products could not be loaded: {failed}",
        f"Usage events could not be loaded: {failed}",
    ]
    assert _figures(snapshot) == _figures(clean)
    assert snapshot.failed_invoices == snapshot.failed_contracts == {}

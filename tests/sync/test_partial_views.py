"""The views of a growing snapshot, kept up incrementally, equal those derived from scratch."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.local.server import RunningBackend
from metro_tui.partial_views import PartialViews
from metro_tui.sync.engine import SyncEngine
from metro_tui.sync.progress import SyncProgress
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import AccountView, account_view
from tests.conftest import TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _same(incremental: AccountView, scratch: AccountView) -> None:
    assert incremental.overview == scratch.overview
    assert incremental.rows == scratch.rows


async def test_every_partial_result_equals_one_derived_from_scratch(
    backend: RunningBackend,
) -> None:
    metronome = MetronomeGateway(TEST_TOKEN, backend.metronome_url)
    stripe = StripeGateway(backend.stripe_key, backend.stripe_url)
    views = PartialViews(NOW)
    compared: list[int] = []

    def progress(_progress: SyncProgress) -> None:
        snapshot = engine.snapshot
        _same(views.derive(snapshot), account_view(snapshot, NOW))
        compared.append(len(snapshot.invoices))

    engine = SyncEngine(metronome, stripe, now=NOW, concurrency=4, on_progress=progress)
    complete = await engine.run()
    _same(views.derive(complete), account_view(complete, NOW))
    # Compared as each customer's invoices came in, from none to every listed customer's.
    assert compared[0] == 0
    assert compared[-1] == len(complete.metronome_customers)
    assert complete.all_invoices()
    assert views.derive(complete).overview.total_revenue_cents > 0

    # Records replaced or dropped (a resumed load forgets customers no longer listed): the
    # sums start again rather than keep what is gone.
    first, second = list(complete.invoices)[:2]
    changed = dataclasses.replace(complete, invoices=dict(complete.invoices))
    changed.invoices[first] = complete.invoices[first][:1]
    del changed.invoices[second]
    _same(views.derive(changed), account_view(changed, NOW))
    # A failure recorded for a customer whose records are otherwise the same changes its row.
    third = list(complete.contracts)[2]
    contracts = {key: value for key, value in changed.contracts.items() if key != third}
    failed = dataclasses.replace(
        changed, contracts=contracts, failed_contracts={third: "timed out"}
    )
    _same(views.derive(failed), account_view(failed, NOW))
    assert any(row.status_error == "timed out" for row in views.derive(failed).rows)
    fewer = AccountSnapshot(
        stripe_customers=complete.stripe_customers,
        metronome_customers=complete.metronome_customers,
        invoices={first: complete.invoices[first]},
    )
    _same(views.derive(fewer), account_view(fewer, NOW))

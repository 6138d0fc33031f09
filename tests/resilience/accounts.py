"""Syncing the local backend as the app does, and what the screens would show from it."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.local.server import RunningBackend
from metro_tui.sync.engine import SyncEngine
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerRow, OverviewFigures, customer_rows, overview_figures
from tests.conftest import TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


async def sync(
    backend: RunningBackend,
    *,
    http_client: httpx.AsyncClient | None = None,
    max_retries: int = 4,
    concurrency: int = 8,
) -> AccountSnapshot:
    """A full sync through the real gateways; `http_client` can stand between them and HTTP."""
    metronome = MetronomeGateway(
        TEST_TOKEN, backend.metronome_url, max_retries=max_retries, http_client=http_client
    )
    stripe = StripeGateway(backend.stripe_key, backend.stripe_url, max_retries=max_retries)
    try:
        return await SyncEngine(metronome, stripe, now=NOW, concurrency=concurrency).run()
    finally:
        await metronome.close()


def shown(snapshot: AccountSnapshot) -> tuple[OverviewFigures, list[CustomerRow]]:
    """Every Overview figure and every Customers row, linked and unlinked."""
    return overview_figures(snapshot, NOW), customer_rows(snapshot, NOW, include_unlinked=True)

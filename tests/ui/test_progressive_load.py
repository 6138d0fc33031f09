"""On a first load the Customers rows appear while the account is still loading."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Label

from metro_tui.config import Settings
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.widgets.customer_table import CustomerTable
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.ui.conftest import make_app


@pytest.fixture
def slow_backend(data_file: Path) -> Iterator[RunningBackend]:
    """Every request takes 20 ms, so a sync lasts long enough to watch it fill in."""
    running = start_in_thread(
        data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY, latency_ms=20)
    )
    yield running
    running.stop()


async def test_rows_fill_in_before_the_load_finishes(
    settings: Settings, data_file: Path, slow_backend: RunningBackend
) -> None:
    slow = settings.model_copy(
        update={
            "metronome_base_url": slow_backend.metronome_url,
            "stripe_api_base": slow_backend.stripe_url,
            "concurrency": 2,
        }
    )
    app = make_app(slow, data_file)
    # No key presses while it loads: Pilot waits for the app to go idle, which it does only
    # once the load is over.
    async with app.run_test(size=(120, 40)):
        table = app.query_one(CustomerTable)
        progress = app.query_one("#progress", Label)
        seen_while_loading: list[int] = []
        # Sampled until the load ends, however long a busy machine takes to get there.
        while str(progress.render()) != "Up to date":
            if table.total_count:
                seen_while_loading.append(table.total_count)
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        final = table.total_count
    assert seen_while_loading, "no rows were shown before the load finished"
    assert 0 < seen_while_loading[0] <= final
    assert seen_while_loading == sorted(seen_while_loading)

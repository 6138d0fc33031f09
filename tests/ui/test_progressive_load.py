"""On a first load the Customers rows appear while the account is still loading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Label

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.view_models import AccountView
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
    settings: Settings,
    data_file: Path,
    slow_backend: RunningBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slow = settings.model_copy(
        update={
            "metronome_base_url": slow_backend.metronome_url,
            "stripe_api_base": slow_backend.stripe_url,
            "concurrency": 2,
        }
    )
    # The rows on screen each time the views redraw from a partial account: every one is seen,
    # at the moment it is drawn, however long a busy machine takes.
    rows_while_loading: list[int] = []
    published = MetroApp._account_published

    def drawn(app: MetroApp, account: AccountView) -> None:
        published(app, account)
        total_count = app.query_one(CustomerTable).total_count
        if not account.complete and total_count:
            rows_while_loading.append(total_count)

    monkeypatch.setattr(MetroApp, "_account_published", drawn)
    app = make_app(slow, data_file)
    async with app.run_test(size=(120, 40)):
        await app.workers.wait_for_complete()
        assert str(app.query_one("#progress", Label).render()) == "Up to date"
        final = app.query_one(CustomerTable).total_count
    assert rows_while_loading, "no rows were shown before the load finished"
    assert 0 < rows_while_loading[0] <= final
    assert rows_while_loading == sorted(rows_while_loading)

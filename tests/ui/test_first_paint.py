"""A warm start draws its first frame from the first paint, then the whole cached account.

The store's read of the cache is held until the test has looked at the first frame, so what
the app shows before and after it is asserted exactly, however slow the machine.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Label

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.services.money import format_cents
from metro_tui.store import AccountStore
from metro_tui.view_models import AccountView
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.stat_card import LOADING, StatCard
from tests.ui.conftest import make_app

SIZE = (120, 40)


class HeldCacheRead:
    """Once armed, holds every read of the cache in its worker thread until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self._monkeypatch = monkeypatch

    def arm(self) -> None:
        read = AccountStore._read_cache

        def held(store: AccountStore) -> tuple[AccountView | None, str | None]:
            self.started.set()
            self.release.wait()
            return read(store)

        self._monkeypatch.setattr(AccountStore, "_read_cache", held)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldCacheRead]:
    hold = HeldCacheRead(monkeypatch)
    yield hold
    hold.release.set()  # never leave a worker thread waiting


async def _read_started(held: HeldCacheRead) -> None:
    """Wait, off the event loop the app runs on, until its read of the cache has begun."""
    await asyncio.to_thread(held.started.wait)


def _text(app: MetroApp, selector: str) -> str:
    return str(app.query_one(selector, Label).render())


async def _saved_account(settings: Settings, data_file: Path) -> AccountView:
    """Run the app once until its account is loaded and saved, as a user's earlier start."""
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE):
        await app.workers.wait_for_complete()
        await app.store.settled()
        account = app.store.account
    assert account is not None
    return account


async def test_the_first_frame_shows_the_saved_figures_before_the_cache_is_read(
    settings: Settings, data_file: Path, backend: RunningBackend, held: HeldCacheRead
) -> None:
    saved = await _saved_account(settings, data_file)
    held.arm()
    linked = sum(row.linked for row in saved.rows)
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE):
        await _read_started(held)
        # The cache is not read yet, and the figures are on screen.
        assert app.store.account is None
        assert app.query_one("#total-revenue", StatCard).value == format_cents(
            saved.overview.total_revenue_cents
        )
        assert _text(app, "#customer-count") == f"{linked:,} linked customers  ·  loading…"
        table = app.query_one(CustomerTable)
        newest = sorted(saved.rows, key=lambda row: row.date_created, reverse=True)
        assert list(table.visible_rows) == [row for row in newest if row.linked]

        held.release.set()
        await app.workers.wait_for_complete()
        assert app.store.account is not None
        assert app.first_paint is None
        assert app.store.overview == saved.overview
        assert app.query_one("#total-revenue", StatCard).value == format_cents(
            saved.overview.total_revenue_cents
        )
        assert _text(app, "#customer-count") == (
            f"{linked:,} linked customers  ·  a: all Stripe customers"
        )


async def test_a_stale_first_paint_is_not_drawn(
    settings: Settings, data_file: Path, backend: RunningBackend, held: HeldCacheRead
) -> None:
    saved = await _saved_account(settings, data_file)
    held.arm()
    # A later save of the snapshot that left the first paint behind it.
    later = dataclasses.replace(
        saved.snapshot, fetched_at=saved.snapshot.fetched_at.replace(year=2027)
    )
    make_app(settings, data_file).connection.cache.store(later)
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE):
        await _read_started(held)
        assert app.first_paint is None
        assert app.query_one("#total-revenue", StatCard).value == LOADING
        assert app.query_one(CustomerTable).row_count == 0
        held.release.set()
        await app.workers.wait_for_complete()


async def test_a_customer_is_not_opened_from_the_first_paint(
    settings: Settings, data_file: Path, backend: RunningBackend, held: HeldCacheRead
) -> None:
    """Only the figures of its row are known until the account is read, not its contracts."""
    await _saved_account(settings, data_file)
    held.arm()
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE) as pilot:
        await _read_started(held)
        await pilot.press("2", "enter")
        assert [n.message for n in app._notifications] == ["The account is still loading."]
        held.release.set()
        await app.workers.wait_for_complete()


async def test_a_first_paint_whose_cache_turns_out_damaged_is_taken_back(
    settings: Settings, data_file: Path, backend: RunningBackend, held: HeldCacheRead
) -> None:
    """The cache ends as the one it was made from, but cannot be read: with the backend
    gone too, the screen says why there is no account instead of the first paint's figures."""
    await _saved_account(settings, data_file)
    held.arm()
    cache = make_app(settings, data_file).connection.cache.path
    text = cache.read_bytes()
    middle = len(text) // 2
    cache.write_bytes(text[:middle] + b"#" + text[middle + 1 :])
    backend.stop()
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE):
        await _read_started(held)
        assert app.first_paint is not None
        held.release.set()
        await app.workers.wait_for_complete()
        assert app.first_paint is None
        assert app.store.account is None
        assert app.query_one("#total-revenue", StatCard).value == "Could not load"
        assert app.query_one("#total-revenue", StatCard).detail == app.load_failure
        assert app.query_one(CustomerTable).row_count == 0

"""The app against the seeded local backend: figures on screen match the data file."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label
from textual.widgets._toast import Toast

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.errors import BillingApiError
from metro_tui.models import MetronomeCustomer
from metro_tui.screens.account_feed import follow_account
from metro_tui.services.money import format_cents
from metro_tui.session.connection import open_connection
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.stat_card import StatCard
from tests.ui.conftest import make_app
from tests.ui.keyboard import filter_customers
from tests.ui.screen_text import widget_lines


def _finalized_total(data: Path) -> int:
    with sqlite3.connect(data) as conn:
        docs = conn.execute("SELECT doc FROM invoices WHERE status = 'FINALIZED'").fetchall()
    return round(sum(json.loads(doc)["total"] for (doc,) in docs))


async def test_overview_and_customers_show_the_synced_account(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        total = app.query_one("#total-revenue", StatCard)
        assert total.value == format_cents(_finalized_total(data_file))
        assert str(app.query_one("#progress", Label).render()) == "Up to date"
        assert str(app.query_one("#backend", Label).render()) == "Local demo data"

        await pilot.press("2")
        table = app.query_one(CustomerTable)
        assert app.snapshot is not None
        linked = table.row_count
        assert linked > 0

        await filter_customers(pilot, "zzzz-no-such-customer")
        assert table.row_count == 0
        await pilot.press("escape")
        assert table.row_count == linked


async def test_second_start_shows_the_cache_before_any_request(
    settings: Settings, data_file: Path
) -> None:
    first = make_app(settings, data_file)
    async with first.run_test():
        await first.workers.wait_for_complete()
    connection = open_connection(settings, local_data=data_file)
    cached = connection.cache.load()
    assert cached.snapshot is not None
    assert first.snapshot is not None
    assert cached.snapshot == first.snapshot


class NoticedApp(MetroApp):
    """The app, keeping the notifications it shows as (severity, message)."""

    notices: list[tuple[str, str]]

    def notify(self, message: str, **options: Any) -> None:
        self.notices = [*getattr(self, "notices", []), (options.get("severity", ""), message)]
        super().notify(message, **options)


async def test_an_unknown_theme_keeps_the_default_and_says_where_it_was_set(
    settings: Settings, data_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "solarised-ish"\n')
    monkeypatch.setenv("METRO_TUI_CONFIG", str(config))
    configured = settings.model_copy(update={"theme": "solarised-ish"})
    app = NoticedApp(configured, open_connection(configured, local_data=data_file))
    async with app.run_test(size=(120, 40)):
        await app.workers.wait_for_complete()
        assert app.theme == "textual-dark"
    assert app.notices[0] == (
        "warning",
        f"There is no theme 'solarised-ish' (the key theme in {config}); showing textual-dark. "
        "Settings (,) lists the themes.",
    )


class CustomerCount(Label):
    """A view of the account the app was never told about."""

    def on_mount(self) -> None:
        follow_account(self, lambda account: self.update(f"{len(account.rows)} customers"))


async def test_a_new_view_of_the_account_redraws_itself_without_the_app(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        snapshot = app.store.snapshot
        assert snapshot is not None
        view = CustomerCount()
        await app.screen.mount(view)
        # Mounted after the account arrived: shown at once.
        assert str(view.render()) == f"{len(snapshot.stripe_customers)} customers"

        app.store.adopt(
            dataclasses.replace(snapshot, stripe_customers=snapshot.stripe_customers[:3])
        )
        await pilot.pause()
        assert str(view.render()) == "3 customers"


async def test_progress_that_fits_its_line_is_repainted_without_a_layout(
    settings: Settings, data_file: Path
) -> None:
    """A load says how far it has got ten times a second: each text that fits the status
    line is drawn where the last one was; a notice that wraps, or stops wrapping, lays the
    screen out again."""
    app = make_app(settings, data_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        label = app.query_one("#progress", Label)
        assert label.size.height == 1
        before = label._layout_updates
        app._say("Loading invoices 12/40")
        await pilot.pause()
        assert widget_lines(app, label)[0].strip() == "Loading invoices 12/40"
        assert label._layout_updates == before
        notice = "Stale since 12:00: could not connect to the server. Retrying in 5 s."
        app._say(notice)
        await pilot.pause()
        assert label.size.height == 2
        assert label._layout_updates > before
        wrapped = label._layout_updates
        app._say("Up to date")
        await pilot.pause()
        assert label.size.height == 1
        assert widget_lines(app, label)[0].strip() == "Up to date"
        assert label._layout_updates > wrapped


async def test_a_failed_refresh_shows_the_servers_brackets_as_written(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure is told in the server's own words, which may hold brackets: the status line
    and the toast show them as written, neither read as styles (and dropped) nor refused as
    broken markup."""
    said = "field [b]name[/b] is not [/] allowed"

    async def refused(_: MetronomeGateway) -> AsyncIterator[list[MetronomeCustomer]]:
        raise BillingApiError("Metronome", said)
        yield []  # an async generator, as the gateway's own

    app = make_app(settings, data_file)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        monkeypatch.setattr(MetronomeGateway, "customer_pages", refused)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        for _ in range(5):  # the toast rack mounts the toast a few messages later
            if app.screen.query(Toast):
                break
            await pilot.pause()
        status = widget_lines(app, app.query_one("#progress", Label))[0].strip()
        assert status.startswith("Stale since ")
        assert f"Metronome: {said}. Retrying in 5 s." in status
        assert [str(toast.render()) for toast in app.screen.query(Toast)] == [f"Metronome: {said}"]

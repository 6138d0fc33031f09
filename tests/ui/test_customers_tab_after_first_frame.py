"""The Customers tab starts hidden: its table and filter are composed after the first frame,
so styling and laying them out does not delay the Overview's figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.app import ComposeResult
from textual.widgets import Input

from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.screens.customers import CustomersPane
from metro_tui.widgets.customer_table import CustomerTable
from tests.ui.conftest import make_app
from tests.ui.frames import FrameCounter


async def test_the_customers_tab_is_composed_once_after_the_first_frame(
    settings: Settings,
    data_file: Path,
    backend: RunningBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frames = FrameCounter(monkeypatch)
    frames_before_compose: list[int] = []
    compose = CustomersPane.compose

    def noted(pane: CustomersPane) -> ComposeResult:
        frames_before_compose.append(frames.drawn)
        return compose(pane)

    monkeypatch.setattr(CustomersPane, "compose", noted)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        await pilot.press(*"acme")
        await pilot.pause()
        box = app.query_one("#customer-filter", Input)
        assert app.focused is box
        assert box.value == "acme"
        assert app.query_one(CustomerTable).total_count > 0
    assert len(frames_before_compose) == 1
    assert frames_before_compose[0] >= 1


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(
    settings: Settings, data_file: Path, backend: RunningBackend
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        pane = await app.customers_pane()
        await pilot.press("2")
        # As a terminal hands over "/ab/c" typed quickly: every key queued before any is read.
        for key, character in (("slash", "/"), ("a", "a"), ("b", "b"), ("slash", "/"), ("c", "c")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        box = app.query_one("#customer-filter", Input)
        assert app.focused is box
        assert box.value == "ab/c"  # a "/" in the filter is typed, not a new filter
        assert not pane.show_all  # "a" did not reach the table's all-customers toggle

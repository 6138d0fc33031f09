"""Every app screen pinned as an SVG at 120x40 and 80x24, over the seeded local backend."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandInput
from textual.pilot import Pilot

from metro_tui.config import Settings
from tests.conftest import TEST_TODAY
from tests.ui.conftest import make_app
from tests.ui.page_facts import showcase_page
from tests.ui.seed_facts import linked_customers

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _keys(*keys: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return run


def _first_linked(data_file: Path) -> str:
    return min(linked_customers(data_file))


@pytest.mark.parametrize("size", SIZES)
def test_overview(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    assert snap_compare(make_app(settings, data_file), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_customers(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    app = make_app(settings, data_file)
    assert snap_compare(app, terminal_size=size, run_before=_keys("2"))


@pytest.mark.parametrize("size", SIZES)
def test_customers_filtered(
    snap_compare: Any, settings: Settings, data_file: Path, size: Any
) -> None:
    app = make_app(settings, data_file)
    assert snap_compare(app, terminal_size=size, run_before=_keys("slash", *"media", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_customers_all(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    app = make_app(settings, data_file)
    assert snap_compare(
        app, terminal_size=size, run_before=_keys("2", "a", "greater_than_sign", "end")
    )


@pytest.mark.parametrize("size", SIZES)
def test_detail_linked(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    stripe_id = _first_linked(data_file)
    app = make_app(settings, data_file)
    steps = _keys("slash", *stripe_id, "enter", "enter")
    assert snap_compare(app, terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_detail_unlinked(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    app = make_app(settings, data_file)
    assert snap_compare(
        app, terminal_size=size, run_before=_keys("2", "a", "greater_than_sign", "end", "enter")
    )


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    app = make_app(settings, data_file)
    assert snap_compare(app, terminal_size=size, run_before=_keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_command_palette(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        pilot.app.screen.query_one(CommandInput).cursor_blink = False
        await pilot.press(*"media")
        await pilot.app.workers.wait_for_complete()  # the palette gathers hits in a worker
        await pilot.pause()

    app = make_app(settings, data_file)
    assert snap_compare(app, terminal_size=size, run_before=search)


def test_customers_in_a_light_theme(snap_compare: Any, settings: Settings, data_file: Path) -> None:
    """Colours come from the theme: provision statuses, the cursor and the cards follow it."""
    app = make_app(settings.model_copy(update={"theme": "textual-light"}), data_file)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_keys("2"))


def _on_the_customer_page(data_file: Path, *keys: str) -> Steps:
    """Open the showcase customer's page, let it load, then press `keys`."""
    stripe_id = showcase_page(data_file, TEST_TODAY).stripe_customer_id

    async def run(pilot: Pilot[Any]) -> None:
        await _keys("slash", *stripe_id, "enter", "enter")(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_customer_page_with_every_term(
    snap_compare: Any, settings: Settings, data_file: Path, size: Any
) -> None:
    app = make_app(settings, data_file)
    steps = _on_the_customer_page(data_file, *"jjjjjjjjjj")
    assert snap_compare(app, terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_customer_page_invoices(
    snap_compare: Any, settings: Settings, data_file: Path, size: Any
) -> None:
    app = make_app(settings, data_file)
    steps = _on_the_customer_page(data_file, "i", "down")
    assert snap_compare(app, terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_invoice_screen(snap_compare: Any, settings: Settings, data_file: Path, size: Any) -> None:
    app = make_app(settings, data_file)
    steps = _on_the_customer_page(data_file, "i", "down", "enter")
    assert snap_compare(app, terminal_size=size, run_before=steps)

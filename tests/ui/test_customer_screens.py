"""Customers, customer detail, help and the command palette, driven by keys over the seed."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Label, TabbedContent

import metro_tui.app
from metro_tui.app import MetroApp, Relaunch
from metro_tui.config import Settings
from metro_tui.errors import BillingApiError
from metro_tui.models import Contract
from metro_tui.page_records import CustomerPage
from metro_tui.screens.customer_detail import ContractCard, CustomerDetailScreen
from metro_tui.screens.diagnostics import DiagnosticsScreen
from metro_tui.screens.settings import SettingsScreen
from metro_tui.services.money import format_cents
from metro_tui.session.connection import open_connection
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.identities_panel import IdentitiesPanel
from tests.ui.conftest import make_app
from tests.ui.keyboard import filter_customers, type_burst
from tests.ui.seed_facts import (
    LinkedCustomer,
    linked_customers,
    rate_card_names,
    stripe_customer_count,
)

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _day(text: str) -> date:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def _period(doc: dict[str, object]) -> str:
    """The period as the spec words it, computed here without the app's code."""

    def words(day: date) -> str:
        return f"{day:%b} {day.day}, {day.year}"

    start = _day(str(doc["starting_at"]))
    end = doc.get("ending_before")
    last = "no end" if end is None else words(_day(str(end)) - timedelta(days=1))
    starts = datetime.fromisoformat(str(doc["starting_at"]).replace("Z", "+00:00"))
    ends = None if end is None else datetime.fromisoformat(str(end).replace("Z", "+00:00"))
    active = starts <= NOW and (ends is None or ends > NOW)
    return f"{words(start)} – {last}" + (" (Active)" if active else "")


def _inside_period(doc: dict[str, object]) -> datetime:
    """Now if the contract runs now, else its first moment or the last second before its end."""
    start = datetime.fromisoformat(str(doc["starting_at"]).replace("Z", "+00:00"))
    end = doc.get("ending_before")
    if start > NOW:
        return start
    if end is not None:
        ends = datetime.fromisoformat(str(end).replace("Z", "+00:00"))
        if ends <= NOW:
            return max(start, ends - timedelta(seconds=1))
    return NOW


def _busiest(data_file: Path) -> LinkedCustomer:
    """The linked customer with the most contracts (ties by Stripe id)."""
    linked = linked_customers(data_file)
    return max(linked.values(), key=lambda c: (len(c.contracts), c.stripe_customer_id))


async def _open_customers(app: MetroApp, pilot: object) -> CustomerTable:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("2")  # type: ignore[attr-defined]
    return app.query_one(CustomerTable)


async def _open_customer(app: MetroApp, pilot: Pilot[Any], stripe_customer_id: str) -> None:
    """Find the customer in the Customers filter and press Enter on it: its page opens."""
    await _open_customers(app, pilot)
    await filter_customers(pilot, stripe_customer_id)
    await pilot.press("enter", "enter")


async def _page_opened(app: MetroApp, pilot: object) -> CustomerDetailScreen:
    """The customer's page a key just opened, once its loads are done."""
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CustomerDetailScreen)
    return screen


async def test_customers_tab_lists_exactly_the_linked_customers(
    settings: Settings, data_file: Path
) -> None:
    linked = linked_customers(data_file)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_customers(app, pilot)
        assert table.total_count == len(linked)
        assert {row.stripe_customer_id for row in table.visible_rows} == set(linked)
        for row in table.visible_rows:
            assert (
                row.lifetime_billings_cents
                == linked[row.stripe_customer_id].lifetime_billings_cents
            )
        count = app.query_one("#customer-count", Label)
        assert str(count.render()) == f"{len(linked)} linked customers  ·  a: all Stripe customers"

        await pilot.press("a")
        assert table.total_count == stripe_customer_count(data_file)
        unlinked = [row for row in table.visible_rows if not row.linked]
        assert len(unlinked) == stripe_customer_count(data_file) - len(linked)
        assert all(row.lifetime_billings_cents is None for row in unlinked)
        await pilot.press("a")
        assert table.total_count == len(linked)


async def test_detail_shows_the_customers_billings_and_contracts(
    settings: Settings, data_file: Path
) -> None:
    known = _busiest(data_file)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_customers(app, pilot)
        # Down in the filter goes to the matches (Enter does too: `_open_customer`).
        await filter_customers(pilot, known.stripe_customer_id)
        await pilot.press("down")
        assert app.focused is table
        assert [row.stripe_customer_id for row in table.visible_rows] == [known.stripe_customer_id]
        await pilot.press("enter")
        screen = await _page_opened(app, pilot)
        assert screen.row.metronome_customer_id == known.metronome_customer_id
        assert screen.row.lifetime_billings_cents == known.lifetime_billings_cents
        metronome_panel = screen.query_one(IdentitiesPanel).metronome.plain
        assert format_cents(known.lifetime_billings_cents) in metronome_panel
        cards = _cards(screen)
        assert [card.summary.contract_id for card in cards] == [
            str(doc["id"]) for doc in known.contracts
        ]
        names = rate_card_names(data_file)
        assert [card.summary.display_name for card in cards] == [
            str(doc.get("name") or names[str(doc["rate_card_id"])]) for doc in known.contracts
        ]
        assert [card.summary.period_label for card in cards] == [
            _period(doc) for doc in known.contracts
        ]
        # A contract not running now is read on its first or last day: outside its period
        # the schedule is empty.
        schedules = [
            await app.connection.metronome.rate_schedule(
                known.metronome_customer_id, str(doc["id"]), _inside_period(doc)
            )
            for doc in known.contracts
        ]
        assert [card.products for card in cards] == [
            tuple(dict.fromkeys(rate.product_name for rate in rates if rate.entitled))
            for rates in schedules
        ]
        assert all(card.products for card in cards)

        await pilot.press("escape")
        assert not isinstance(app.screen, CustomerDetailScreen)
        assert table.current_row is not None
        assert table.current_row.stripe_customer_id == known.stripe_customer_id


async def test_dashboard_keys_open_the_customer(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = _busiest(data_file)
    app = make_app(settings, data_file)
    opened: list[str] = []
    monkeypatch.setattr(metro_tui.app, "browser_opens_a_window", lambda: True)
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("o", "d")
        await _open_customers(app, pilot)
        await filter_customers(pilot, known.stripe_customer_id)
        await pilot.press("enter", "s", "m")
        await pilot.press("enter", "s", "m")
    customer_pages = [
        f"https://dashboard.stripe.com/test/customers/{known.stripe_customer_id}",
        f"https://app.metronome.com/customers/{known.metronome_customer_id}",
    ]
    assert opened == [
        "https://app.metronome.com",
        "https://docs.metronome.com",
        *customer_pages,
        *customer_pages,
    ]


async def test_unlinked_customer_detail_offers_a_contract(
    settings: Settings, data_file: Path
) -> None:
    linked = linked_customers(data_file)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_customers(app, pilot)
        # Sorted by lifetime billings, the customers not in Metronome (no billings) come last.
        await pilot.press("a", "greater_than_sign", "end")
        row = table.current_row
        assert row is not None and row.stripe_customer_id not in linked
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        assert screen.query_one("#unlinked").display
        assert not screen.query_one("#contracts").display
        assert "Not in Metronome" in screen.query_one(IdentitiesPanel).metronome.plain


async def test_q_quits_from_the_main_screen(settings: Settings, data_file: Path) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_value is None


async def test_palette_jumps_to_a_customer_by_email(settings: Settings, data_file: Path) -> None:
    known = _busiest(data_file)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        row = app.store.row_for(known.stripe_customer_id)
        assert row is not None and row.email
        await pilot.press("ctrl+p")
        await type_burst(pilot, row.email)
        await app.workers.wait_for_complete()  # the palette gathers its hits in a worker
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        assert screen.row.stripe_customer_id == known.stripe_customer_id


async def test_settings_and_diagnostics_open_from_their_keys(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("comma")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await pilot.press("2", "w")
        assert isinstance(app.screen, DiagnosticsScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, DiagnosticsScreen)


@pytest.mark.parametrize(("key", "tab"), [("1", "overview"), ("slash", "customers")])
async def test_tab_keys_leave_the_broken_links_screen_for_their_tab(
    settings: Settings, data_file: Path, key: str, tab: str
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("2", "w")
        assert isinstance(app.screen, DiagnosticsScreen)
        await pilot.press(key)
        assert app.screen is app.screen_stack[0]
        assert app.query_one(TabbedContent).active == tab


async def test_switching_to_demo_data_relaunches_the_app(settings: Settings) -> None:
    # Connected as to a live account (the backend is only its stand-in), so the switch is offered.
    app = MetroApp(settings, open_connection(settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("comma")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.click("#switch-local")
        await pilot.pause()
    assert app.return_value is Relaunch.LOCAL_DEMO


def _card_lines(card: ContractCard) -> list[str]:
    return card.content().plain.splitlines()


def _cards(screen: Screen[object]) -> list[ContractCard]:
    return list(screen.query_one(ContractsPanel).cards)


async def test_products_say_loading_until_the_rate_schedule_answers(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract's own products never flash up before the rate schedule's (different) list."""
    known = _busiest(data_file)
    app = make_app(settings, data_file)
    answer, page_loaded = asyncio.Event(), asyncio.Event()
    rate_schedule_products = app.store.included_products
    load_page = app.store.load_customer_page

    async def answered_later(contract: Contract) -> tuple[str, ...]:
        await answer.wait()
        return await rate_schedule_products(contract)

    async def loaded(customer_id: str) -> CustomerPage:
        page = await load_page(customer_id)
        page_loaded.set()
        return page

    monkeypatch.setattr(app.store, "included_products", answered_later)
    # The cards are drawn once their terms are in: wait for the page's own response.
    monkeypatch.setattr(app.store, "load_customer_page", loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_customer(app, pilot, known.stripe_customer_id)
        await page_loaded.wait()
        await pilot.pause()
        assert isinstance(app.screen, CustomerDetailScreen)
        cards = _cards(app.screen)
        assert len(cards) == len(known.contracts)
        assert [card.products for card in cards] == [None] * len(cards)
        assert [_card_lines(card)[2] for card in cards] == ["Products: Loading products…"] * len(
            cards
        )

        answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = [
            await rate_schedule_products(contract) for contract in app.screen.detail.contracts
        ]
        assert [card.products for card in cards] == expected
        # The product line comes first; the contract's terms below it are the page's own tests'.
        assert [_card_lines(card)[2:3] for card in cards] == [
            [f"Products: {', '.join(products) or 'No products'}"] for products in expected
        ]

        # A redraw (after a refresh) updates the same cards, which keep the answers they
        # have while it asks again.
        answer.clear()
        app.screen.show(app.screen.detail)
        await pilot.pause()
        redrawn = _cards(app.screen)
        assert [a is b for a, b in zip(redrawn, cards, strict=True)] == [True] * len(cards)
        assert [card.products for card in redrawn] == expected
        assert [_card_lines(card)[2:3] for card in redrawn] == [
            [f"Products: {', '.join(products) or 'No products'}"] for products in expected
        ]
        answer.set()


async def test_the_products_of_every_contract_are_shown_together(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One layout of the page for every card's products, not one per contract: until the
    last rate schedule answers, no card shows the others' answers."""
    known = _busiest(data_file)
    assert len(known.contracts) > 1
    app = make_app(settings, data_file)
    rate_schedule_products = app.store.included_products
    asked: list[str] = []
    last_asked, last_released = asyncio.Event(), asyncio.Event()

    async def the_last_held(contract: Contract) -> tuple[str, ...]:
        asked.append(contract.id)
        if len(asked) == len(known.contracts):
            last_asked.set()
            await last_released.wait()
        return await rate_schedule_products(contract)

    monkeypatch.setattr(app.store, "included_products", the_last_held)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_customer(app, pilot, known.stripe_customer_id)
        await last_asked.wait()
        await pilot.pause()
        assert isinstance(app.screen, CustomerDetailScreen)
        cards = _cards(app.screen)
        assert [card.products for card in cards] == [None] * len(cards)

        last_released.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = [
            await rate_schedule_products(contract) for contract in app.screen.detail.contracts
        ]
        assert [card.products for card in cards] == expected


async def test_products_that_fit_the_line_they_replace_do_not_lay_the_page_out_again(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list of products takes the line "Loading products…" took: the cards are
    repainted where they are, and the page (every card, the invoices) is not laid out."""
    known = _busiest(data_file)
    app = make_app(settings, data_file)
    rate_schedule_products = app.store.included_products
    load_page = app.store.load_customer_page
    answer, page_loaded = asyncio.Event(), asyncio.Event()

    async def answered_later(contract: Contract) -> tuple[str, ...]:
        await answer.wait()
        return await rate_schedule_products(contract)

    async def loaded(customer_id: str) -> CustomerPage:
        page = await load_page(customer_id)
        page_loaded.set()
        return page

    monkeypatch.setattr(app.store, "included_products", answered_later)
    monkeypatch.setattr(app.store, "load_customer_page", loaded)
    async with app.run_test(size=(200, 60)) as pilot:
        await _open_customer(app, pilot, known.stripe_customer_id)
        await page_loaded.wait()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        cards = _cards(screen)
        panel = screen.query_one(ContractsPanel)
        heights = [panel.card_region(card).height for card in cards]
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append)

        answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = [await rate_schedule_products(contract) for contract in screen.detail.contracts]
        assert [_card_lines(card)[2] for card in cards] == [
            f"Products: {', '.join(products) or 'No products'}" for products in expected
        ]
        assert [panel.card_region(card).height for card in cards] == heights
        assert layouts == []


async def test_products_fall_back_to_the_contracts_own_list_and_say_so(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = _busiest(data_file)
    app = make_app(settings, data_file)

    async def failing(contract: Contract) -> tuple[str, ...]:
        raise BillingApiError("Metronome", "the request timed out")

    monkeypatch.setattr(app.store, "included_products", failing)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_customer(app, pilot, known.stripe_customer_id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CustomerDetailScreen)
        cards = _cards(app.screen)
        assert [_card_lines(card)[2:4] for card in cards] == [
            [
                f"Products: {', '.join(dict.fromkeys(contract.product_names)) or 'No products'}",
                "The contract's own products: its rate schedule could not be loaded "
                "(Metronome: the request timed out).",
            ]
            for contract in app.screen.detail.contracts
        ]


async def test_filter_keystrokes_recount_without_asking_for_a_layout(
    settings: Settings, data_file: Path
) -> None:
    """Each key typed in the filter redraws the table and the count where they are: neither
    asks for the screen to be laid out again (unless the table's scrollbar comes or goes)."""
    linked = len(linked_customers(data_file))
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _open_customers(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        count = app.query_one("#customer-count", Label)
        before = (count._layout_updates, table._layout_updates)
        await pilot.press(*"cus_")  # in every Stripe id: every row still matches
        await pilot.pause()
        assert str(count.render()) == (
            f"{linked} of {linked} linked customers match “cus_”  ·  a: all Stripe customers"
        )
        assert table.row_count == linked
        assert (count._layout_updates, table._layout_updates) == before

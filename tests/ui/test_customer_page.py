"""The customer page: every term, each balance and the invoices, read from the screen and
checked against the data file (SQL), not against the app's own code."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.seed.long_history import LongHistory, add_long_history_customer
from metro_tui.page_records import CustomerPage
from metro_tui.screens.customer_detail import STILL_LOADING, CustomerDetailScreen
from metro_tui.screens.invoice import InvoiceScreen
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.identities_panel import IdentitiesPanel
from metro_tui.widgets.invoice_table import InvoiceTable
from tests.conftest import TEST_TODAY
from tests.ui.conftest import make_app, open_customer_page
from tests.ui.keyboard import filter_customers
from tests.ui.page_facts import (
    ShowcasePage,
    day,
    last_day,
    money,
    recurring_commit_facts,
    showcase_page,
)
from tests.ui.screen_text import screen_lines, screen_strips, widget_lines
from tests.ui.seed_facts import linked_customers

TALL = (160, 220)
"""Wide and tall enough that the whole page is drawn, unwrapped, without scrolling."""


@asynccontextmanager
async def _showcase_open(
    settings: Settings, data_file: Path, size: tuple[int, int] = TALL
) -> AsyncIterator[tuple[MetroApp, Pilot[Any], ShowcasePage]]:
    """The app at `size`, with the showcase customer's page open."""
    page = showcase_page(data_file, TEST_TODAY)
    app = make_app(settings, data_file)
    async with app.run_test(size=size) as pilot:
        await open_customer_page(pilot, page.stripe_customer_id)
        yield app, pilot, page


def _has_line(lines: list[str], label: str, value: str) -> bool:
    """Whether a line holds `label`, then spaces, then exactly `value` to its end."""
    pattern = re.compile(rf"{re.escape(label)}\s+{re.escape(value)}\s*(│.*)?$")
    return any(pattern.search(line) for line in lines)


def _expected_terms(page: ShowcasePage) -> list[tuple[str, str]]:
    contract = page.contract
    schedule = contract["usage_statement_schedule"]
    assert schedule["frequency"] == "MONTHLY"
    send_on = (
        "the 1st of the month"
        if schedule["billing_anchor_date"][8:10] == "01"
        else "the contract start day"
    )
    terms = [
        ("Rate card", page.rate_card_name),
        ("Invoices", f"Monthly, sent on {send_on}"),
        ("Payment terms", f"Net {round(contract['net_payment_terms_days'])} days"),
    ]
    for override in contract["overrides"]:
        if override.get("type") != "MULTIPLIER":
            continue
        percent = round((1 - override["multiplier"]) * 100)
        tags = ", ".join(sorted(override["applicable_product_tags"]))
        span = f"{day(override['starting_at'])} – {last_day(override['ending_before'])}"
        terms.append(("Discount", f"{percent}% off tags {tags} · {span}"))
    for subscription in contract["subscriptions"]:
        rate = subscription["subscription_rate"]
        assert rate["billing_frequency"] == "MONTHLY"
        quantity = round(subscription["quantity_schedule"][0]["quantity"])
        terms.append(("Subscription", f"{rate['product']['name']} × {quantity}, billed monthly"))
    return terms


def _expected_grants(page: ShowcasePage) -> list[tuple[str, str, str]]:
    """(title, terms, balance) of each commit, then each credit."""
    grants = []
    for kind, grant in [
        *(("Prepaid commit", c) for c in page.contract["commits"]),
        *(("Credit", c) for c in page.contract["credits"]),
    ]:
        (segment,) = grant["access_schedule"]["schedule_items"]
        span = f"{day(segment['starting_at'])} – {last_day(segment['ending_before'])}"
        if kind == "Credit":
            paid = "free"
        else:
            paid_cents = sum(i["amount"] for i in grant["invoice_schedule"]["schedule_items"])
            paid = f"customer pays {money(paid_cents)}"
        left = page.balances[grant["id"]]
        ended = segment["ending_before"] <= f"{TEST_TODAY}T12:00:00.000Z"
        if ended:
            balance = "Expired"
        elif left == 0:
            balance = "Used up"
        else:
            balance = f"{money(left)} of {money(segment['amount'])} left"
        grants.append(
            (
                f"{grant['name']} ({kind}, product {grant['product']['name']})",
                f"{money(segment['amount'])} granted · {paid} · {span}",
                balance,
            )
        )
    return grants


async def test_the_page_shows_every_term_balance_and_the_newest_invoice(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file) as (app, _pilot, page):
        assert isinstance(app.screen, CustomerDetailScreen)
        lines = screen_lines(app)
        for label, value in _expected_terms(page):
            assert _has_line(lines, label, value), (label, value)
        grants = _expected_grants(page)
        # The seed makes one grant partly used, one used up and one expired.
        assert sorted(balance.split(" ")[-1] for *_, balance in grants) == [
            "Expired",
            "left",
            "up",
        ]
        for title, terms, balance in grants:
            assert any(line.strip("│ █").rstrip(" │") == title for line in lines), title
            assert _has_line(lines, "Terms", terms), terms
            assert _has_line(lines, "Balance", balance), balance
        newest = page.invoices[0]
        period = f"{day(newest['start_timestamp'])} – {last_day(newest['end_timestamp'])}"
        row = next(line for line in lines if period in line)
        status = newest["status"].capitalize()
        assert re.search(
            rf"{re.escape(period)}\s+{status}\s+{re.escape(money(newest['total']))}\s", row
        ), row
        assert f"Invoices ({len(page.invoices)})" in "\n".join(lines)


async def test_a_cards_words_are_selected_with_the_mouse_without_its_edge(
    settings: Settings, data_file: Path
) -> None:
    """Dragged from the first card's first word to the sixth cell of its second line, the
    selection copies those words as the screen shows them, and not the card's edge."""
    async with _showcase_open(settings, data_file) as (app, pilot, _page):
        panel = app.screen.query_one(ContractsPanel)
        first, second = widget_lines(app, panel)[:2]
        assert first.startswith("█ ") and second.startswith("█ ")

        # Pilot's offsets are from the panel's border; the cards start inside it.
        left, top = panel.content_region.offset - panel.region.offset
        await pilot.mouse_down(panel, offset=(left + 2, top))
        await pilot.hover(panel, offset=(left + 7, top + 1))
        await pilot.mouse_up(panel, offset=(left + 7, top + 1))
        await pilot.pause()

        # As with any text in Textual, the cell under the pointer is selected too.
        assert app.screen.get_selected_text() == f"{first[2:]}\n{second[2:8]}"
        # Drawn in the selection's colours: the words, not the edge before them.
        selection = app.screen.get_component_rich_style("screen--selection").bgcolor
        region = panel.content_region
        line = screen_strips(app)[region.y].crop(region.x, region.right)
        backgrounds = {
            segment.text: segment.style.bgcolor if segment.style else None
            for segment in line
            if segment.text.strip()
        }
        assert selection is not None
        assert backgrounds["█"] != selection
        assert [text for text, bgcolor in backgrounds.items() if bgcolor == selection] == [
            first[2:]
        ]


async def test_the_identities_words_are_selected_with_the_mouse_without_their_borders(
    settings: Settings, data_file: Path
) -> None:
    """Dragged from the Metronome panel's first word to the seventh cell of its second line,
    the selection copies those words as the screen shows them, not the border or padding."""
    async with _showcase_open(settings, data_file) as (app, pilot, _page):
        identities = app.screen.query_one(IdentitiesPanel)
        _stripe, metronome = identities.panel_regions()
        lines = widget_lines(app, identities)
        first, second = (
            line[metronome.x : metronome.right] for line in lines[metronome.y + 1 : metronome.y + 3]
        )
        assert first.startswith("│ ") and second.startswith("│ ")

        await pilot.mouse_down(identities, offset=(metronome.x + 2, metronome.y + 1))
        await pilot.hover(identities, offset=(metronome.x + 8, metronome.y + 2))
        await pilot.mouse_up(identities, offset=(metronome.x + 8, metronome.y + 2))
        await pilot.pause()

        # As with any text in Textual, the cell under the pointer is selected too.
        assert app.screen.get_selected_text() == f"{first[2:-2].rstrip()}\n{second[2:9]}"


async def test_a_recurring_commit_shows_what_is_left_of_this_periods_grant(
    settings: Settings, data_file: Path
) -> None:
    facts = recurring_commit_facts(data_file, TEST_TODAY)
    app = make_app(settings, data_file)
    async with app.run_test(size=TALL) as pilot:
        await open_customer_page(pilot, facts.stripe_customer_id)
        lines = screen_lines(app)
        titles = [line.strip("│ █").rstrip(" │") for line in lines]
        # One card for the recurring commit, none for each month's grant it created.
        assert (
            titles.count(f"{facts.name} (Recurring prepaid commit, product {facts.product_name})")
            == 1
        )
        assert not [t for t in titles if t.startswith(f"{facts.name} (Prepaid commit")]
        balance = f"{money(facts.left)} left of this period's {money(facts.period_amount)}"
        assert _has_line(lines, "Balance", balance), balance


async def test_enter_opens_the_invoice_with_its_line_items(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file) as (app, pilot, page):
        newest = page.invoices[0]
        await pilot.press("i", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InvoiceScreen)
        lines = screen_lines(app)
        assert _has_line(lines, "Total", money(newest["total"]))
        assert newest["status"] == "DRAFT"
        note = "Not counted in billings: only finalized invoices are."
        assert _has_line(lines, "Status", f"Draft  {note}")
        for item in newest["line_items"]:
            quantity = item["quantity"]
            shown = f"{quantity:,.0f}" if quantity == int(quantity) else f"{quantity:,}"
            amount = money(item["total"])
            pattern = rf"{re.escape(item['name'])}\s+{re.escape(shown)}\s+{re.escape(amount)}"
            assert any(re.search(pattern, line) for line in lines), pattern
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerDetailScreen)


async def test_a_click_moves_to_an_invoice_and_a_second_click_opens_it(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file) as (app, pilot, page):
        second = page.invoices[1]
        table = app.screen.query_one(InvoiceTable)
        await pilot.click(InvoiceTable, offset=(2, 0))  # the header: nothing to sort
        assert table.cursor_index == 0
        await pilot.click(InvoiceTable, offset=(2, 2))
        assert table.cursor_index == 1
        assert isinstance(app.screen, CustomerDetailScreen)
        await pilot.click(InvoiceTable, offset=(2, 2))
        await pilot.pause()
        assert isinstance(app.screen, InvoiceScreen)
        assert _has_line(screen_lines(app), "Total", money(second["total"]))


def _hold_customer_pages(app: MetroApp, monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Customer pages load only once the returned event is set."""
    answer = asyncio.Event()
    load_page = app.store.load_customer_page

    async def answered_later(customer_id: str) -> CustomerPage:
        await answer.wait()
        return await load_page(customer_id)

    monkeypatch.setattr(app.store, "load_customer_page", answered_later)
    return answer


@dataclass(frozen=True)
class HeldPage:
    """The showcase customer's page, opened while its own response is held back."""

    pilot: Pilot[None]
    screen: CustomerDetailScreen
    page: ShowcasePage
    released: asyncio.Event

    async def answer(self) -> None:
        """Let the page's response arrive, and wait until it is drawn."""
        self.released.set()
        await self.pilot.app.workers.wait_for_complete()
        await self.pilot.pause()


@pytest.fixture
async def held(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[HeldPage]:
    page = showcase_page(data_file, TEST_TODAY)
    app = make_app(settings, data_file)
    released = _hold_customer_pages(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await filter_customers(pilot, page.stripe_customer_id)
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        yield HeldPage(pilot, screen, page, released)


async def test_i_before_the_invoices_arrive_says_so_then_moves_to_them(held: HeldPage) -> None:
    screen = held.screen
    await held.pilot.press("i")
    await held.pilot.pause()
    assert [str(n.message) for n in held.pilot.app._notifications] == [STILL_LOADING]
    assert STILL_LOADING == (
        "Invoices are still loading: the cursor moves to them when they arrive."
    )
    assert screen.focused is screen.query_one("#page")

    await held.answer()
    table = screen.query_one(InvoiceTable)
    assert screen.focused is table
    assert table.invoice_at_cursor is not None
    assert table.invoice_at_cursor.id == held.page.invoices[0]["id"]


async def test_the_contracts_say_loading_until_their_terms_arrive_then_show_every_card(
    held: HeldPage,
) -> None:
    """The cards are mounted with their terms: until the page's own response, one line."""
    app, screen = held.pilot.app, held.screen
    panel = screen.query_one(ContractsPanel)
    assert widget_lines(app, panel) == ["Loading contracts…"]
    assert panel.cards == ()

    await held.answer()
    cards = panel.cards
    assert [card.summary.contract_id for card in cards] == [
        contract.id for contract in screen.detail.contracts
    ]
    assert all(card.terms is not None for card in cards)
    assert "Loading contracts…" not in widget_lines(app, panel)


async def test_a_customer_without_contracts_shows_its_buttons_and_says_so(
    settings: Settings, data_file: Path
) -> None:
    """The buttons are drawn a frame after the page, before its cards: with no cards to
    draw they are shown all the same."""
    customer = next(c for c in linked_customers(data_file).values() if not c.contracts)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer_page(pilot, customer.stripe_customer_id)
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        assert screen.query_one("#actions").display
        assert [str(button.label) for button in screen.query(Button)] == [
            "Create contract (n)",
            "Open in Stripe (s)",
            "Open in Metronome (m)",
        ]
        assert widget_lines(app, screen.query_one(ContractsPanel)) == [
            "No contracts yet. Press n to create one."
        ]


async def test_an_early_i_is_dropped_once_the_user_moves_elsewhere(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = showcase_page(data_file, TEST_TODAY)
    app = make_app(settings, data_file)
    answer = _hold_customer_pages(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await filter_customers(pilot, page.stripe_customer_id)
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        await pilot.press("i", "tab")
        await pilot.pause()
        moved_to = screen.focused
        assert moved_to is not screen.query_one("#page")
        answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.focused is moved_to


async def test_at_80_columns_only_the_contract_name_is_cut_and_says_so(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file, (80, 24)) as (app, pilot, page):
        contract_name = page.contract["name"]
        await pilot.press("i")
        await pilot.pause()
        table = app.screen.query_one(InvoiceTable)
        region = table.scrollable_content_region  # the rows, without the scrollbar
        drawn = screen_lines(app)[region.y : region.bottom]
        header, *rows = (line[region.x : region.right].rstrip() for line in drawn)
        assert re.fullmatch(r"Billing period\s+Status\s+Total\s+Contract", header.strip())
        assert len(rows) >= 3
        for line, invoice in zip(rows, page.invoices, strict=False):
            period = f"{day(invoice['start_timestamp'])} – {last_day(invoice['end_timestamp'])}"
            status = invoice["status"].capitalize()
            total = money(invoice["total"])
            match = re.fullmatch(
                rf"\s*{re.escape(period)}\s+{status}\s+{re.escape(total)}\s+(\S.*?)\s*", line
            )
            assert match is not None, line
            shown = match.group(1)
            assert len(shown) < len(contract_name)  # 80 columns are too few for the whole name
            assert shown.endswith("…"), shown
            assert contract_name.startswith(shown[:-1]), shown


@pytest.fixture
def long_history(data_file: Path) -> LongHistory:
    """The seeded file with a customer of 10 contracts and 200 invoices added."""
    return add_long_history_customer(data_file, TEST_TODAY)


def _invoice_row(invoice: dict[str, Any]) -> str:
    period = f"{day(invoice['start_timestamp'])} – {last_day(invoice['end_timestamp'])}"
    status = invoice["status"].capitalize()
    return rf"{re.escape(period)}\s+{status}\s+{re.escape(money(invoice['total']))}\s"


async def test_a_customer_with_200_invoices_shows_them_all_newest_to_oldest(
    long_history: LongHistory, settings: Settings, data_file: Path
) -> None:
    with sqlite3.connect(data_file) as conn:
        docs = [
            json.loads(doc)
            for (doc,) in conn.execute(
                "SELECT doc FROM invoices WHERE customer_id = ?",
                (long_history.metronome_customer_id,),
            )
        ]
    docs.sort(key=lambda invoice: invoice["end_timestamp"])
    oldest, newest = docs[0], docs[-1]
    assert len(docs) == 200
    assert (oldest["status"], newest["status"]) == ("FINALIZED", "DRAFT")
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer_page(pilot, long_history.stripe_customer_id)
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        assert len(screen.query_one(ContractsPanel).cards) == 10
        assert screen.query_one("#contracts").border_title == "Contracts (10)"
        await pilot.press("i")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Invoices (200)" in text
        table = screen.query_one(InvoiceTable)
        assert table.row_count == 200
        assert re.search(_invoice_row(newest), text)
        assert not re.search(_invoice_row(oldest), text)
        await pilot.press("G")
        await pilot.pause()
        assert table.invoice_at_cursor is not None
        assert table.invoice_at_cursor.id == oldest["id"]
        assert re.search(_invoice_row(oldest), "\n".join(screen_lines(app)))


async def test_moving_the_cursor_brings_the_table_back_into_view(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file, (80, 24)) as (app, pilot, page):
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        table, scroller = screen.query_one(InvoiceTable), screen.query_one("#page")
        scroller.scroll_home(animate=False, immediate=True)  # as the mouse wheel would
        await pilot.pause()
        assert not scroller.region.contains_region(table.region)
        await pilot.press("j")
        await pilot.pause()
        assert scroller.region.contains_region(table.region)
        assert table.invoice_at_cursor is not None
        assert table.invoice_at_cursor.id == page.invoices[1]["id"]


async def test_a_refresh_updates_the_contract_cards_in_place(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file) as (app, pilot, page):
        screen = app.screen
        cards = screen.query_one(ContractsPanel).cards
        before = screen_lines(app)
        published = app.store.account
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store.account is not published  # a new account was published
        after = screen.query_one(ContractsPanel).cards
        assert [a is b for a, b in zip(cards, after, strict=True)] == [True] * len(cards)
        assert screen_lines(app) == before
        for label, value in _expected_terms(page):
            assert _has_line(screen_lines(app), label, value), (label, value)


async def test_a_narrow_screen_stacks_the_identities_so_every_id_is_on_one_line(
    settings: Settings, data_file: Path
) -> None:
    async with _showcase_open(settings, data_file) as (app, pilot, page):
        identities = app.screen.query_one(IdentitiesPanel)
        stripe, metronome = identities.panel_regions()
        assert stripe.y == metronome.y  # side by side at 120 columns
        assert _has_line(screen_lines(app), "Customer ID", page.metronome_customer_id)

        await pilot.resize_terminal(80, 24)
        await pilot.pause()

        stripe, metronome = identities.panel_regions()
        assert metronome.y >= stripe.bottom  # one above the other
        assert _has_line(screen_lines(app), "Customer ID", page.metronome_customer_id)

        await pilot.resize_terminal(120, 40)
        await pilot.pause()

        stripe, metronome = identities.panel_regions()
        assert stripe.y == metronome.y

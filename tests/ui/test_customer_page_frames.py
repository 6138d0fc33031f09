"""What each frame of the customer page draws while it opens: the costly parts of the page
(laying out and drawing its cards, the footer's keys, the invoices) come a frame apart, so no
single step of the event loop holds them all. Counted by hooks on the frames drawn, never
timed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.console import RenderableType
from textual.app import App
from textual.geometry import Region, Size
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button

from metro_tui.config import Settings
from metro_tui.local.seed.long_history import LongHistory, add_long_history_customer
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.widgets.contract_card import ContractCard
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.invoice_table import InvoiceTable
from metro_tui.widgets.key_footer import KeyFooter
from tests.conftest import TEST_TODAY
from tests.ui.conftest import make_app, open_customer_page
from tests.ui.screen_text import widget_lines

SIZE = (120, 40)
CONTRACTS = 10


@dataclass(frozen=True)
class PageFrame:
    """One frame of the customer page: what it showed, and how many cards the panel held."""

    keys_shown: int
    buttons_shown: int
    cards_shown: int
    """Cards drawn in the page's view (at least one of their lines)."""
    cards_in_panel: int
    cards_with_terms: int
    """Cards in the panel that show their terms (not "Loading terms and balances…")."""
    cards_reach_the_bottom: bool
    """Whether the panel's cards reach the bottom of the page's view (or past it)."""
    contracts_loading: bool
    """Whether the contracts panel says "Loading contracts…"."""
    invoice_rows: int
    """Invoice rows in the table, 0 while it is hidden."""


class PageFrames:
    """Records every frame drawn of the customer page."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.frames: list[PageFrame] = []
        display = App._display

        def recorded(
            app: App[object], screen: Screen[object], renderable: RenderableType | None
        ) -> None:
            if renderable is not None and isinstance(screen, CustomerDetailScreen):
                self.frames.append(_frame_of(screen))
            display(app, screen, renderable)

        monkeypatch.setattr(App, "_display", recorded)

    def first(self, what: str) -> int:
        """The index of the first frame that shows `what` ("keys", "buttons" or "cards")."""
        return next(i for i, f in enumerate(self.frames) if getattr(f, f"{what}_shown"))


def _frame_of(screen: CustomerDetailScreen) -> PageFrame:
    shown = screen._compositor.visible_widgets
    panel = screen.query_one(ContractsPanel)
    cards = panel.cards
    page = screen.query_one("#page")
    table = screen.query_one(InvoiceTable)
    footer = screen.query_one(KeyFooter)
    on_screen = [_card_on_screen(panel, card) for card in cards] if panel in shown else []
    return PageFrame(
        keys_shown=len(footer.keys) if footer in shown else 0,
        buttons_shown=sum(isinstance(widget, Button) for widget in shown),
        cards_shown=sum(region.overlaps(page.region) for region in on_screen),
        cards_in_panel=len(cards),
        cards_with_terms=sum(card.terms is not None for card in cards),
        cards_reach_the_bottom=bool(on_screen) and on_screen[-1].bottom >= page.region.bottom,
        contracts_loading=panel.loading_contracts,
        invoice_rows=table.row_count if table.display else 0,
    )


def _card_on_screen(panel: ContractsPanel, card: ContractCard) -> Region:
    """Where the panel draws `card` on the screen (as the page is scrolled now)."""
    return panel.card_region(card).translate(panel.content_region.offset)


@pytest.fixture
def long_history(data_file: Path) -> LongHistory:
    """A customer with 10 contracts and 200 invoices, added to the seeded file."""
    return add_long_history_customer(data_file, TEST_TODAY)


@pytest.fixture
async def opening_frames(
    long_history: LongHistory, settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> PageFrames:
    """Every frame of the 10-contract customer's page, from opening it to all of it loaded."""
    frames = PageFrames(monkeypatch)
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_customer_page(pilot, long_history.stripe_customer_id)
        assert len(app.screen.query_one(ContractsPanel).cards) == CONTRACTS
    return frames


async def test_the_footers_keys_are_drawn_a_frame_before_the_contract_cards(
    opening_frames: PageFrames,
) -> None:
    frames = opening_frames
    keys, cards = frames.first("keys"), frames.first("cards")
    assert keys < cards
    assert frames.frames[keys].cards_in_panel == 0


async def test_the_buttons_are_drawn_after_the_first_frame_and_before_the_cards(
    opening_frames: PageFrames,
) -> None:
    """The page's three buttons are left out of the frame that first shows it (its longest),
    and drawn in a frame of their own between the footer's keys and the cards."""
    frames = opening_frames
    keys, buttons, cards = frames.first("keys"), frames.first("buttons"), frames.first("cards")
    assert 0 < keys < buttons < cards
    assert frames.frames[buttons].cards_in_panel == 0
    assert [f.buttons_shown for f in frames.frames[buttons:]] == [3] * (
        len(frames.frames) - buttons
    )


async def test_the_cards_are_drawn_together_once_their_terms_are_in(
    opening_frames: PageFrames,
) -> None:
    """Drawn at their final height, the cards lay the page out and are drawn once, rather
    than in a frame of their own and again, every one taller, when the terms arrive; the
    contracts panel says it is loading until then."""
    frames = opening_frames.frames
    first = opening_frames.first("cards")
    assert [f.cards_in_panel for f in frames] == [0] * first + [CONTRACTS] * (len(frames) - first)
    assert [f.cards_with_terms for f in frames[first:]] == [CONTRACTS] * (len(frames) - first)
    assert [f.contracts_loading for f in frames] == [True] * first + [False] * (len(frames) - first)
    assert frames[first].cards_reach_the_bottom  # the screen is full of cards from its first frame


async def test_the_invoices_are_drawn_a_frame_after_the_cards(
    opening_frames: PageFrames,
) -> None:
    """No frame both lays out the cards and the 200-row invoice table: the cards are drawn
    with their terms first, and the invoices in a later frame."""
    frames = opening_frames.frames
    cards = opening_frames.first("cards")
    invoices = next(i for i, f in enumerate(frames) if f.invoice_rows)
    assert cards < invoices
    assert frames[invoices].invoice_rows == 200
    assert (frames[invoices - 1].cards_in_panel, frames[invoices - 1].cards_with_terms) == (
        CONTRACTS,
        CONTRACTS,
    )


async def test_a_newly_shown_page_is_styled_and_laid_out_for_its_size_once(
    long_history: LongHistory,
    settings: Settings,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual styles a screen again when it is shown, and lays it out again on the Resize
    its first layout sends it: the page was styled when mounted, and its size is the same."""
    restyled: list[CustomerDetailScreen] = []
    sized: list[Size] = []
    restyle = CustomerDetailScreen.update_node_styles
    relayout = CustomerDetailScreen._refresh_layout

    def counted_restyle(screen: CustomerDetailScreen, animate: bool = True) -> None:
        restyled.append(screen)
        restyle(screen, animate)

    def counted_layout(
        screen: CustomerDetailScreen, size: Size | None = None, scroll: bool = False
    ) -> None:
        if size is not None:  # laid out for a given size, not for a change inside it
            sized.append(size)
        relayout(screen, size, scroll)

    monkeypatch.setattr(CustomerDetailScreen, "update_node_styles", counted_restyle)
    monkeypatch.setattr(CustomerDetailScreen, "_refresh_layout", counted_layout)
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_customer_page(pilot, long_history.stripe_customer_id)
        assert (restyled, sized) == ([], [Size(*SIZE)])
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert sized[-1] == Size(80, 24)  # a new size is laid out, as ever


class DrawnLineByLine:
    """Records the widgets whose own lines Textual draws one by one (`render_line`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.widgets: list[Widget] = []
        draw = Widget.render_line

        def recorded(widget: Widget, y: int) -> Strip:
            self.widgets.append(widget)
            return draw(widget, y)

        monkeypatch.setattr(Widget, "render_line", recorded)

    def ids(self) -> set[str | None]:
        return {widget.id for widget in self.widgets}


async def drawn_line_by_line_once_open(
    long_history: LongHistory,
    settings: Settings,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[bool, bool, set[str | None]]:
    """Whether the screen and the scrolling page were drawn line by line while the long
    history's page opened, and the ids of the widgets that were."""
    drawn = DrawnLineByLine(monkeypatch)
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_customer_page(pilot, long_history.stripe_customer_id)
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        return screen in drawn.widgets, screen.query_one("#page") in drawn.widgets, drawn.ids()


async def test_the_page_and_the_screen_behind_it_are_drawn_as_their_background(
    long_history: LongHistory,
    settings: Settings,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Their panels cover them: their own lines are blank strips, not drawn line by line in
    every frame that the page grows."""
    screen_drawn, page_drawn, ids = await drawn_line_by_line_once_open(
        long_history, settings, data_file, monkeypatch
    )
    assert (screen_drawn, page_drawn) == (False, False)
    assert {"contracts", "invoices-panel"} <= ids  # the panels are drawn as ever


async def test_under_a_colour_filter_the_page_is_drawn_as_textual_draws_it(
    long_history: LongHistory,
    settings: Settings,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blank strips skip the app's line filters: with `NO_COLOR` the page's background must be
    filtered like everything else, so it is drawn line by line."""
    monkeypatch.setenv("NO_COLOR", "1")
    screen_drawn, page_drawn, _ids = await drawn_line_by_line_once_open(
        long_history, settings, data_file, monkeypatch
    )
    assert (screen_drawn, page_drawn) == (True, True)


@asynccontextmanager
async def _long_page_open(
    settings: Settings, data_file: Path, customer: LongHistory
) -> AsyncIterator[tuple[Pilot[Any], CustomerDetailScreen, ContractsPanel]]:
    """The page of the customer with ten contracts, open at `SIZE`."""
    app = make_app(settings, data_file)
    async with app.run_test(size=SIZE) as pilot:
        await open_customer_page(pilot, customer.stripe_customer_id)
        screen = app.screen
        assert isinstance(screen, CustomerDetailScreen)
        yield pilot, screen, screen.query_one(ContractsPanel)


async def test_the_contracts_panel_draws_only_the_cards_in_view(
    long_history: LongHistory,
    settings: Settings,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ten cards are one widget drawn line by line: the cards below the screen are never
    drawn while the page opens, and each card in view is drawn once for its text."""
    drawn: list[tuple[ContractCard, str]] = []
    draw = ContractsPanel._draw_card

    def recorded(panel: ContractsPanel, card: ContractCard, width: int, top: int) -> list[Strip]:
        drawn.append((card, card.content().plain))
        return draw(panel, card, width, top)

    monkeypatch.setattr(ContractsPanel, "_draw_card", recorded)
    async with _long_page_open(settings, data_file, long_history) as (_pilot, screen, panel):
        page = screen.query_one("#page")
        in_view = [c for c in panel.cards if _card_on_screen(panel, c).overlaps(page.region)]
        assert 0 < len(in_view) < CONTRACTS
        assert {card for card, _ in drawn} == set(in_view)
        assert len(drawn) == len(set(drawn))  # no card drawn twice with the same text


async def test_a_card_that_keeps_its_height_repaints_only_its_own_lines(
    long_history: LongHistory,
    settings: Settings,
    data_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """New text in as many lines (products in place of others): the page is not laid out
    again, and the panel draws that card's lines again, no other line."""
    lines: list[int] = []
    render_line = ContractsPanel.render_line

    def recorded(panel: ContractsPanel, y: int) -> Strip:
        lines.append(y)
        return render_line(panel, y)

    async with _long_page_open(settings, data_file, long_history) as (pilot, screen, panel):
        card = panel.cards[1]
        region = panel.card_region(card)
        assert card.products is not None
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append)
        monkeypatch.setattr(ContractsPanel, "render_line", recorded)

        card.show_products([product.upper() for product in card.products])
        await pilot.pause()
        assert layouts == []
        assert sorted(lines) == list(range(region.y, region.bottom))
        assert panel.card_region(card) == region
        drawn = widget_lines(pilot.app, panel)[region.y : region.bottom]
        assert f"Products: {', '.join(card.products)}" in " ".join(line[2:] for line in drawn)
        assert card.products[0].isupper()


async def test_a_card_that_grows_moves_the_cards_below_it(
    long_history: LongHistory, settings: Settings, data_file: Path
) -> None:
    """New text in more lines: the page is laid out again, and the cards below move down."""
    async with _long_page_open(settings, data_file, long_history) as (pilot, screen, panel):
        first, second = panel.cards[0], panel.cards[1]
        before = (panel.card_region(first), panel.card_region(second), panel.size.height)
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append)

        more = [f"Product {n:02}" for n in range(40)]  # 40 x 12 cells: 5 lines of 111
        first.show_products(more)
        await pilot.pause()
        grown = panel.card_region(first)
        assert grown.height == before[0].height + 3  # its products took 2 lines, now 5
        assert panel.card_region(second) == before[1].translate((0, 3))
        assert panel.size.height == before[2] + 3
        assert len(layouts) >= 1
        drawn = widget_lines(pilot.app, panel)[grown.y : grown.bottom]
        assert f"Products: {', '.join(more)}" in " ".join(line[2:] for line in drawn)

"""What each frame of the customer page draws while it opens: the costly parts of the page
(laying out and drawing its cards, the footer's keys) come a frame apart, so no single step
of the event loop holds them all. Counted by hooks on the frames drawn, never timed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import RenderableType
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from metro_tui.config import Settings
from metro_tui.local.seed.long_history import LongHistory, add_long_history_customer
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.widgets.contract_card import ContractCard
from tests.conftest import TEST_TODAY
from tests.ui.conftest import make_app, open_customer_page

SIZE = (120, 40)
CONTRACTS = 10


@dataclass(frozen=True)
class PageFrame:
    """One frame of the customer page: what it showed, and how many cards were mounted."""

    keys_shown: int
    cards_shown: int
    cards_mounted: int
    cards_reach_the_bottom: bool
    """Whether the cards mounted reach the bottom of the page's view (or past it)."""


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
        """The index of the first frame that shows `what` ("keys" or "cards")."""
        return next(i for i, f in enumerate(self.frames) if getattr(f, f"{what}_shown"))


def _frame_of(screen: CustomerDetailScreen) -> PageFrame:
    shown = screen._compositor.visible_widgets
    cards = list(screen.query(ContractCard))
    page = screen.query_one("#page")
    return PageFrame(
        keys_shown=sum(isinstance(widget, FooterKey) for widget in shown),
        cards_shown=sum(isinstance(widget, ContractCard) for widget in shown),
        cards_mounted=len(cards),
        cards_reach_the_bottom=bool(cards) and cards[-1].region.bottom >= page.region.bottom,
    )


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
        assert len(app.screen.query(ContractCard)) == CONTRACTS
    return frames


async def test_the_footers_keys_are_drawn_a_frame_before_the_contract_cards(
    opening_frames: PageFrames,
) -> None:
    frames = opening_frames
    keys, cards = frames.first("keys"), frames.first("cards")
    assert keys < cards
    assert frames.frames[keys].cards_mounted == 0


async def test_the_cards_below_the_screen_are_mounted_after_the_frame_that_draws_the_first(
    opening_frames: PageFrames,
) -> None:
    frames = opening_frames
    first = frames.frames[frames.first("cards")]
    assert 0 < first.cards_mounted < CONTRACTS
    assert first.cards_reach_the_bottom  # the screen is full of cards from its first frame
    counts = [f.cards_mounted for f in frames.frames]
    assert sorted(set(counts)) == [0, first.cards_mounted, CONTRACTS]
    assert counts == sorted(counts)  # mounted once, in order, never removed
    assert frames.frames[-1].cards_mounted == CONTRACTS


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

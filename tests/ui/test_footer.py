"""The footer: on every screen and width, whole keys in priority order, `?` and `q` always."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import TabbedContent

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.key_footer import KeyFooter
from tests.ui.conftest import make_app
from tests.ui.screen_text import screen_lines, screen_strips

SCREEN_KEYS = {
    "overview": (),
    "customers": ("2",),
    "detail": ("2", "enter"),
    "diagnostics": ("2", "w"),
}
CUSTOMERS = ["enter", "s", "m", "n", "a", "w", "slash", "r", "1", "2", "comma"]
DETAIL = ["escape", "n", "s", "m", "v", "i", "slash", "r", "1", "2", "comma"]
DIAGNOSTICS = ["m", "s", "escape", "slash", "r", "1", "2", "comma"]
OVERVIEW = ["slash", "r", "1", "2", "comma"]
PINNED = ["question_mark", "q"]
SHOWN: dict[tuple[str, int], int | list[str]] = {
    # How many of the screen's keys fit before `? Keys` and `q Quit` at each width, or which.
    ("overview", 80): 4,
    ("overview", 120): 5,
    ("overview", 200): 5,
    ("customers", 80): 4,
    ("customers", 120): 7,
    ("customers", 200): 11,
    # The page's buttons show `n`, `s` and `m`: a narrow footer drops them first.
    ("detail", 80): ["escape", "v", "i"],
    ("detail", 120): 7,
    ("detail", 200): 11,
    ("diagnostics", 80): 4,
    ("diagnostics", 120): 8,
    ("diagnostics", 200): 8,
}
ORDER = {
    "overview": OVERVIEW,
    "customers": CUSTOMERS,
    "detail": DETAIL,
    "diagnostics": DIAGNOSTICS,
}
HEIGHT = {80: 24, 120: 40, 200: 60}


def expected(screen: str, width: int) -> list[str]:
    """The keys the footer should show, `?` and `q` included."""
    shown = SHOWN[screen, width]
    keys = shown if isinstance(shown, list) else ORDER[screen][:shown]
    return [*keys, *PINNED]


async def footer_keys(app: MetroApp, pilot: Pilot[Any]) -> list[str]:
    """The keys the footer shows, left to right, after checking each is drawn whole on the
    screen and clear of the palette key drawn on the right."""
    footer = app.screen.query_one(KeyFooter)
    # The footer chooses its keys after the screen's next refresh when its bindings or its
    # width change; choosing them here, and waiting for the frame, keeps the check off that
    # race.
    footer.show_keys()
    await pilot.pause()
    line = screen_lines(app)[footer.region.y]
    *shown, (palette_x, palette_end, palette) = footer.key_spans()
    assert palette is footer.palette_key
    assert (palette_end, line[palette_x:]) == (footer.size.width, "▏^p palette ")
    for start, end, key in shown:
        text = line[start:end]
        assert text == f" {key.key_display} {key.description} ", text
        assert end <= palette_x, f"{text!r} runs under the palette key"
    return [key.key for _, _, key in shown]


async def _settle(app: MetroApp, pilot: Pilot[Any]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _show_customers(app: MetroApp, pilot: Pilot[Any]) -> None:
    await _settle(app, pilot)
    await pilot.press("2")
    await _settle(app, pilot)


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_every_screen_shows_whole_keys_in_priority_order(
    settings: Settings, data_file: Path, width: int
) -> None:
    app = make_app(settings, data_file)
    shown = {}
    async with app.run_test(size=(width, HEIGHT[width])) as pilot:
        await _settle(app, pilot)
        for screen, keys in SCREEN_KEYS.items():
            await pilot.press(*keys)
            await _settle(app, pilot)
            shown[screen] = await footer_keys(app, pilot)
            await pilot.press("1")
    assert shown == {screen: expected(screen, width) for screen in SCREEN_KEYS}


async def test_the_footer_refits_when_the_terminal_is_resized(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_customers(app, pilot)
        await pilot.resize_terminal(80, 24)
        await _settle(app, pilot)
        assert await footer_keys(app, pilot) == expected("customers", 80)
        await pilot.resize_terminal(200, 60)
        await _settle(app, pilot)
        assert await footer_keys(app, pilot) == expected("customers", 200)


async def test_the_footer_is_drawn_again_only_when_its_keys_change(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_customers(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        before = footer.render_line(0)
        footer.show_keys()  # as after every focus change, with the same keys
        await pilot.pause()
        assert footer.render_line(0) is before
        await pilot.resize_terminal(80, 24)
        await _settle(app, pilot)
        assert await footer_keys(app, pilot) == expected("customers", 80)
        assert footer.render_line(0) is not before


def key_styles(app: MetroApp, footer: KeyFooter) -> list[Style]:
    """The style of each cell of the footer's line on the screen."""
    strip = screen_strips(app)[footer.region.y]
    return [style or Style() for text, style, _ in strip for _ in text]


async def test_the_key_under_the_pointer_is_highlighted_with_its_tooltip(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_customers(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        plain = key_styles(app, footer)
        (start, end, sort), (next_start, _, _) = footer.key_spans()[1:3]
        assert sort.key == "s"
        await pilot.hover(KeyFooter, offset=(start + 1, 0))
        await pilot.pause()
        hovered = key_styles(app, footer)
        changed = [x for x, (a, b) in enumerate(zip(plain, hovered, strict=True)) if a != b]
        assert changed == list(range(start, end))
        assert {style.bgcolor for style in hovered[start:end]} != {plain[start].bgcolor}
        assert footer.tooltip == sort.tooltip
        await pilot.hover(KeyFooter, offset=(next_start, 0))
        await pilot.pause()
        assert key_styles(app, footer)[start:end] == plain[start:end]
        await pilot.hover(CustomerTable)
        await pilot.pause()
        assert (key_styles(app, footer), footer.tooltip) == (plain, None)


async def test_a_click_on_a_key_presses_it(settings: Settings, data_file: Path) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        start = next(start for start, _, key in footer.key_spans() if key.key == "2")
        await pilot.click(KeyFooter, offset=(start + 1, 0))
        await _settle(app, pilot)
        assert app.query_one(TabbedContent).active == "customers"


class Counter(Screen[None]):
    """A screen with a key that can be used and one that cannot yet."""

    BINDINGS = [
        Binding("a", "add", "Add one", tooltip="Add one to the count"),
        Binding("x", "undo", "Undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "undo" else True  # shown, dimmed: nothing to undo

    def action_add(self) -> None:
        self.count += 1


class CounterApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Counter())


async def test_a_key_that_cannot_be_used_is_dimmed_and_its_click_rings_the_bell() -> None:
    app = CounterApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Counter)
        footer = screen.query_one(KeyFooter)
        footer.show_keys()
        await pilot.pause()
        spans = {key.key: (start, end) for start, end, key in footer.key_spans()}
        styles = key_styles(app, footer)
        # Dimmed: each part's colour, the key and its description, fades into the background.
        usable = [styles[spans["a"][0] + 1], styles[spans["a"][1] - 2]]
        dimmed = [styles[spans["x"][0] + 1], styles[spans["x"][1] - 2]]
        assert [style.bgcolor for style in dimmed] == [style.bgcolor for style in usable]
        assert [d.color == u.color for d, u in zip(dimmed, usable, strict=True)] == [False] * 2
        rung: list[None] = []
        app.bell = lambda: rung.append(None)  # type: ignore[method-assign]
        await pilot.click(KeyFooter, offset=(spans["x"][0], 0))
        await pilot.click(KeyFooter, offset=(spans["a"][1] - 1, 0))
        await pilot.pause()
        assert (len(rung), screen.count) == (1, 1)

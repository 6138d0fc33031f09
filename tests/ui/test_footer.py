"""The footer: on every screen and width, whole keys in priority order, `?` and `q` always."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.widgets.key_footer import KeyFooter
from tests.ui.conftest import make_app

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
    """The keys the footer shows, left to right, after checking each is whole and clear of
    the palette key docked on the right."""
    footer = app.screen.query_one(KeyFooter)
    # The footer recomposes after the screen's next refresh when its bindings or its width
    # change; recomposing it here, and waiting for the layout, keeps the check off that race.
    await footer.recompose()
    await pilot.pause()
    keys = list(footer.query(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    assert len(palette) == 1
    shown = [key for key in keys if not key.has_class("-command-palette")]
    for key in shown:
        text = str(key.render())
        assert key.region.width == len(text), text
        assert key.region.right <= palette[0].region.x, f"{text!r} runs under the palette key"
    assert palette[0].region.right <= footer.region.right
    return [key.key for key in shown]


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


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_customers(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        before = list(footer.query(FooterKey))
        await footer.recompose()  # as after every focus change, with the same keys
        await pilot.pause()
        after = list(footer.query(FooterKey))
        assert [a is b for a, b in zip(before, after, strict=True)] == [True] * len(before)
        await pilot.resize_terminal(80, 24)
        await _settle(app, pilot)
        assert await footer_keys(app, pilot) == expected("customers", 80)
        assert [key in before for key in footer.query(FooterKey)] == [False] * (
            len(expected("customers", 80)) + 1
        )


async def test_a_key_works_out_its_text_once_until_its_look_changes(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual asks a key for its text to measure it and again to draw it: worked out once,
    and again when its styles change (the pointer over it)."""
    worked_out: list[FooterKey] = []
    text_of = FooterKey.render

    def counted(key: FooterKey) -> Text:
        worked_out.append(key)
        return text_of(key)

    monkeypatch.setattr(FooterKey, "render", counted)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await _show_customers(app, pilot)
        keys = list(app.screen.query_one(KeyFooter).query(FooterKey))
        assert [worked_out.count(key) for key in keys] == [1] * len(keys)
        plain = keys[0].render()
        await pilot.hover(keys[0])
        await pilot.pause()
        hovered = keys[0].render()
        assert worked_out.count(keys[0]) == 2
        assert (hovered.plain, hovered.spans == plain.spans) == (plain.plain, False)

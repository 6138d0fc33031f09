"""The filter box: typed like Textual's Input, without laying out the screen on each key."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from metro_tui.widgets.filter_input import FilterInput

TYPED = "cus_0123456789abcdefghijklmnopqrstuvwxyz"
"""Longer than the boxes are wide: they must scroll to keep the cursor in view."""


class BoxesApp(App[None]):
    CSS = "Input { width: 24; }"

    def compose(self) -> ComposeResult:
        yield Input(id="plain")
        yield FilterInput(id="filter")


async def test_keys_typed_in_the_filter_box_lay_out_nothing() -> None:
    app = BoxesApp()
    async with app.run_test(size=(80, 10)) as pilot:
        box = app.query_one(FilterInput)
        box.focus()
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(app.screen, layouts.append)
        await pilot.press(*"acme")
        await pilot.pause()
        assert box.value == "acme"
        assert "acme" in box.render_line(0).text
        assert layouts == []


async def test_the_filter_box_scrolls_and_draws_as_textuals_input_does() -> None:
    app = BoxesApp()
    async with app.run_test(size=(80, 10)) as pilot:
        plain, box = app.query_one("#plain", Input), app.query_one(FilterInput)
        lines: dict[str, list[str]] = {}
        for field in (plain, box):
            field.focus()
            await pilot.press(*TYPED, "left", "left")
            await pilot.pause()
            assert field.value == TYPED
            lines[field.id or ""] = [field.render_line(0).text]
        assert box.scroll_offset == plain.scroll_offset
        assert box.scroll_offset.x > 0
        assert lines["filter"] == lines["plain"]
        assert "xyz" in lines["filter"][0]
        for field in (plain, box):
            field.focus()
            await pilot.press("home")
            await pilot.pause()
        assert box.scroll_offset.x == plain.scroll_offset.x == 0

"""A plain box's lines finished without Textual's styles cache are the lines Textual gives, and
any box Textual draws something around or over is not plain."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from metro_tui.widgets.plain_lines import finished_lines, is_plain_box

LINE_WIDTH = 30


class Lines(Widget):
    """Draws each line as a numbered run of text, narrower than the widget, in two styles."""

    def render_line(self, y: int) -> Strip:
        return Strip(
            [
                Segment(f"line {y:<5}", Style(color="red", bold=True)),
                Segment("x" * (LINE_WIDTH - 10), Style(color="green")),
            ],
            LINE_WIDTH,
        )


class LinesApp(App[None]):
    def __init__(self, css: str) -> None:
        self.CSS = f"Lines {{ height: 6; {css} }}"
        super().__init__()

    def compose(self) -> ComposeResult:
        yield Lines()


def textual_lines(widget: Widget, crop: Region) -> list[Strip]:
    """What Textual's own `render_lines` gives, drawn afresh."""
    widget.refresh()
    return Widget.render_lines(widget, crop)


def as_segments(strips: list[Strip]) -> list[tuple[list[Segment], int]]:
    return [(list(strip), strip.cell_length) for strip in strips]


# Boxes whose lines Textual draws as they are, fitted and filtered.
PLAIN = (
    "",
    "background: $surface; background-tint: $foreground 5%;",
    "background: red 40%;",
    "overflow-y: scroll;",
)
# Boxes Textual draws something around or over.
DRAWN_AROUND_OR_OVER = (
    *("border: solid red;", "padding: 0 1;", "outline: solid red;", "tint: red 10%;"),
    *("opacity: 0.5;", "text-opacity: 0.5;", "hatch: cross red;"),
)


@pytest.mark.parametrize("css", PLAIN)
async def test_a_plain_box_finishes_its_lines_as_textual_does(css: str) -> None:
    app = LinesApp(css)
    async with app.run_test(size=(50, 10)):
        widget = app.query_one(Lines)
        assert is_plain_box(widget)
        for crop in (Region(0, 0, 50, 6), Region(0, 2, 50, 3), Region(5, 1, 20, 4)):
            assert as_segments(finished_lines(widget, crop, widget.render_line)) == as_segments(
                textual_lines(widget, crop)
            )


@pytest.mark.parametrize("css", DRAWN_AROUND_OR_OVER)
async def test_a_box_textual_draws_around_or_over_is_not_plain(css: str) -> None:
    app = LinesApp(css)
    async with app.run_test(size=(50, 10)):
        assert not is_plain_box(app.query_one(Lines))


async def test_a_line_drawn_before_comes_back_finished_as_the_same_strip() -> None:
    app = LinesApp("")
    async with app.run_test(size=(50, 10)):
        widget = app.query_one(Lines)
        kept = [widget.render_line(y) for y in range(6)]
        crop = Region(0, 0, 50, 6)
        first = finished_lines(widget, crop, kept.__getitem__)
        again = finished_lines(widget, crop, kept.__getitem__)
        assert all(a is b for a, b in zip(first, again, strict=True))

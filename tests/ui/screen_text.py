"""What a widget shows on screen, as plain text lines, for asserting exact wording."""

from __future__ import annotations

from textual.app import App
from textual.strip import Strip
from textual.widget import Widget


def screen_strips(app: App[object]) -> list[Strip]:
    """Every line of the screen as drawn now, with its styles."""
    return app.screen._compositor.render_strips()


def screen_lines(app: App[object]) -> list[str]:
    """Every line of the screen as drawn now, trailing spaces kept."""
    return [strip.text for strip in screen_strips(app)]


def widget_lines(app: App[object], widget: Widget) -> list[str]:
    """The lines inside `widget`'s border and padding, trailing spaces dropped."""
    region = widget.content_region
    lines = screen_lines(app)[region.y : region.bottom]
    return [line[region.x : region.right].rstrip() for line in lines]

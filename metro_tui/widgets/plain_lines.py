"""A widget's lines finished as Textual finishes them, for a plain box: no border, padding,
outline, tint, hatch or opacity. Each line is then only fitted to the widget's width and passed
through the app's line filters, and both steps go through the strip's own caches.

Textual's styles cache wraps every line of a refreshed widget in a new strip and filters that
one again, frame after frame, even when the line drawn is the very strip of the frame before.
At 100,000 customers a filter keystroke whose screen of rows is all new spent more of its
frame there (about 8 ms for 48 lines at load 2) than drawing the rows themselves; a line kept
from an earlier frame now comes back fitted, filtered, and cut by the compositor, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget


def is_plain_box(widget: Widget) -> bool:
    """True when Textual would draw nothing around or over the widget's lines: each is its
    content line as wide as the widget, then filtered (see `finished_lines`)."""
    styles = widget.styles
    return (
        widget.region.size == widget.content_region.size  # no border, no padding
        and not any(edge for edge, _ in styles.outline)
        and not styles.tint.a
        and widget.opacity == 1.0
        and styles.text_opacity == 1.0
        and not (styles.has_rule("hatch") and styles.hatch != "none")
    )


def finished_lines(
    widget: Widget, crop: Region, render_line: Callable[[int], Strip]
) -> list[Strip]:
    """The lines of `crop` as `Widget.render_lines` gives them for a plain box (see
    `is_plain_box`): `render_line`'s strips fitted to the width in the widget's background,
    through the app's line filters, cropped to `crop`'s columns."""
    width = widget.region.width
    base_background, background = widget.background_colors
    fill = Style(background=base_background + background).rich_style
    filters = widget.get_line_filters()
    strips: list[Strip] = []
    for y in crop.line_range:
        strip = render_line(y).adjust_cell_length(width, fill)
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        strips.append(strip)
    if crop.column_span != (0, width):
        x1, x2 = crop.column_span
        strips = [strip.crop(x1, x2) for strip in strips]
    return strips

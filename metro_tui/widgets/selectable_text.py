"""A line-drawn widget's text, drawn so the mouse can select it as it selects a Static's.

Textual finds what a drag selects from the offsets each cell carries, and draws the selection
in the screen's selection style only where a widget draws it. A widget that draws its own
lines around its text (an edge, a border, padding) gives offsets to the text's cells alone, so
a selection copies the words and never the frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.style import Style as RichStyle
from textual.strip import Strip
from textual.widget import Widget


def selectable_lines(
    widget: Widget, lines: Iterable[Strip], first_line: int, width: int, background: RichStyle
) -> Iterator[Strip]:
    """Each of `widget`'s text lines, the `first_line`-th of its text first, padded to
    `width`: each cell carrying its place in the text, the part under the mouse selection in
    the screen's selection style."""
    selection = widget.text_selection
    chosen = widget.screen.get_component_rich_style("screen--selection") if selection else None
    for y, line in enumerate(lines, start=first_line):
        if selection is not None and chosen is not None:
            line = _in_style(line, selection.get_span(y), chosen)
        yield line.apply_offsets(0, y).adjust_cell_length(width, background)


def _in_style(line: Strip, span: tuple[int, int] | None, style: RichStyle) -> Strip:
    """`line` with the part `span` covers (to its end if -1) in `style`."""
    if span is None:
        return line
    start, end = span
    end = line.cell_length if end == -1 else min(end, line.cell_length)
    if start >= end:
        return line
    before, chosen, after = line.divide([start, end, line.cell_length])
    return Strip.join([before, chosen.apply_style(style), after])

"""Drawing table lines as Strips: the customer table's, given a layout and resolved styles,
and the cells every line-drawn table is made of."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from metro_tui.customer_columns import Column, CustomerColumn
from metro_tui.figures import CustomerRow
from metro_tui.widgets.table_layout import CELL_PADDING, PlacedColumn, TableLayout, fit_text

SORT_MARKS = {False: "▲", True: "▼"}
"""The sorted column's header mark, by `descending`."""


def header_label(placed: PlacedColumn, sort_column: CustomerColumn, descending: bool) -> str:
    """The label, then the sort mark or a blank as wide, so the mark is always on the right of
    its own label (never beside the next column's) and sorting moves no label."""
    mark = SORT_MARKS[descending] if placed.column.key == sort_column else " "
    return f"{placed.column.title} {mark}"


def header_strip(
    layout: TableLayout, sort_column: CustomerColumn, descending: bool, style: Style
) -> Strip:
    segments = [
        _cell(placed, header_label(placed, sort_column, descending), style)
        for placed in layout.columns
    ]
    return Strip(segments, layout.width)


def row_strip(
    row: CustomerRow, layout: TableLayout, cell_style: Callable[[Column], Style]
) -> Strip:
    """The row's cells, those side by side in one style as one segment: Textual's own work on
    every line drawn (its filters, crops and cuts) goes segment by segment."""
    segments: list[Segment] = []
    run_text = ""
    run_style: Style | None = None
    for placed in layout.columns:
        column = placed.column
        text = _cell_text(placed, column.text(row))
        style = cell_style(column)
        if style is run_style:  # the same style is the same object (`RowLook.cell_style`)
            run_text += text
            continue
        if run_text:
            segments.append(Segment(run_text, run_style))
        run_text, run_style = text, style
    if run_text:
        segments.append(Segment(run_text, run_style))
    return Strip(segments, layout.width)


def centred_strip(text: str, width: int, style: Style, background: Style) -> Strip:
    """`text` centred in `width` cells (cut short with "…" if it does not fit)."""
    fitted = fit_text(text, width).rstrip()
    left = (width - cell_len(fitted)) // 2
    return Strip([Segment(" " * left, background), Segment(fitted, style)]).extend_cell_length(
        width, background
    )


def cell_segment(text: str, width: int, style: Style, *, right_aligned: bool = False) -> Segment:
    """One cell: `text` fitted to `width` cells (cut short with "…"), padded on both sides."""
    return Segment(_padded(fit_text(text, width, right_aligned=right_aligned)), style)


def _padded(fitted: str) -> str:
    padding = " " * CELL_PADDING
    return padding + fitted + padding


def _cell_text(placed: PlacedColumn, text: str) -> str:
    return _padded(fit_text(text, placed.width, right_aligned=placed.column.right_aligned))


def _cell(placed: PlacedColumn, text: str, style: Style) -> Segment:
    return Segment(_cell_text(placed, text), style)

"""How the customer table's columns share the width, and fitting a cell's text to its column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from rich.cells import cell_len, set_cell_size

from metro_tui.customer_columns import COLUMNS, Column, CustomerColumn
from metro_tui.figures import CustomerRow

CELL_PADDING = 1
"""Blank cells on each side of every cell's text."""
SORT_MARK_WIDTH = 2
"""Room kept beside every header label for its sort mark (" ▲"), so sorting moves nothing."""
ELLIPSIS = "…"
COLUMN_ORDER: tuple[CustomerColumn, ...] = tuple(column.key for column in COLUMNS)
DROP_ORDER: tuple[CustomerColumn, ...] = tuple(
    column.key
    for column in sorted(
        (column for column in COLUMNS if column.dropped is not None), key=attrgetter("dropped")
    )
)
"""Columns given up, first to last, when the widget is too narrow for all of them."""


@dataclass(frozen=True, slots=True)
class PlacedColumn:
    """A column at its place in one layout: `x` is where its cell (padding included) starts."""

    column: Column
    x: int
    width: int
    """Width of the text, padding excluded."""

    @property
    def cell_width(self) -> int:
        return self.width + 2 * CELL_PADDING


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The columns shown at one widget width, left to right."""

    columns: tuple[PlacedColumn, ...]
    width: int
    """Every column's cell side by side: a row's line is this wide."""

    def column_at(self, x: int) -> CustomerColumn | None:
        for placed in self.columns:
            if placed.x <= x < placed.x + placed.cell_width:
                return placed.column.key
        return None


def data_widths(
    rows: Sequence[CustomerRow], *, at_least: dict[CustomerColumn, int] | None = None
) -> dict[CustomerColumn, int]:
    """Widths the data needs in the columns whose cells can grow (ids and money).

    Each is the width of the widest cell, so the widths of all rows are the widest of their
    slices': pass the widths so far as `at_least` to measure the rows a slice at a time.
    """
    so_far = at_least or {}
    return {
        column.key: max(column.data_width(rows), so_far.get(column.key, 0))
        for column in COLUMNS
        if column.data_width is not None
    }


def layout_columns(available: int, widths: dict[CustomerColumn, int]) -> TableLayout:
    """Fit the columns into `available` cells, giving up columns in `DROP_ORDER` if needed.

    When even the narrowest layout does not fit, it is returned at its minimum widths and
    the table scrolls sideways.
    """
    shown = list(COLUMNS)
    candidates = [tuple(shown)]
    for dropped in DROP_ORDER:
        shown = [column for column in shown if column.key != dropped]
        candidates.append(tuple(shown))
    for columns in candidates:
        fitted = _fit(columns, available, widths)
        if fitted is not None:
            return _place(columns, fitted)
    narrowest = candidates[-1]
    return _place(narrowest, [_min_width(column, widths) for column in narrowest])


def _min_width(column: Column, widths: dict[CustomerColumn, int]) -> int:
    return max(column.min_width, widths.get(column.key, 0), len(column.title) + SORT_MARK_WIDTH)


def _fit(
    columns: Sequence[Column], available: int, widths: dict[CustomerColumn, int]
) -> list[int] | None:
    """Text widths filling `available` exactly, or None if the minimums do not fit."""
    minimums = [_min_width(column, widths) for column in columns]
    spare = available - sum(minimums) - 2 * CELL_PADDING * len(columns)
    flexible = [i for i, column in enumerate(columns) if column.flexible]
    if spare < 0 or not flexible:
        return None
    fitted = list(minimums)
    share, remainder = divmod(spare, len(flexible))
    for i in flexible:
        fitted[i] += share
    fitted[flexible[0]] += remainder
    return fitted


def _place(columns: Sequence[Column], widths: Sequence[int]) -> TableLayout:
    placed: list[PlacedColumn] = []
    x = 0
    for column, width in zip(columns, widths, strict=True):
        placed.append(PlacedColumn(column, x, width))
        x += width + 2 * CELL_PADDING
    return TableLayout(tuple(placed), width=x)


def neighbour_column(
    current: CustomerColumn, shown: Sequence[CustomerColumn], step: int
) -> CustomerColumn | None:
    """The shown column `step` (+1 right, -1 left) from `current`; None past either end.

    The walk is over every column, so a sort column hidden by a resize still has neighbours.
    """
    index = COLUMN_ORDER.index(current) + step
    while 0 <= index < len(COLUMN_ORDER):
        if COLUMN_ORDER[index] in shown:
            return COLUMN_ORDER[index]
        index += step
    return None


def fit_text(text: str, width: int, *, right_aligned: bool = False) -> str:
    """`text` padded to exactly `width` cells, cut short with "…" when it is too long."""
    # Printable ASCII is one cell a character: measured and cut without Rich's tables, as
    # every cell of every row's line drawn is.
    plain = text.isascii() and text.isprintable()
    length = len(text) if plain else cell_len(text)
    if length > width:
        if width <= 0:
            return ""
        return (text[: width - 1] if plain else set_cell_size(text, width - 1)) + ELLIPSIS
    padding = " " * (width - length)
    return padding + text if right_aligned else text + padding

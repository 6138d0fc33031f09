"""The customer table's columns: what each cell says and how the columns share the width."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter

from rich.cells import cell_len, set_cell_size

from metro_tui.services.money import format_cents
from metro_tui.services.provisioning import NOT_IN_METRONOME, provision_status_text
from metro_tui.view_models import CustomerRow

CELL_PADDING = 1
"""Blank cells on each side of every cell's text."""
SORT_MARK_WIDTH = 2
"""Room kept beside every header label for its sort mark (" ▲"), so sorting moves nothing."""
ELLIPSIS = "…"
COULD_NOT_LOAD = "Could not load"
LOADING = "Loading…"


class CustomerColumn(StrEnum):
    """The key of each column, as `CustomerTable.sort_by` takes it."""

    NAME = "name"
    EMAIL = "email"
    STRIPE_ID = "stripe_id"
    DATE_CREATED = "date_created"
    LIFETIME_BILLINGS = "lifetime_billings"
    PROVISION_STATUS = "provision_status"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: a flexible one shares the spare width, a fixed one fits its widest cell."""

    key: CustomerColumn
    label: str
    min_width: int
    flexible: bool = False
    right_aligned: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(CustomerColumn.NAME, "Name", 10, flexible=True),
    Column(CustomerColumn.EMAIL, "Email", 16, flexible=True),
    Column(CustomerColumn.STRIPE_ID, "Stripe ID", len("cus_") + 14),
    Column(CustomerColumn.DATE_CREATED, "Date created", len("YYYY-MM-DD")),
    Column(CustomerColumn.LIFETIME_BILLINGS, "Lifetime billings", 0, right_aligned=True),
    Column(CustomerColumn.PROVISION_STATUS, "Provision status", len("Recently Ended")),
)
COLUMN_ORDER: tuple[CustomerColumn, ...] = tuple(column.key for column in COLUMNS)
DROP_ORDER: tuple[CustomerColumn, ...] = (CustomerColumn.EMAIL, CustomerColumn.DATE_CREATED)
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

    @property
    def width(self) -> int:
        return sum(placed.cell_width for placed in self.columns)

    def column_at(self, x: int) -> CustomerColumn | None:
        for placed in self.columns:
            if placed.x <= x < placed.x + placed.cell_width:
                return placed.column.key
        return None


def data_widths(rows: Sequence[CustomerRow]) -> dict[CustomerColumn, int]:
    """Widths the data needs in the columns whose cells can grow: ids and money.

    Only the extremes are formatted, so this stays O(n) over plain values.
    """
    id_width = max(map(len, map(attrgetter("stripe_customer_id"), rows)), default=0)
    amounts = [
        row.lifetime_billings_cents for row in rows if row.lifetime_billings_cents is not None
    ]
    # A linked row without an amount says why in words; an unlinked one is blank.
    failed = any(row.billings_error is not None for row in rows)
    money_width = len(COULD_NOT_LOAD) if failed else 0
    if amounts:
        money_width = max(money_width, *(len(format_cents(f(amounts))) for f in (min, max)))
    return {CustomerColumn.STRIPE_ID: id_width, CustomerColumn.LIFETIME_BILLINGS: money_width}


def layout_columns(available: int, widths: dict[CustomerColumn, int]) -> TableLayout:
    """Fit the columns into `available` cells, dropping Email, then Date created, if needed.

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
    return max(column.min_width, widths.get(column.key, 0), len(column.label) + SORT_MARK_WIDTH)


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
    return TableLayout(tuple(placed))


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


def cell_text(row: CustomerRow, key: CustomerColumn) -> str:
    """The text of one cell, before fitting it to the column."""
    match key:
        case CustomerColumn.NAME:
            return row.name
        case CustomerColumn.EMAIL:
            return row.email
        case CustomerColumn.STRIPE_ID:
            return row.stripe_customer_id
        case CustomerColumn.DATE_CREATED:
            return row.date_created.strftime("%Y-%m-%d")
        case CustomerColumn.LIFETIME_BILLINGS:
            cents = row.lifetime_billings_cents
            if cents is not None:
                return format_cents(cents)
            if row.billings_loading:
                return LOADING
            return COULD_NOT_LOAD if row.billings_error is not None else ""
        case CustomerColumn.PROVISION_STATUS:
            if row.status_loading:
                return LOADING
            if row.status_error is not None:
                return COULD_NOT_LOAD
            if not row.linked:
                return NOT_IN_METRONOME
            return provision_status_text(row.provision_status)


def failed_to_load(row: CustomerRow, key: CustomerColumn) -> bool:
    """Whether this cell says "Could not load" (and so is shown in the error colour)."""
    match key:
        case CustomerColumn.LIFETIME_BILLINGS:
            return row.billings_error is not None
        case CustomerColumn.PROVISION_STATUS:
            return row.status_error is not None
        case _:
            return False


def fit_text(text: str, width: int, *, right_aligned: bool = False) -> str:
    """`text` padded to exactly `width` cells, cut short with "…" when it is too long."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + ELLIPSIS if width > 0 else ""
    padding = " " * (width - length)
    return padding + text if right_aligned else text + padding

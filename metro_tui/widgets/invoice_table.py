"""The customer's invoices, newest first: billing period, status, total, contract.

Drawn line by line (the Line API), like the customer table: only the rows in view are ever
rendered, so a customer with hundreds of invoices costs one pass over plain strings to show.
The period, status and total are as wide as their widest value and never cut; the contract
name takes the rest of the width and ends in "…" when it does not fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from metro_tui.page_records import PageInvoice
from metro_tui.services.contract_terms import billing_period_text, status_word
from metro_tui.services.money import format_cents
from metro_tui.widgets.row_cursor_table import (
    HEADER_HEIGHT,
    ROW_CURSOR_BINDINGS,
    RowCursorTable,
)
from metro_tui.widgets.table_layout import CELL_PADDING
from metro_tui.widgets.table_lines import cell_segment

COLUMNS = ("Billing period", "Status", "Total", "Contract")
RIGHT_ALIGNED = (False, False, True, False)
MIN_CONTRACT_WIDTH = 8
"""The contract column never gets narrower; below that the table scrolls sideways."""
NOT_BILLED_CLASSES = {"DRAFT": "invoice-table--draft", "VOID": "invoice-table--void"}
"""Drafts may still change and voids were cancelled: neither counts in billings."""


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """An invoice's cells as drawn, worked out once when the invoices are shown."""

    invoice: PageInvoice
    cells: tuple[str, str, str, str]


def column_widths(lines: Sequence[InvoiceLine], available: int) -> tuple[int, ...]:
    """Text widths of the four columns in `available` cells: each as wide as its widest
    cell or title, except the contract's, which takes what is left (at least
    `MIN_CONTRACT_WIDTH`) and no more than its widest name."""
    rows = [COLUMNS, *(line.cells for line in lines)]
    widest = [max(cell_len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    fixed = widest[:-1]
    left = available - sum(fixed) - 2 * CELL_PADDING * len(COLUMNS)
    contract = max(MIN_CONTRACT_WIDTH, min(widest[-1], left))
    return (*fixed, contract)


class InvoiceTable(RowCursorTable, can_focus=True):
    """Invoice rows with a fixed header and a row cursor; Enter posts `InvoiceTable.Chosen`.

    It is at most half the terminal high and scrolls its own rows, so the page around it
    stays where it is while the cursor moves.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *NOT_BILLED_CLASSES.values(),
    }
    DEFAULT_CSS = """
    InvoiceTable {
        height: auto;
        max-height: 50vh;
        overflow-x: auto;
        & > .invoice-table--draft { text-style: italic dim; }
        & > .invoice-table--void { text-style: strike dim; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *ROW_CURSOR_BINDINGS,
        Binding(
            "enter",
            "select_cursor",
            "Open",
            show=False,
            tooltip="Open the invoice under the cursor, with its line items",
            id="invoice_table.select",
        ),
    ]

    class Chosen(Message):
        """The user asked to open `invoice`."""

        def __init__(self, table: InvoiceTable, invoice: PageInvoice) -> None:
            super().__init__()
            self.table = table
            self.invoice = invoice

        @property
        def control(self) -> InvoiceTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: tuple[InvoiceLine, ...] = ()
        self._widths: tuple[int, ...] = column_widths((), 0)

    @property
    def row_count(self) -> int:
        return len(self._lines)

    @property
    def invoice_at_cursor(self) -> PageInvoice | None:
        return self._lines[self._cursor].invoice if self._lines else None

    def show(self, invoices: Sequence[PageInvoice], contract_names: Mapping[str, str]) -> None:
        """Show `invoices` in their order, keeping the cursor on the same invoice if it is there."""
        chosen = self.invoice_at_cursor
        self._lines = tuple(
            InvoiceLine(
                invoice,
                (
                    billing_period_text(invoice),
                    status_word(invoice.status),
                    format_cents(invoice.total_cents),
                    contract_names.get(invoice.contract_id or "", "—"),
                ),
            )
            for invoice in invoices
        )
        ids = [line.invoice.id for line in self._lines]
        kept = ids.index(chosen.id) if chosen is not None and chosen.id in ids else self._cursor
        self._relayout()
        self._set_cursor(kept)

    def _relayout(self) -> None:
        self._widths = column_widths(self._lines, self.scrollable_content_region.width)
        width = sum(self._widths) + 2 * CELL_PADDING * len(self._widths)
        self.virtual_size = Size(width, len(self._lines) + HEADER_HEIGHT)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self._set_cursor(self._cursor)

    def on_focus(self) -> None:
        # The table scrolls its own rows inside a scrolling page: in focus, it is shown
        # whole (it is at most half the terminal), so the row under the cursor is in view.
        self.scroll_visible(top=True, animate=False)

    def _cursor_moved(self) -> None:
        if self.has_focus:
            # The page may have scrolled the table partly out of view (a resize, the mouse).
            self.scroll_visible(animate=False)

    def action_select_cursor(self) -> None:
        invoice = self.invoice_at_cursor
        if invoice is not None:
            self.post_message(self.Chosen(self, invoice))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        if y < HEADER_HEIGHT:
            cells: Sequence[str] = COLUMNS
            style = base + self.get_component_rich_style("row-table--header")
        else:
            index = y - HEADER_HEIGHT + scroll_y
            if index >= self.row_count:
                return Strip.blank(width, base)
            cells, style = self._lines[index].cells, self._row_style(index, base)
        segments = [
            cell_segment(text, width, style, right_aligned=right)
            for text, width, right in zip(cells, self._widths, RIGHT_ALIGNED, strict=True)
        ]
        # The row's colours run to the right edge, past the last column.
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, style)

    def _row_style(self, index: int, base: Style) -> Style:
        component = self.get_component_rich_style
        style = base + component("row-table--zebra") if index % 2 == 0 else base
        not_billed = NOT_BILLED_CLASSES.get(self._lines[index].invoice.status)
        if not_billed is not None:
            style += component(not_billed, partial=True)
        if index == self._cursor:
            style += component("row-table--cursor")
        return style

"""The customer's invoices, newest first: billing period, status, total, contract."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable

from metro_tui.page_records import PageInvoice
from metro_tui.services.contract_terms import billing_period_text, counts_as_billed, status_word
from metro_tui.services.money import format_cents
from metro_tui.widgets.list_keys import ListActions, list_bindings

COLUMNS = ("Billing period", "Status", "Total", "Contract")
NOT_BILLED_STYLE = {"DRAFT": "italic dim", "VOID": "strike dim"}
"""Drafts may still change and voids were cancelled: neither counts in billings."""


class InvoiceTable(DataTable[Text]):
    """Invoice rows; Enter on one posts `InvoiceTable.Chosen`.

    The built-in table is fine here: a customer has hundreds of invoices, not thousands, and
    it draws only the rows in view. It is at most half the terminal high and scrolls its own
    rows, so the page around it stays where it is while the cursor moves.
    """

    DEFAULT_CSS = """
    InvoiceTable { height: auto; max-height: 50vh; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *list_bindings(
            ListActions(
                up="cursor_up",
                down="cursor_down",
                page_up="page_up",
                page_down="page_down",
                first="scroll_top",
                last="scroll_bottom",
            )
        )
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
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._invoices: dict[str, PageInvoice] = {}

    def on_mount(self) -> None:
        self.add_column(COLUMNS[0], key="period")
        self.add_column(COLUMNS[1], key="status")
        self.add_column(COLUMNS[2], key="total")
        self.add_column(COLUMNS[3], key="contract")

    def on_focus(self) -> None:
        # The table scrolls its own rows inside a scrolling page: in focus, it is shown
        # whole (it is at most half the terminal), so the row under the cursor is in view.
        self.scroll_visible(top=True, animate=False)

    def show(self, invoices: Sequence[PageInvoice], contract_names: Mapping[str, str]) -> None:
        """Show `invoices` in their order, keeping the cursor on the same invoice if it is there."""
        chosen = self._cursor_invoice()
        self.clear()
        self._invoices = {invoice.id: invoice for invoice in invoices}
        for invoice in invoices:
            style = "" if counts_as_billed(invoice) else NOT_BILLED_STYLE.get(invoice.status, "dim")
            contract = contract_names.get(invoice.contract_id or "", "—")
            self.add_row(
                Text(billing_period_text(invoice), style=style),
                Text(status_word(invoice.status), style=style),
                Text(format_cents(invoice.total_cents), style=style, justify="right"),
                Text(contract, style=style),
                key=invoice.id,
            )
        if chosen is not None and chosen in self._invoices:
            self.move_cursor(row=self.get_row_index(chosen))

    @property
    def invoice_at_cursor(self) -> PageInvoice | None:
        key = self._cursor_invoice()
        return None if key is None else self._invoices.get(key)

    def _cursor_invoice(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        invoice = self._invoices.get(event.row_key.value or "")
        if invoice is not None:
            self.post_message(self.Chosen(self, invoice))

"""One invoice: its billing period, status, total and contract, and its line items (`Esc` back)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from metro_tui.page_records import PageInvoice
from metro_tui.services.contract_terms import (
    billing_period_text,
    counts_as_billed,
    quantity_text,
    status_word,
)
from metro_tui.services.money import format_cents
from metro_tui.widgets.contract_card import labelled
from metro_tui.widgets.key_footer import KeyFooter

NOT_BILLED_NOTE = "Not counted in billings: only finalized invoices are."


class InvoiceScreen(Screen[None]):
    """An invoice of the customer page, with a row per line item."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="invoice.back")]
    DEFAULT_CSS = """
    InvoiceScreen #invoice-summary {
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        height: auto;
    }
    InvoiceScreen #line-items { height: 1fr; }
    """

    def __init__(self, invoice: PageInvoice, customer: str, contract: str) -> None:
        super().__init__()
        self.invoice = invoice
        self.customer = customer
        self.contract = contract

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="invoice-summary")
        yield DataTable[Text](id="line-items", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        invoice = self.invoice
        self.title = "Invoice"
        self.sub_title = self.customer
        status: str | Content = status_word(invoice.status)
        if not counts_as_billed(invoice):
            status = Content.assemble(status, ("  " + NOT_BILLED_NOTE, "$warning"))
        summary = self.query_one("#invoice-summary", Static)
        summary.border_title = "Invoice"
        summary.update(
            labelled(
                [
                    ("Billing period", billing_period_text(invoice)),
                    ("Status", status),
                    ("Total", format_cents(invoice.total_cents)),
                    ("Contract", self.contract),
                    ("Invoice ID", invoice.id),
                ]
            )
        )
        table: DataTable[Text] = self.query_one("#line-items", DataTable)
        table.add_column("Product", key="product")
        table.add_column("Quantity", key="quantity")
        table.add_column("Amount", key="amount")
        for line in invoice.line_items:
            table.add_row(
                Text(line.name),
                Text(quantity_text(line.quantity), justify="right"),
                Text(format_cents(line.total_cents), justify="right"),
            )
        table.border_title = f"Line items ({len(invoice.line_items)})"
        table.focus()

"""The Customers tab: linked customers (or every Stripe customer), filterable as you type."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from metro_tui.figures import CustomerRow
from metro_tui.first_paint import FirstPaint
from metro_tui.screens.account_feed import (
    follow_account,
    follow_first_paint,
    follow_load_failure,
)
from metro_tui.screens.messages import (
    ContractRequested,
    CustomerDetailRequested,
    CustomerLinkRequested,
    CustomersOnScreen,
)
from metro_tui.widgets.customer_table import CustomerTable
from metro_tui.widgets.filter_input import FilterInput


class CustomersPane(Vertical):
    """The customer table with a filter box (`/`) and the per-customer actions."""

    BINDINGS = [
        Binding(
            "s",
            "open_stripe",
            "Stripe",
            tooltip="Open the customer in the Stripe Dashboard",
            id="customers.stripe",
        ),
        Binding(
            "m",
            "open_metronome",
            "Metronome",
            tooltip="Open the customer in the Metronome app",
            id="customers.metronome",
        ),
        Binding(
            "n",
            "create_contract",
            "New contract",
            tooltip="Create a contract for the customer",
            id="customers.contract",
        ),
        Binding(
            "a",
            "toggle_all",
            "All customers",
            tooltip="Show every Stripe customer, or only the linked ones",
            id="customers.all",
        ),
        Binding(
            "w",
            "app.diagnostics",
            "Why missing?",
            tooltip="Why is a customer missing? Broken links between Stripe and Metronome",
            id="customers.diagnostics",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="Clear the filter",
            id="customers.clear",
        ),
        # Typing a filter, the way to the matches below it; the table's own keys move in it.
        Binding(
            "down",
            "focus_table",
            "To the list",
            show=False,
            tooltip="From the filter to the customers it matches",
            id="customers.to_list",
        ),
    ]
    DEFAULT_CSS = """
    CustomersPane { padding: 0 1; }
    CustomersPane #customer-filter { display: none; }
    CustomersPane #customer-filter.-shown { display: block; }
    CustomersPane #customer-count { height: 1; width: 1fr; color: $text-muted; }
    CustomersPane CustomerTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: Sequence[CustomerRow] = ()
        self._first_paint: FirstPaint | None = None
        """Shown until the account is: its rows are only the newest customers."""
        self.show_all = False

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="Filter by name, email or id", id="customer-filter")
        yield Label("", id="customer-count")
        yield CustomerTable()

    def on_mount(self) -> None:
        self.table.loading = True
        follow_first_paint(self, self.show_first_paint)
        follow_account(self, lambda account: self.show(account.rows))
        follow_load_failure(self, self.show_error)

    @property
    def table(self) -> CustomerTable:
        return self.query_one(CustomerTable)

    @property
    def needle(self) -> str:
        return self.query_one("#customer-filter", Input).value.strip()

    def show(self, rows: Sequence[CustomerRow]) -> None:
        """Every customer row; the pane shows the linked ones unless "all" is on."""
        self._first_paint = None
        self._rows = rows
        self._refill()

    def show_first_paint(self, paint: FirstPaint) -> None:
        """The newest customers of the cached account, and how many it has, until it is read."""
        self._first_paint = paint
        self._rows = paint.rows
        self._refill()

    def show_error(self, message: str) -> None:
        table = self.table
        table.loading = False
        table.empty_text = f"Could not load customers: {message}"
        table.refresh()

    def _refill(self) -> None:
        table = self.table
        table.loading = False
        shown = self._rows if self.show_all else [row for row in self._rows if row.linked]
        table.show(shown)
        table.filter(self.needle)
        self._count_changed()
        self._report_on_screen()

    @on(CustomerTable.Filtered)
    def _filter_counted(self) -> None:
        self._count_changed()

    @on(CustomerTable.RowsReplaced)
    def _rows_replaced(self) -> None:
        self._count_changed()
        self._report_on_screen()

    @on(CustomerTable.Highlighted)
    @on(CustomerTable.ViewMoved)
    def _report_on_screen(self) -> None:
        """Tell the app whose rows are in view (the first screen's, while another tab is
        shown), so a first load fetches them first."""
        rows = self.table.rows_on_screen(self.app.size.height)
        ids = [row.metronome_customer_id for row in rows if row.metronome_customer_id]
        self.post_message(CustomersOnScreen(ids))

    def _count_changed(self) -> None:
        table = self.table
        if table.replacing:
            return  # the count of the rows before would be wrong; the new one follows them
        needle = self.needle
        kind = "Stripe customers" if self.show_all else "linked customers"
        paint = self._first_paint
        if paint is not None:
            # Only the newest customers are here yet: a count of matches among them would lie.
            total = paint.stripe_customers if self.show_all else paint.linked_customers
            self._show_count(f"{total:,} {kind}  ·  loading…")
            return
        text = f"{table.total_count:,} {kind}"
        if needle and table.filtering:
            # The first matches are shown; their count follows once every row is read.
            text = f"Counting the matches of “{needle}” among {text}…"
            table.empty_text = f"No customers match “{needle}”."
        elif needle:
            text = f"{table.row_count:,} of {text} match “{needle}”"
            table.empty_text = f"No customers match “{needle}”."
        else:
            table.empty_text = (
                "No customers yet."
                if self.show_all
                else ("No linked customers yet. Press a to see every Stripe customer.")
            )
        hint = "a: linked only" if self.show_all else "a: all Stripe customers"
        self._show_count(f"{text}  ·  {hint}")

    def _show_count(self, text: str) -> None:
        # The count's line is as wide as the pane whatever it says, so a keystroke's new
        # count needs no layout of the screen (which would cost the keystroke its frame).
        self.query_one("#customer-count", Label).update(text, layout=False)

    def focus_table(self) -> None:
        self.table.focus()

    def action_focus_table(self) -> None:
        self.focus_table()

    def action_focus_filter(self) -> None:
        box = self.query_one("#customer-filter", Input)
        box.add_class("-shown")
        # At once, not after the next refresh as `focus()` does: the keys typed right after
        # `/` are handed to whatever has focus when they are read.
        self.screen.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self.query_one("#customer-filter", Input)
        box.value = ""
        box.remove_class("-shown")
        self.table.focus()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._refill()

    def _current(self) -> CustomerRow | None:
        row = self.table.current_row
        if row is None:
            self.notify("No customer is selected.", severity="warning")
        return row

    def action_open_stripe(self) -> None:
        if (row := self._current()) is not None:
            self.post_message(CustomerLinkRequested(row, "stripe"))

    def action_open_metronome(self) -> None:
        if (row := self._current()) is not None:
            self.post_message(CustomerLinkRequested(row, "metronome"))

    def action_create_contract(self) -> None:
        if (row := self._current()) is not None:
            self.post_message(ContractRequested(row))

    @on(CustomerTable.Selected)
    def _row_selected(self, message: CustomerTable.Selected) -> None:
        message.stop()
        self.post_message(CustomerDetailRequested(message.row))

    @on(Input.Changed, "#customer-filter")
    def _filter_changed(self) -> None:
        self.table.filter(self.needle)
        self._count_changed()
        self._report_on_screen()

    @on(Input.Submitted, "#customer-filter")
    def _filter_done(self) -> None:
        self.table.focus()

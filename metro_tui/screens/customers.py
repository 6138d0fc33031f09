"""The Customers tab: linked customers, filterable as you type."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from metro_tui.account import CustomerRow
from metro_tui.models import ProvisionStatus
from metro_tui.services.money import format_cents

STATUS_STYLES = {
    ProvisionStatus.ACTIVE: "green",
    ProvisionStatus.ACTIVE_SOON: "yellow",
    ProvisionStatus.RECENTLY_ENDED: "red",
}
COLUMNS = ("Name", "Email", "Stripe ID", "Date created", "Lifetime billings", "Provision status")


def matches(row: CustomerRow, needle: str) -> bool:
    needle = needle.casefold()
    return any(
        needle in field.casefold()
        for field in (row.name, row.email, row.stripe_customer_id, row.metronome_customer_id or "")
    )


def _cells(row: CustomerRow) -> tuple[str | Text, ...]:
    status = row.provision_status
    billings = (
        Text("Not in Metronome", style="dim")
        if row.lifetime_billings_cents is None
        else Text(format_cents(row.lifetime_billings_cents), justify="right")
    )
    return (
        row.name,
        row.email,
        row.stripe_customer_id,
        row.date_created.strftime("%Y-%m-%d"),
        billings,
        Text(status.value, style=STATUS_STYLES[status]) if status else Text(""),
    )


class CustomersPane(Vertical):
    """A table of customers with a filter box (`/`)."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]
    DEFAULT_CSS = """
    CustomersPane { padding: 0 1; }
    CustomersPane Input { dock: top; display: none; }
    CustomersPane Input.-shown { display: block; }
    CustomersPane DataTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[CustomerRow] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter by name, email or id", id="customer-filter")
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(label, key=label)
        table.loading = True

    def show(self, rows: Sequence[CustomerRow]) -> None:
        self._rows = list(rows)
        self._refill()

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        table.loading = False
        cursor_key = None
        if table.row_count:
            cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        needle = self.query_one(Input).value.strip()
        table.clear()
        for row in self._rows:
            if not needle or matches(row, needle):
                table.add_row(*_cells(row), key=row.stripe_customer_id)
        if cursor_key is not None and cursor_key in table.rows:
            table.move_cursor(row=table.get_row_index(cursor_key))

    def focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        box = self.query_one(Input)
        box.add_class("-shown")
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one(Input)
        box.value = ""
        box.remove_class("-shown")
        self.query_one(DataTable).focus()

    @on(Input.Changed, "#customer-filter")
    def _filter_changed(self) -> None:
        self._refill()

    @on(Input.Submitted, "#customer-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

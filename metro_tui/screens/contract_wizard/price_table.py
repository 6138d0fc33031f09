"""The pricing step's price list: every product on the rate card, checkable for entitlement."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from metro_tui.drafts import PriceLine, format_unit_price

COLUMNS = (("included", "Incl."), ("product", "Product"), ("list", "List"), ("effective", "Yours"))


def _cells(line: PriceLine) -> tuple[Text, ...]:
    discounted = line.effective_price < line.list_price
    return (
        Text("[x]" if line.checked else "[ ]"),
        Text(line.product_name, style="" if line.checked else "dim"),
        Text(format_unit_price(line.list_price), justify="right"),
        Text(
            format_unit_price(line.effective_price),
            style="bold" if discounted else "",
            justify="right",
        ),
    )


class PriceTable(DataTable[Text]):
    """List and effective price per product; space or enter includes or excludes a product.

    Few rows (one rate card), so a DataTable is fine; prices change in place as the user types
    a discount instead of the rows being rebuilt.
    """

    BINDINGS = [
        Binding(
            "space,enter",
            "toggle_entitlement",
            "Include/exclude",
            show=False,
            id="price_table.toggle",
        ),
    ]
    DEFAULT_CSS = """
    PriceTable { height: auto; max-height: 14; width: auto; max-width: 1fr; }
    """

    class EntitlementToggled(Message):
        """The user checked (`entitled`) or unchecked a product."""

        def __init__(self, product_id: str, entitled: bool) -> None:
            super().__init__()
            self.product_id = product_id
            self.entitled = entitled

    def __init__(self, lines: Sequence[PriceLine], *, name: str, id: str | None = None) -> None:
        super().__init__(cursor_type="row", name=name, id=id)
        self._lines = {line.product_id: line for line in lines}

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)
        for line in self._lines.values():
            self.add_row(*_cells(line), key=line.product_id)

    def show_prices(self, lines: Sequence[PriceLine]) -> None:
        """Update the rows' prices and checks (the products are those the table was built with)."""
        for line in lines:
            if line.product_id not in self._lines:
                continue
            self._lines[line.product_id] = line
            for (column, _), cell in zip(COLUMNS, _cells(line), strict=True):
                self.update_cell(line.product_id, column, cell)

    def action_toggle_entitlement(self) -> None:
        if not self.row_count:
            return
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        line = self._lines[str(row_key.value)]
        self.post_message(self.EntitlementToggled(line.product_id, not line.checked))

"""Top products as ranked bars with amounts and shares."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from metro_tui.services.money import format_cents
from metro_tui.services.products import ProductRevenue

BAR_WIDTH = 24


class TopProducts(Static):
    """Ranked bars; the bar length is each product's share of all product revenue."""

    DEFAULT_CSS = """
    TopProducts {
        border: round $primary 50%;
        border-title-color: $text-muted;
        padding: 0 1;
        height: auto;
        min-height: 9;
    }
    """

    products: Sequence[ProductRevenue] = ()
    """What the widget last drew."""

    def on_mount(self) -> None:
        self.border_title = "Top products"
        self.update("Loading…")

    def show(self, products: Sequence[ProductRevenue]) -> None:
        self.products = products
        if not products:
            self.update(Text("No finalized invoices yet.", style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column("name", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("bar", width=BAR_WIDTH, no_wrap=True)
        table.add_column("amount", justify="right", no_wrap=True)
        table.add_column("share", justify="right", width=6, no_wrap=True)
        for product in products:
            filled = round(product.share * BAR_WIDTH)
            bar = Text("█" * filled, style="bold magenta") + Text(
                "░" * (BAR_WIDTH - filled), style="dim"
            )
            table.add_row(
                product.name, bar, format_cents(product.amount_cents), f"{product.share:.0%}"
            )
        self.update(table)

    def show_error(self, message: str) -> None:
        self.update(Text(f"Could not load: {message}", style="red"))

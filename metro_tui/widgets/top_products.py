"""Top products as ranked bars with amounts and shares, fitted to the widget's width."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from metro_tui.services.money import format_cents
from metro_tui.services.products import ProductRevenue

MIN_BAR = 4
"""Narrower than this a bar says nothing; the amounts and shares still show."""


class TopProducts(Widget):
    """Ranked bars; a bar's length is the product's share of all product revenue."""

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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._message: Content | None = Content("Loading…")

    def on_mount(self) -> None:
        self.border_title = "Top products"

    def show(self, products: Sequence[ProductRevenue]) -> None:
        self.products = products
        self._message = (
            None if products else Content.styled("No finalized invoices yet.", "$text-muted")
        )
        self.refresh(layout=True)

    def show_error(self, message: str) -> None:
        self._message = Content.styled(f"Could not load: {message}", "$error")
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 if self._message is not None else len(self.products)

    def render(self) -> Content:
        if self._message is not None:
            return self._message
        return Content("\n").join(self._lines(self.content_size.width))

    def _lines(self, width: int) -> list[Content]:
        amounts = [format_cents(product.amount_cents) for product in self.products]
        amount_width = max(map(len, amounts))
        share_width = len("100%")
        longest_name = max(len(product.name) for product in self.products)
        name_width = min(longest_name, max(8, width // 3))
        bar_width = width - name_width - amount_width - share_width - 3
        if bar_width < MIN_BAR:
            bar_width = 0
            name_width = max(1, width - amount_width - share_width - 2)
        lines = []
        for product, amount in zip(self.products, amounts, strict=True):
            name = product.name
            if len(name) > name_width:
                name = name[: name_width - 1] + "…"
            parts: list[tuple[str, str] | str] = [f"{name:<{name_width}} "]
            if bar_width:
                filled = round(product.share * bar_width)
                parts += [("█" * filled, "$accent"), ("░" * (bar_width - filled), "$panel"), " "]
            parts += [f"{amount:>{amount_width}} ", (f"{product.share:>{share_width}.0%}", "bold")]
            lines.append(Content.assemble(*parts))
        return lines

"""Top products as ranked bars with amounts and shares, fitted to the widget's width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from metro_tui.services.money import format_cents

if TYPE_CHECKING:
    from metro_tui.services.products import ProductRevenue

MIN_BAR = 4
"""Narrower than this a bar says nothing; the amounts and shares still show."""


class TopProducts(Widget):
    """Ranked bars; a bar's length is the product's share of all product revenue.

    While the load runs the ranking is of a partial sum: a first line says so.
    """

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
        self._so_far: Content | None = None

    def on_mount(self) -> None:
        self.border_title = "Top products"

    def show(self, products: Sequence[ProductRevenue], *, so_far: str | None = None) -> None:
        """The ranking; `so_far` says how far the load has got while it is a partial sum."""
        lines = self._line_count()
        self.products = products
        self._so_far = None if so_far is None else Content.styled(so_far, "$accent")
        if products:
            self._message = None
        elif so_far is not None:
            self._message = Content("Loading…")
        else:
            self._message = Content.styled("No finalized invoices yet.", "$text-muted")
        self._redraw(lines)

    def show_error(self, message: str) -> None:
        lines = self._line_count()
        self._so_far = None
        self._message = Content.styled(f"Could not load: {message}", "$error")
        self._redraw(lines)

    def _redraw(self, lines_before: int) -> None:
        """Repainted where it is while its height holds: a partial result comes every quarter
        second during a load, and laying the screen out again each time cost a frame."""
        self.refresh(layout=self._line_count() != lines_before)

    def _line_count(self) -> int:
        shown = 1 if self._message is not None else len(self.products)
        return shown + (self._so_far is not None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._line_count()

    def render(self) -> Content:
        if self._message is not None:
            lines = [self._message]
        else:
            lines = self._lines(self.content_size.width)
        if self._so_far is not None:
            lines = [self._so_far, *lines]
        return Content("\n").join(lines)

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

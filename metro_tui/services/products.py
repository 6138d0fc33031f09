"""Top products: all-time FINALIZED revenue grouped by product, the rest summed as "Other"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import TYPE_CHECKING

from metro_tui.figures import ProductRevenue as ProductRevenue
from metro_tui.invoice_columns import InvoiceColumns, InvoiceLines, InvoiceLineValues
from metro_tui.services.revenue import FINALIZED

if TYPE_CHECKING:
    from metro_tui.models import Invoice

OTHER = "Other"


@dataclass(slots=True)
class _ProductTotal:
    name: str
    named_at: datetime
    amount_cents: int = 0


class ProductTotals:
    """Line items summed per product id, or per line-item name when there is no product id.

    Invoices can be added a customer at a time, as a first load brings them in. A product's
    name is taken from its line item on the invoice whose period ends last, so a renamed
    product shows its current name.
    """

    def __init__(self) -> None:
        self._by_id: dict[str, _ProductTotal] = {}
        self._by_name: dict[str, _ProductTotal] = {}

    def add(self, invoices: Iterable[Invoice]) -> None:
        """Add one customer's invoices."""
        self.add_customers((invoices,))

    def add_customers(self, customers: Iterable[Iterable[Invoice]]) -> None:
        """Add each customer's invoices, in one loop: at 100,000 customers a call per
        customer costs a tenth of a second more."""
        by_id, by_name = self._by_id, self._by_name
        for status, end, values in chain.from_iterable(map(_invoice_lines, customers)):
            if status != FINALIZED:
                continue
            for name, product_id, cents in values:
                totals, key = (by_id, product_id) if product_id else (by_name, name)
                total = totals.get(key)
                if total is None:
                    total = totals[key] = _ProductTotal(name, end)
                elif end > total.named_at:
                    total.name, total.named_at = name, end
                total.amount_cents += cents

    def top(self, limit: int = 5) -> list[ProductRevenue]:
        """The `limit` products with most revenue (ties by name), then "Other" if any remain."""
        totals = sorted(
            [*self._by_id.values(), *self._by_name.values()],
            key=lambda t: (-t.amount_cents, t.name),
        )
        grand_total = sum(total.amount_cents for total in totals)

        def share(amount_cents: int) -> float:
            return amount_cents / grand_total if grand_total else 0.0

        rows = [
            ProductRevenue(t.name, t.amount_cents, share(t.amount_cents)) for t in totals[:limit]
        ]
        rest = totals[limit:]
        if rest:
            other_cents = sum(total.amount_cents for total in rest)
            rows.append(ProductRevenue(OTHER, other_cents, share(other_cents)))
        return rows


def _invoice_lines(invoices: Iterable[Invoice]) -> Iterable[InvoiceLineValues]:
    """Each invoice's status, period end and lines' values. A line record is its name, product
    id and cents already; invoices kept in columns and lines kept in a table give those
    without a record made for each (670,000 lines at 100,000 customers)."""
    if type(invoices) is not tuple and isinstance(invoices, InvoiceColumns):
        return invoices.lines()
    return (
        (
            invoice.status,
            invoice.end_timestamp,
            lines.line_values() if isinstance(lines := invoice.line_items, InvoiceLines) else lines,
        )
        for invoice in invoices
    )


def top_products(invoices: Iterable[Invoice], limit: int = 5) -> list[ProductRevenue]:
    """The `limit` products with most revenue (ties by name), then "Other" if any remain."""
    totals = ProductTotals()
    totals.add(invoices)
    return totals.top(limit)

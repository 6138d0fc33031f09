"""Top products: all-time FINALIZED revenue grouped by product, the rest summed as "Other"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from metro_tui.models import Invoice
from metro_tui.services.revenue import finalized

OTHER = "Other"


@dataclass(frozen=True, slots=True)
class ProductRevenue:
    """One row of Top products; `share` is the fraction (0..1) of all line-item revenue."""

    name: str
    amount_cents: int
    share: float


@dataclass(slots=True)
class _ProductTotal:
    name: str
    named_at: datetime
    amount_cents: int = 0


def _product_totals(invoices: Iterable[Invoice]) -> list[_ProductTotal]:
    """Line items summed per product id, or per line-item name when there is no product id.

    A product's name is taken from its line item on the invoice whose period ends last, so a
    renamed product shows its current name.
    """
    by_id: dict[str, _ProductTotal] = {}
    by_name: dict[str, _ProductTotal] = {}
    for invoice in finalized(invoices):
        end = invoice.end_timestamp
        for item in invoice.line_items:
            product_id = item.product_id
            totals, key = (by_id, product_id) if product_id else (by_name, item.name)
            total = totals.get(key)
            if total is None:
                total = totals[key] = _ProductTotal(item.name, end)
            elif end > total.named_at:
                total.name, total.named_at = item.name, end
            total.amount_cents += item.total_cents
    return [*by_id.values(), *by_name.values()]


def top_products(invoices: Iterable[Invoice], limit: int = 5) -> list[ProductRevenue]:
    """The `limit` products with most revenue (ties by name), then "Other" if any remain."""
    totals = sorted(_product_totals(invoices), key=lambda t: (-t.amount_cents, t.name))
    grand_total = sum(total.amount_cents for total in totals)

    def share(amount_cents: int) -> float:
        return amount_cents / grand_total if grand_total else 0.0

    rows = [ProductRevenue(t.name, t.amount_cents, share(t.amount_cents)) for t in totals[:limit]]
    rest = totals[limit:]
    if rest:
        other_cents = sum(total.amount_cents for total in rest)
        rows.append(ProductRevenue(OTHER, other_cents, share(other_cents)))
    return rows

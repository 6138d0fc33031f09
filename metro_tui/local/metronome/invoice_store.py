"""Invoices of the local Metronome API: stored as the documents the invoice reads return.

Only the demo seed writes invoices (Metronome issues them; no endpoint creates one). Line items
carry the quantity, unit price and product of each charge, and, as Metronome shows them, what
each commit or credit covered of a product's charges as a line item of its own. A usage
statement is a USAGE invoice; what the customer pays for a prepaid commit is billed on a
SCHEDULED invoice, in a `commit_purchase` line item naming the commit.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.db import dumps
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.records import USD_CREDIT_TYPE, load_doc, new_id, product_docs

INVOICE_STATUSES = ("FINALIZED", "DRAFT", "VOID")
# Invoice line item types, by the type of the product billed.
LINE_ITEM_TYPES = {"SUBSCRIPTION": "subscription", "FIXED": "scheduled"}
# A line item's `product_type`, by the type of its product.
PRODUCT_LIST_ITEMS = {
    "USAGE": "UsageProductListItem",
    "SUBSCRIPTION": "SubscriptionProductListItem",
    "FIXED": "FixedProductListItem",
    "COMPOSITE": "CompositeProductListItem",
}
APPLIED_LINE_ITEM = "applied_commit_or_credit"
COMMIT_PURCHASE_LINE_ITEM = "commit_purchase"


@dataclass(frozen=True)
class AppliedGrant:
    """The commit or credit, and the segment of its access schedule, a line item draws on."""

    id: str
    type: str  # PREPAID, POSTPAID or CREDIT
    segment_id: str

    @property
    def commit_type(self) -> str:
        return "PostpaidCommit" if self.type == "POSTPAID" else "PrepaidCommit"


@dataclass(frozen=True)
class LineItemSpec:
    """A charge, or with `applied` the (negative) amount a commit or credit covers of the
    charges for `product_id`, as Metronome shows an applied commit or credit."""

    name: str
    product_id: str | None
    total_cents: int
    quantity: float = 1
    unit_price_cents: float | None = None
    applied: AppliedGrant | None = None
    purchased_commit_id: str | None = None
    """The prepaid commit this line bills the customer for, on a SCHEDULED invoice."""

    @property
    def counts_in_total(self) -> bool:
        """A postpaid commit is paid in arrears: applying it leaves the invoice total as is."""
        return self.applied is None or self.applied.type != "POSTPAID"


INSERT_INVOICE = (
    "INSERT INTO invoices (id, customer_id, status, start_timestamp, end_timestamp, doc) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
InvoiceRow = tuple[str, str, str, str, str, str]


def insert_invoice(
    conn: sqlite3.Connection,
    *,
    customer_id: str,
    invoice_id: str | None,
    status: str,
    start_timestamp: datetime,
    end_timestamp: datetime,
    line_items: list[LineItemSpec],
    contract_id: str | None,
    issued_at: datetime | None,
) -> dict[str, Any]:
    """Store an invoice; its `total` is the sum of its line items' totals, credits and
    prepaid commits applied included."""
    if status not in INVOICE_STATUSES:
        raise ApiError(400, f"status: must be one of {', '.join(INVOICE_STATUSES)}")
    if load_doc(conn, "customers", customer_id) is None:
        raise ApiError(400, f"customer_id: unknown customer {customer_id}")
    products = product_docs(
        conn, [item.product_id for item in line_items if item.product_id], "line_items"
    )
    doc = invoice_doc(
        customer_id=customer_id,
        invoice_id=new_id(invoice_id),
        status=status,
        start_timestamp=start_timestamp,
        end_timestamp=end_timestamp,
        line_items=line_items,
        contract_id=contract_id,
        issued_at=issued_at,
        products=products,
    )
    conn.execute(INSERT_INVOICE, invoice_row(doc))
    return doc


def invoice_doc(
    *,
    customer_id: str,
    invoice_id: str,
    status: str,
    start_timestamp: datetime,
    end_timestamp: datetime,
    line_items: list[LineItemSpec],
    contract_id: str | None,
    issued_at: datetime | None,
    products: dict[str, dict[str, Any]],
    invoice_type: str = "USAGE",
) -> dict[str, Any]:
    """The stored document of a checked invoice; `products` holds every product it bills."""
    total = sum(item.total_cents for item in line_items if item.counts_in_total)
    start, end = iso(start_timestamp), iso(end_timestamp)
    doc: dict[str, Any] = {
        "id": invoice_id,
        "customer_id": customer_id,
        "type": invoice_type,
        "status": status,
        "credit_type": USD_CREDIT_TYPE,
        "start_timestamp": start,
        "end_timestamp": end,
        "line_items": [
            _line_item_doc(item, products.get(item.product_id or ""), start, end)
            for item in line_items
        ],
        "subtotal": total,
        "total": total,
    }
    if contract_id is not None:
        doc["contract_id"] = contract_id
    if issued_at is not None:
        doc["issued_at"] = iso(issued_at)
    return doc


def invoice_row(doc: dict[str, Any]) -> InvoiceRow:
    """What `INSERT_INVOICE` stores of an invoice document."""
    return (
        doc["id"],
        doc["customer_id"],
        doc["status"],
        doc["start_timestamp"],
        doc["end_timestamp"],
        dumps(doc),
    )


def _line_item_doc(
    item: LineItemSpec, product: dict[str, Any] | None, start: str, end: str
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": item.name,
        "total": item.total_cents,
        "quantity": item.quantity,
        "credit_type": USD_CREDIT_TYPE,
        "starting_at": start,
        "ending_before": end,
        "type": "usage",
    }
    if item.unit_price_cents is not None:
        doc["unit_price"] = item.unit_price_cents
    if product is not None:
        doc["product_id"] = product["id"]
        doc["product_tags"] = product["current"]["tags"]
        doc["product_type"] = PRODUCT_LIST_ITEMS[product["type"]]
        doc["type"] = LINE_ITEM_TYPES.get(product["type"], "usage")
    if item.applied is not None:
        doc["type"] = APPLIED_LINE_ITEM
        doc["applied_commit_or_credit"] = {"id": item.applied.id, "type": item.applied.type}
        doc["commit_id"] = item.applied.id
        doc["commit_segment_id"] = item.applied.segment_id
        doc["commit_type"] = item.applied.commit_type
    if item.purchased_commit_id is not None:
        doc["type"] = COMMIT_PURCHASE_LINE_ITEM
        doc["commit_id"] = item.purchased_commit_id
    return doc

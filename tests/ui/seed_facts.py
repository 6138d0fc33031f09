"""Figures read straight from a data file with SQL, independent of the client's code."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class LinkedCustomer:
    stripe_customer_id: str
    metronome_customer_id: str
    name: str
    lifetime_billings_cents: int
    contracts: list[dict[str, object]]
    """Non-archived contract documents, latest start first."""


def linked_customers(data: Path) -> dict[str, LinkedCustomer]:
    """Linked customers by Stripe id: a live Stripe configuration naming an existing Stripe id."""
    with sqlite3.connect(data) as conn:
        links = conn.execute(
            """
            SELECT b.stripe_customer_id, c.id, s.name
            FROM billing_configurations b
            JOIN customers c ON c.id = b.customer_id AND c.archived_at IS NULL
            JOIN stripe_customers s ON s.id = b.stripe_customer_id
            WHERE b.billing_provider = 'stripe' AND b.archived_at IS NULL
            ORDER BY c.created_at, c.id
            """
        ).fetchall()
        found: dict[str, LinkedCustomer] = {}
        for stripe_id, customer_id, name in links:
            if stripe_id in found:
                continue  # the earliest created Metronome customer wins a contested id
            invoices = conn.execute(
                "SELECT doc FROM invoices WHERE customer_id = ? AND status = 'FINALIZED'",
                (customer_id,),
            ).fetchall()
            contracts = conn.execute(
                "SELECT doc FROM contracts WHERE customer_id = ? AND archived_at IS NULL "
                "ORDER BY starting_at DESC, id DESC",
                (customer_id,),
            ).fetchall()
            found[stripe_id] = LinkedCustomer(
                stripe_customer_id=stripe_id,
                metronome_customer_id=customer_id,
                name=name or "",
                lifetime_billings_cents=round(sum(json.loads(d)["total"] for (d,) in invoices)),
                contracts=[json.loads(doc) for (doc,) in contracts],
            )
    return found


def stripe_customer_count(data: Path) -> int:
    with sqlite3.connect(data) as conn:
        count: int = conn.execute("SELECT COUNT(*) FROM stripe_customers").fetchone()[0]
    return count


def rate_card_names(data: Path) -> dict[str, str]:
    with sqlite3.connect(data) as conn:
        docs = conn.execute("SELECT doc FROM rate_cards").fetchall()
    return {card["id"]: card["name"] for card in (json.loads(doc) for (doc,) in docs)}


def finalized_by_month(data: Path, year: int, month: int, customer_id: str | None = None) -> int:
    """FINALIZED totals of invoices whose period ends after month start, at or before the next.

    Of every customer, or of `customer_id` alone.
    """
    start = f"{year:04d}-{month:02d}-01T00:00:00.000Z"
    ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
    end = f"{ny:04d}-{nm:02d}-01T00:00:00.000Z"
    with sqlite3.connect(data) as conn:
        docs = conn.execute(
            "SELECT doc FROM invoices WHERE status = 'FINALIZED' "
            "AND end_timestamp > ? AND end_timestamp <= ? AND (? IS NULL OR customer_id = ?)",
            (start, end, customer_id, customer_id),
        ).fetchall()
    return round(sum(json.loads(doc)["total"] for (doc,) in docs))


def finalized_total(data: Path) -> int:
    """FINALIZED invoice totals of every customer, all time."""
    with sqlite3.connect(data) as conn:
        docs = conn.execute("SELECT doc FROM invoices WHERE status = 'FINALIZED'").fetchall()
    return round(sum(json.loads(doc)["total"] for (doc,) in docs))


def new_metronome_customers(data: Path, after: datetime, until: datetime) -> int:
    """Customers with after < created_at <= until."""
    with sqlite3.connect(data) as conn:
        docs = conn.execute("SELECT created_at FROM customers").fetchall()
    return sum(1 for (created,) in docs if after < datetime.fromisoformat(created) <= until)


def product_totals(data: Path) -> dict[str, int]:
    """FINALIZED line-item totals by product, all time, named as its charges are: what a
    commit or credit covered of a product's charges (a line of its own) counts against it."""
    totals: dict[str, float] = {}
    names: dict[str, str] = {}
    with sqlite3.connect(data) as conn:
        docs = conn.execute("SELECT doc FROM invoices WHERE status = 'FINALIZED'").fetchall()
    for (doc,) in docs:
        for item in json.loads(doc)["line_items"]:
            product = item.get("product_id") or item["name"]
            totals[product] = totals.get(product, 0) + item["total"]
            if item["type"] != "applied_commit_or_credit":
                names[product] = item["name"]
    return {names[product]: round(total) for product, total in totals.items()}


def usage_totals(data: Path, first_day: str, last_day: str) -> tuple[int, int]:
    """Events received from `first_day` to `last_day` (YYYY-MM-DD, inclusive), and duplicates."""
    with sqlite3.connect(data) as conn:
        total, duplicates = conn.execute(
            "SELECT COUNT(*), SUM(is_duplicate) FROM usage_events "
            "WHERE substr(received_at, 1, 10) BETWEEN ? AND ?",
            (first_day, last_day),
        ).fetchone()
    return total, duplicates or 0


def busiest_usage_day(data: Path, first_day: str, last_day: str) -> int:
    """The most events received on one UTC day from `first_day` to `last_day`."""
    with sqlite3.connect(data) as conn:
        (peak,) = conn.execute(
            "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM usage_events "
            "WHERE substr(received_at, 1, 10) BETWEEN ? AND ? GROUP BY substr(received_at, 1, 10))",
            (first_day, last_day),
        ).fetchone()
    return int(peak or 0)

"""The showcase customer's page, read straight from a data file with SQL and JSON.

Independent of the client's code: dates and money are written out here the way the page is
specified to show them ("Nov 23, 2026", "$1,234.56"), and balances are computed the way
Metronome documents them (the grant in force now, less what finalized invoices applied).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def day(text: str) -> str:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return f"{moment:%b} {moment.day}, {moment.year}"


def last_day(text: str) -> str:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")) - timedelta(microseconds=1)
    return f"{moment:%b} {moment.day}, {moment.year}"


def money(cents: float) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(round(cents)) / 100:,.2f}"


@dataclass(frozen=True)
class ShowcasePage:
    stripe_customer_id: str
    metronome_customer_id: str
    contract: dict[str, Any]
    rate_card_name: str
    invoices: list[dict[str, Any]]
    """Every invoice of the customer, newest billing period first."""
    balances: dict[str, int]
    """Grant id -> cents left now."""


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _is_showcase(contract: dict[str, Any]) -> bool:
    return (
        any(o.get("type") == "MULTIPLIER" for o in contract["overrides"])
        and any(s["quantity_schedule"][0]["quantity"] > 1 for s in contract["subscriptions"])
        and any(commit["type"] == "PREPAID" for commit in contract["commits"])
        and bool(contract.get("credits"))
    )


def showcase_page(data: Path, today: str) -> ShowcasePage:
    """The linked customer whose one contract has a discount, a subscription of more than one
    unit, a prepaid commit and credits."""
    now = datetime.fromisoformat(today).replace(hour=12, tzinfo=UTC)
    with sqlite3.connect(data) as conn:
        rows = conn.execute(
            """
            SELECT b.stripe_customer_id, c.customer_id, c.doc
            FROM contracts c
            JOIN billing_configurations b ON b.customer_id = c.customer_id
            WHERE b.billing_provider = 'stripe' AND b.archived_at IS NULL
              AND c.archived_at IS NULL
            ORDER BY c.starting_at, c.id
            """
        ).fetchall()
        showcase = next((row for row in rows if _is_showcase(json.loads(row[2]))), None)
        if showcase is None:
            raise AssertionError("the seed has no showcase customer")
        stripe_id, customer_id, doc = showcase
        contract = json.loads(doc)
        (card_doc,) = conn.execute(
            "SELECT doc FROM rate_cards WHERE id = ?", (contract["rate_card_id"],)
        ).fetchone()
        invoices = [
            json.loads(d)
            for (d,) in conn.execute(
                "SELECT doc FROM invoices WHERE customer_id = ?", (customer_id,)
            ).fetchall()
        ]
    # Newest period first; invoices of one period (a void and its reissue) by id, descending.
    invoices.sort(key=lambda invoice: (invoice["end_timestamp"], invoice["id"]), reverse=True)
    balances = {}
    for grant in [*contract["commits"], *contract["credits"]]:
        in_force = {
            item["id"]: item["amount"]
            for item in grant["access_schedule"]["schedule_items"]
            if _instant(item["starting_at"]) <= now < _instant(item["ending_before"])
        }
        drawn = sum(
            -line["total"]
            for invoice in invoices
            if invoice["status"] == "FINALIZED"
            for line in invoice["line_items"]
            if (line.get("applied_commit_or_credit") or {}).get("id") == grant["id"]
            and line.get("commit_segment_id") in in_force
        )
        balances[grant["id"]] = round(sum(in_force.values()) - drawn)
    return ShowcasePage(
        stripe_customer_id=stripe_id,
        metronome_customer_id=customer_id,
        contract=contract,
        rate_card_name=json.loads(card_doc)["name"],
        invoices=invoices,
        balances=balances,
    )


@dataclass(frozen=True)
class RecurringCommitFacts:
    """A linked customer's monthly recurring commit, and what is left of this month's grant."""

    stripe_customer_id: str
    contract_id: str
    name: str
    product_name: str
    period_amount: float
    left: float


def recurring_commit_facts(data: Path, today: str) -> RecurringCommitFacts:
    """The first linked customer's contract with a monthly recurring commit whose grants last
    one month: the grant of the month holding now, less what the FINALIZED invoices whose
    periods start in that month applied of it (invoices draw on the grant in force at their
    start)."""
    now = datetime.fromisoformat(today).replace(hour=12, tzinfo=UTC)
    with sqlite3.connect(data) as conn:
        stripe_id, contract_id, text = conn.execute(
            """
            SELECT b.stripe_customer_id, c.id, json_extract(c.doc, '$.recurring_commits[0]')
            FROM contracts c
            JOIN billing_configurations b ON b.customer_id = c.customer_id
            WHERE b.billing_provider = 'stripe' AND b.archived_at IS NULL
              AND c.archived_at IS NULL AND json_array_length(c.doc, '$.recurring_commits') > 0
            ORDER BY c.starting_at, c.id
            """
        ).fetchone()
        recurring = json.loads(text)
        assert recurring["recurrence_frequency"] == "MONTHLY"
        assert recurring["commit_duration"] == {"unit": "PERIODS", "value": 1}
        start = _instant(recurring["starting_at"])
        months = (now.year - start.year) * 12 + now.month - start.month
        if now.day < start.day:
            months -= 1
        period_start = _add_months(start, months)
        period_end = _add_months(start, months + 1)
        (drawn,) = conn.execute(
            "SELECT COALESCE(-SUM(json_extract(item.value, '$.total')), 0) "
            "FROM invoices, json_each(invoices.doc, '$.line_items') AS item "
            "WHERE status = 'FINALIZED' AND json_extract(invoices.doc, '$.contract_id') = ? "
            "AND start_timestamp >= ? AND start_timestamp < ? "
            "AND json_extract(item.value, '$.type') = 'applied_commit_or_credit' "
            "AND json_extract(item.value, '$.name') = ?",
            (contract_id, _iso(period_start), _iso(period_end), recurring["name"]),
        ).fetchone()
    amount = recurring["access_amount"]["unit_price"] * recurring["access_amount"]["quantity"]
    return RecurringCommitFacts(
        stripe_customer_id=stripe_id,
        contract_id=contract_id,
        name=recurring["name"],
        product_name=recurring["product"]["name"],
        period_amount=amount,
        left=amount - drawn,
    )


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    assert moment.day <= 28  # every month has the day
    return moment.replace(year=moment.year + index // 12, month=index % 12 + 1)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

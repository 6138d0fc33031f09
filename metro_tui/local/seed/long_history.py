"""A customer with a long history, added to a seeded data file: ten contracts one after another
and 200 monthly invoices, the size the customer page must open without a stall.

Kept apart from `seed_database` so the demo data stays as it is; the page's scale test and
its benchmark add this customer to a copy of a seeded file. Written through the backend's own
storage functions, so its documents are what the API would have stored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from metro_tui.local import clock
from metro_tui.local.db import Database
from metro_tui.local.metronome.contract_store import insert_contract
from metro_tui.local.metronome.records import derived_id, load_doc
from metro_tui.local.metronome.store import (
    LineItemSpec,
    insert_billing_configuration,
    insert_customer,
    insert_invoice,
)
from metro_tui.local.seed.draws import add_months, month_start, timestamp
from metro_tui.local.stripe.store import insert_stripe_customer

STRIPE_CUSTOMER_ID = "cus_LongHistory200"
METRONOME_CUSTOMER_ID = "0c7e5a8e-1d3b-4c52-9a61-3f0d2b7c9e41"
NAME = "Longhaul Freight Cooperative"
CONTRACTS = 10
MONTHS_PER_CONTRACT = 20
INVOICES = CONTRACTS * MONTHS_PER_CONTRACT
VOID_MONTH = 100
"""The month (from the first) whose invoice was voided; the newest month's is a draft."""
CONTRACT_NAME = "Master services agreement, freight network term {number}"
"""Long on purpose: wider than the invoice table's contract column at 80 columns."""


@dataclass(frozen=True)
class LongHistory:
    stripe_customer_id: str
    metronome_customer_id: str
    contract_ids: tuple[str, ...]
    invoice_ids: tuple[str, ...]
    """Oldest billing period first."""


def add_long_history_customer(path: Path, today: str) -> LongHistory:
    """Add the customer to the seeded data file at `path`, as of `today` (YYYY-MM-DD)."""
    now = clock.now(today)
    first_month = add_months(month_start(now), 1 - INVOICES)
    db = Database(path)
    try:
        with db.transaction() as conn:
            rate_card_id, product_id, product_name = _usage_rate(conn)
            created = first_month - timedelta(days=30)
            _add_customer(conn, created)
            contract_ids = tuple(
                _add_contract(conn, number, rate_card_id, first_month, created)
                for number in range(CONTRACTS)
            )
            invoice_ids = tuple(
                _add_invoice(
                    conn,
                    month,
                    add_months(first_month, month),
                    contract_ids[month // MONTHS_PER_CONTRACT],
                    LineItemSpec(
                        name=product_name,
                        product_id=product_id,
                        total_cents=_charge_cents(month),
                        quantity=1_000 + 37 * month,
                        unit_price_cents=_charge_cents(month) / (1_000 + 37 * month),
                    ),
                )
                for month in range(INVOICES)
            )
    finally:
        db.close()
    return LongHistory(STRIPE_CUSTOMER_ID, METRONOME_CUSTOMER_ID, contract_ids, invoice_ids)


def _charge_cents(month: int) -> int:
    return 250_000 + 1_234 * month


def _usage_rate(conn: sqlite3.Connection) -> tuple[str, str, str]:
    """The first rate card (by id) and a usage product it prices."""
    for (card_id,) in conn.execute("SELECT id FROM rate_cards ORDER BY id"):
        for (product_id,) in conn.execute(
            "SELECT product_id FROM rates WHERE rate_card_id = ? ORDER BY product_id", (card_id,)
        ):
            product = load_doc(conn, "products", product_id)
            if product is not None and product["type"] == "USAGE":
                return card_id, product_id, product["current"]["name"]
    raise ValueError("the data file has no rate card with a usage product; seed it first")


def _add_customer(conn: sqlite3.Connection, created: datetime) -> None:
    insert_stripe_customer(
        conn,
        customer_id=STRIPE_CUSTOMER_ID,
        name=NAME,
        email="billing@longhaul-freight.example",
        created=int(created.timestamp()),
    )
    insert_customer(conn, name=NAME, created_at=created, customer_id=METRONOME_CUSTOMER_ID)
    insert_billing_configuration(
        conn,
        customer_id=METRONOME_CUSTOMER_ID,
        billing_provider="stripe",
        delivery_method="direct_to_billing_provider",
        configuration={
            "stripe_customer_id": STRIPE_CUSTOMER_ID,
            "stripe_collection_method": "charge_automatically",
        },
        created_at=created,
    )


def _add_contract(
    conn: sqlite3.Connection,
    number: int,
    rate_card_id: str,
    first_month: datetime,
    created: datetime,
) -> str:
    start = add_months(first_month, number * MONTHS_PER_CONTRACT)
    body = {
        "customer_id": METRONOME_CUSTOMER_ID,
        "rate_card_id": rate_card_id,
        "name": CONTRACT_NAME.format(number=number + 1),
        "starting_at": timestamp(start),
        "ending_before": timestamp(add_months(start, MONTHS_PER_CONTRACT)),
        "usage_statement_schedule": {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"},
        "net_payment_terms_days": 30,
        "billing_provider_configuration": {
            "billing_provider": "stripe",
            "delivery_method": "direct_to_billing_provider",
        },
    }
    signed = max(created, start - timedelta(days=7))
    contract_id = derived_id(METRONOME_CUSTOMER_ID, f"contracts/{number}")
    insert_contract(conn, body=body, created_at=signed, contract_id=contract_id)
    return contract_id


def _add_invoice(
    conn: sqlite3.Connection,
    month: int,
    start: datetime,
    contract_id: str,
    charge: LineItemSpec,
) -> str:
    end = add_months(start, 1)
    status = "DRAFT" if month == INVOICES - 1 else "VOID" if month == VOID_MONTH else "FINALIZED"
    invoice_id = derived_id(METRONOME_CUSTOMER_ID, f"invoices/{month}")
    insert_invoice(
        conn,
        customer_id=METRONOME_CUSTOMER_ID,
        invoice_id=invoice_id,
        status=status,
        start_timestamp=start,
        end_timestamp=end,
        line_items=[charge],
        contract_id=contract_id,
        issued_at=None if status == "DRAFT" else end,
    )
    return invoice_id

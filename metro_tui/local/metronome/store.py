"""Writes of the local Metronome API, shared by its endpoints and the demo seed. Contracts and
usage events have modules of their own: `contract_store.insert_contract` and the ingest
endpoint's `usage.insert_usage_events` validate with the request models, which the seed, writing
bodies it made itself, does without (`contract_doc`, `usage_store`).

Each function takes a connection inside an open transaction, validates like the endpoint does
(raising `ApiError`), stores the API document and returns it. Child ids (billing
configurations made with a customer, commit schedule items ...) are derived from the parent id,
so a seed with fixed ids produces the same database on every run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.db import dumps
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.invoice_store import AppliedGrant, LineItemSpec, insert_invoice
from metro_tui.local.metronome.records import (
    CREATED_BY,
    DELIVERY_METHODS,
    USD_CREDIT_TYPE,
    delivery_method_id,
    load_doc,
    new_id,
    product_docs,
)

__all__ = [
    "AppliedGrant",
    "LineItemSpec",
    "RateSpec",
    "insert_billing_configuration",
    "insert_customer",
    "insert_invoice",
    "insert_product",
    "insert_rate_card",
]

CUSTOMER_NAME_LIMIT = 160
PRODUCT_TYPES = ("USAGE", "SUBSCRIPTION", "FIXED", "COMPOSITE")


@dataclass(frozen=True)
class RateSpec:
    """One rate of a rate card; a later rate of the same product ends the earlier one."""

    product_id: str
    price_cents: float
    starting_at: datetime
    entitled: bool = True
    rate_type: str = "FLAT"
    billing_frequency: str | None = None  # MONTHLY etc., for subscription products


def insert_customer(
    conn: sqlite3.Connection,
    *,
    name: str,
    created_at: datetime,
    customer_id: str | None = None,
    ingest_aliases: list[str] | None = None,
    custom_fields: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Store a customer; 409 when an ingest alias (or the id) is already taken."""
    customer_id = new_id(customer_id)
    aliases = list(dict.fromkeys(ingest_aliases or []))
    for alias in aliases:
        if conn.execute("SELECT 1 FROM customer_aliases WHERE alias = ?", (alias,)).fetchone():
            raise ApiError(409, f"ingest alias {alias!r} is already in use by another customer")
    if load_doc(conn, "customers", customer_id) is not None:
        raise ApiError(409, f"a customer with id {customer_id} already exists")
    doc: dict[str, Any] = {
        "id": customer_id,
        "name": name[:CUSTOMER_NAME_LIMIT],
        "external_id": aliases[0] if aliases else customer_id,
        "ingest_aliases": aliases,
        "custom_fields": dict(custom_fields or {}),
        # Required in the published schema even when no Salesforce account is linked.
        "customer_config": {"salesforce_account_id": None},
        "created_at": iso(created_at),
        "updated_at": iso(created_at),
    }
    conn.execute(
        "INSERT INTO customers (id, name, created_at, doc) VALUES (?, ?, ?, ?)",
        (customer_id, doc["name"], doc["created_at"], dumps(doc)),
    )
    conn.executemany(
        "INSERT INTO customer_aliases (alias, customer_id) VALUES (?, ?)",
        [(alias, customer_id) for alias in aliases],
    )
    return doc


def insert_billing_configuration(
    conn: sqlite3.Connection,
    *,
    customer_id: str,
    billing_provider: str,
    delivery_method: str,
    configuration: dict[str, Any],
    created_at: datetime,
    config_id: str | None = None,
    archived_at: datetime | None = None,
) -> dict[str, Any]:
    """Store a billing provider configuration of an existing customer.

    `created_at` orders nothing Metronome exposes (the document has no such field); it is
    accepted so every writer has the same shape and kept out of the document on purpose.
    """
    del created_at
    if delivery_method not in DELIVERY_METHODS:
        raise ApiError(400, f"delivery_method: must be one of {', '.join(DELIVERY_METHODS)}")
    if load_doc(conn, "customers", customer_id) is None:
        raise ApiError(400, f"customer_id: unknown customer {customer_id}")
    doc: dict[str, Any] = {
        "id": new_id(config_id),
        "customer_id": customer_id,
        "billing_provider": billing_provider,
        "configuration": dict(configuration),
        "delivery_method": delivery_method,
        "delivery_method_id": delivery_method_id(delivery_method),
        "delivery_method_configuration": {},
        "archived_at": None if archived_at is None else iso(archived_at),
    }
    stripe_customer = configuration.get("stripe_customer_id")
    conn.execute(
        "INSERT INTO billing_configurations (id, customer_id, billing_provider, "
        "stripe_customer_id, archived_at, doc) VALUES (?, ?, ?, ?, ?, ?)",
        (
            doc["id"],
            customer_id,
            billing_provider,
            stripe_customer if billing_provider == "stripe" else None,
            doc["archived_at"],
            dumps(doc),
        ),
    )
    return doc


def insert_product(
    conn: sqlite3.Connection,
    *,
    product_id: str | None,
    name: str,
    type: str,
    tags: list[str],
    created_at: datetime,
) -> dict[str, Any]:
    if type not in PRODUCT_TYPES:
        raise ApiError(400, f"type: must be one of {', '.join(PRODUCT_TYPES)}")
    state = {
        "name": name,
        "tags": list(tags),
        "created_at": iso(created_at),
        "created_by": CREATED_BY,
        "starting_at": iso(created_at),
    }
    doc: dict[str, Any] = {
        "id": new_id(product_id),
        "type": type,
        "initial": state,
        "current": state,
        "updates": [],
        "custom_fields": {},
    }
    conn.execute(
        "INSERT INTO products (id, type, doc) VALUES (?, ?, ?)", (doc["id"], type, dumps(doc))
    )
    return doc


def insert_rate_card(
    conn: sqlite3.Connection,
    *,
    rate_card_id: str | None,
    name: str,
    description: str,
    created_at: datetime,
    rates: list[RateSpec],
) -> dict[str, Any]:
    """Store a rate card and its rates (each product must exist)."""
    doc: dict[str, Any] = {
        "id": new_id(rate_card_id),
        "name": name,
        "description": description,
        "created_at": iso(created_at),
        "created_by": CREATED_BY,
        "aliases": [],
        "custom_fields": {},
        "fiat_credit_type": USD_CREDIT_TYPE,
    }
    conn.execute("INSERT INTO rate_cards (id, doc) VALUES (?, ?)", (doc["id"], dumps(doc)))
    products = product_docs(conn, [rate.product_id for rate in rates], "rates")
    ordered = sorted(rates, key=lambda rate: rate.starting_at)
    for index, rate in enumerate(ordered):
        successor = next(
            (
                later
                for later in ordered[index + 1 :]
                if (later.product_id, later.billing_frequency)
                == (rate.product_id, rate.billing_frequency)
            ),
            None,
        )
        ending_before = None if successor is None else successor.starting_at
        rate_doc = _rate_doc(rate, products[rate.product_id], ending_before)
        conn.execute(
            "INSERT INTO rates (rate_card_id, product_id, starting_at, ending_before, doc) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                doc["id"],
                rate.product_id,
                rate_doc["starting_at"],
                rate_doc.get("ending_before"),
                dumps(rate_doc),
            ),
        )
    return doc


def _rate_doc(
    rate: RateSpec, product: dict[str, Any], ending_before: datetime | None
) -> dict[str, Any]:
    """A getRates item."""
    doc: dict[str, Any] = {
        "product_id": rate.product_id,
        "product_name": product["current"]["name"],
        "product_tags": product["current"]["tags"],
        "product_custom_fields": product["custom_fields"],
        "starting_at": iso(rate.starting_at),
        "entitled": rate.entitled,
        "rate": {
            "rate_type": rate.rate_type,
            "price": rate.price_cents,
            "credit_type": USD_CREDIT_TYPE,
        },
    }
    if ending_before is not None:
        doc["ending_before"] = iso(ending_before)
    if rate.billing_frequency is not None:
        doc["billing_frequency"] = rate.billing_frequency
    return doc

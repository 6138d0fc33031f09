"""Storage of Stripe customers (and the idempotency keys of Stripe writes) for the local backend.

Customers are kept as the exact JSON document the API returns. Lists and searches page through
them newest first (`created` desc, then `seq` desc, so customers created in the same second keep
a stable order); a page position is the (created, seq) pair of a customer.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import string
from dataclasses import dataclass
from typing import Any

from metro_tui.local.db import Database, dumps

CUSTOMER_ID_PREFIX = "cus_"
CUSTOMER_ID_LENGTH = 14
_ID_ALPHABET = string.ascii_letters + string.digits

# Stripe keeps idempotency keys per account and mode; this table is the local account's.
IDEMPOTENCY_SCHEMA = """
CREATE TABLE IF NOT EXISTS stripe_idempotency_keys (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    response    TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Condition:
    """A SQL boolean expression over `stripe_customers` with its bound parameters."""

    sql: str
    params: tuple[Any, ...] = ()

    def __and__(self, other: Condition) -> Condition:
        return Condition(f"({self.sql}) AND ({other.sql})", self.params + other.params)


EVERY_CUSTOMER = Condition("1")


@dataclass(frozen=True)
class Position:
    """Where a customer sits in the newest-first order."""

    created: int
    seq: int


@dataclass(frozen=True)
class Page:
    documents: list[dict[str, Any]]
    has_more: bool
    last: Position | None  # position of the last document, for the next page's cursor


def new_customer_id() -> str:
    return CUSTOMER_ID_PREFIX + "".join(
        secrets.choice(_ID_ALPHABET) for _ in range(CUSTOMER_ID_LENGTH)
    )


def customer_document(
    *,
    customer_id: str,
    name: str | None,
    email: str | None,
    created: int,
    metadata: dict[str, str] | None = None,
    livemode: bool = False,
    description: str | None = None,
    phone: str | None = None,
    preferred_locales: list[str] | None = None,
) -> dict[str, Any]:
    """A customer exactly as Stripe's API returns it, with Stripe's defaults for a new one."""
    # Stripe derives the invoice prefix itself; deriving it from the id keeps seeds reproducible.
    invoice_prefix = hashlib.sha256(customer_id.encode()).hexdigest()[:8].upper()
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "business_name": None,
        "created": created,
        "currency": None,
        "customer_account": None,
        "default_source": None,
        "delinquent": False,
        "description": description,
        "discount": None,
        "email": email,
        "individual_name": None,
        "invoice_prefix": invoice_prefix,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": livemode,
        "metadata": dict(metadata or {}),
        "name": name,
        "next_invoice_sequence": 1,
        "phone": phone,
        "preferred_locales": list(preferred_locales or []),
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def insert_stripe_customer(
    conn: sqlite3.Connection,
    *,
    customer_id: str | None,
    name: str | None,
    email: str | None,
    created: int,
    metadata: dict[str, str] | None = None,
    livemode: bool = False,
    description: str | None = None,
    phone: str | None = None,
    preferred_locales: list[str] | None = None,
) -> dict[str, Any]:
    """Store a new customer inside the caller's transaction and return its API document."""
    doc = customer_document(
        customer_id=customer_id or new_customer_id(),
        name=name,
        email=email,
        created=created,
        metadata=metadata,
        livemode=livemode,
        description=description,
        phone=phone,
        preferred_locales=preferred_locales,
    )
    conn.execute(
        "INSERT INTO stripe_customers (id, created, name, email, doc) VALUES (?, ?, ?, ?, ?)",
        (doc["id"], created, name, email, dumps(doc)),
    )
    return doc


def find_customer(db: Database, customer_id: str) -> dict[str, Any] | None:
    """The customer with this id in either mode (callers check `livemode`)."""
    docs = db.docs("SELECT doc FROM stripe_customers WHERE id = ?", (customer_id,))
    return docs[0] if docs else None


def position_of(db: Database, customer_id: str, livemode: bool) -> Position | None:
    row = db.query_one(
        "SELECT created, seq FROM stripe_customers "
        "WHERE id = ? AND json_extract(doc, '$.livemode') = ?",
        (customer_id, livemode),
    )
    return None if row is None else Position(int(row["created"]), int(row["seq"]))


def page_older_than(
    db: Database, *, livemode: bool, where: Condition, after: Position | None, limit: int
) -> Page:
    """Up to `limit` matching customers older than `after` (from the newest when None)."""
    condition = where
    if after is not None:
        condition = condition & Condition("(created, seq) < (?, ?)", (after.created, after.seq))
    rows = _select(db, condition & _in_mode(livemode), "created DESC, seq DESC", limit + 1)
    return _page(rows, limit)


def page_newer_than(
    db: Database, *, livemode: bool, where: Condition, before: Position, limit: int
) -> Page:
    """The `limit` matching customers just newer than `before`, still listed newest first."""
    condition = where & Condition("(created, seq) > (?, ?)", (before.created, before.seq))
    rows = _select(db, condition & _in_mode(livemode), "created ASC, seq ASC", limit + 1)
    page = _page(rows, limit)
    return Page(list(reversed(page.documents)), page.has_more, page.last)


def count(db: Database, *, livemode: bool, where: Condition) -> int:
    """How many customers match (a search's `total_count`)."""
    condition = where & _in_mode(livemode)
    row = db.query_one(
        f"SELECT count(*) AS n FROM stripe_customers WHERE {condition.sql}", condition.params
    )
    return 0 if row is None else int(row["n"])


def on_test_clock(test_clock: str | None) -> Condition:
    """Customers on the given test clock, or on none when it is None."""
    if test_clock is None:
        return Condition("json_extract(doc, '$.test_clock') IS NULL")
    return Condition("json_extract(doc, '$.test_clock') = ?", (test_clock,))


def _in_mode(livemode: bool) -> Condition:
    # Test-mode and live-mode data are separate in Stripe; a key sees only its own mode.
    # Callers put it last: SQLite tests conditions in order, and this one parses the document.
    return Condition("json_extract(doc, '$.livemode') = ?", (livemode,))


def _select(db: Database, where: Condition, order: str, limit: int) -> list[sqlite3.Row]:
    return db.query(
        f"SELECT created, seq, doc FROM stripe_customers WHERE {where.sql} "
        f"ORDER BY {order} LIMIT ?",
        (*where.params, limit),
    )


def _page(rows: list[sqlite3.Row], limit: int) -> Page:
    kept = rows[:limit]
    last = Position(int(kept[-1]["created"]), int(kept[-1]["seq"])) if kept else None
    return Page([json.loads(row["doc"]) for row in kept], len(rows) > limit, last)


def idempotent_response(
    conn: sqlite3.Connection, key: str, fingerprint: str
) -> dict[str, Any] | None:
    """The stored response of an earlier request with this key, if any.

    Raises `IdempotencyKeyReused` when the key was first used for a different request.
    """
    conn.execute(IDEMPOTENCY_SCHEMA)
    row = conn.execute(
        "SELECT fingerprint, response FROM stripe_idempotency_keys WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    if row["fingerprint"] != fingerprint:
        raise IdempotencyKeyReused(key)
    response: dict[str, Any] = json.loads(row["response"])
    return response


def remember_response(
    conn: sqlite3.Connection, key: str, fingerprint: str, response: dict[str, Any]
) -> None:
    conn.execute(IDEMPOTENCY_SCHEMA)
    conn.execute(
        "INSERT INTO stripe_idempotency_keys (key, fingerprint, response) VALUES (?, ?, ?)",
        (key, fingerprint, dumps(response)),
    )


class IdempotencyKeyReused(Exception):
    """An idempotency key sent again with different parameters."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

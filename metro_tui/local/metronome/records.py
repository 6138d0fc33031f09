"""Constants, ids and look-ups shared by the local Metronome API's writers and routes."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from metro_tui.local import clock
from metro_tui.local.config import BackendConfig
from metro_tui.local.db import Database
from metro_tui.local.errors import ApiError

if TYPE_CHECKING:  # the writers, which the seed uses too, need no web framework
    from fastapi import Request

# Metronome's USD credit type: every amount the local backend stores is in its cents.
USD_CREDIT_TYPE_ID = "2714e483-4ff1-48e4-9e25-ac732e8f24f2"
USD_CREDIT_TYPE: dict[str, str] = {"id": USD_CREDIT_TYPE_ID, "name": "USD (cents)"}
CREATED_BY = "metro-tui local backend"

DeliveryMethod = Literal["direct_to_billing_provider", "aws_sqs", "tackle", "aws_sns"]
DELIVERY_METHODS: tuple[DeliveryMethod, ...] = (
    "direct_to_billing_provider",
    "aws_sqs",
    "tackle",
    "aws_sns",
)
# The account's delivery methods have fixed ids, as one Metronome account's would.
DELIVERY_METHOD_NAMESPACE = uuid.UUID("0c0a3f55-8f4e-4d8b-b1a9-5d1f6c2e7a10")
TABLES = frozenset(
    {"customers", "billing_configurations", "products", "rate_cards", "contracts", "invoices"}
)


def new_id(explicit: str | None) -> str:
    return explicit if explicit is not None else str(uuid.uuid4())


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else clock.iso(moment)


def derived_id(parent_id: str, path: str) -> str:
    """A stable id for the child at `path` of the record `parent_id`."""
    return str(uuid.uuid5(uuid.UUID(parent_id), path))


def delivery_method_id(method: str) -> str:
    return str(uuid.uuid5(DELIVERY_METHOD_NAMESPACE, method))


def delivery_method_by_id(method_id: str) -> DeliveryMethod | None:
    return next((m for m in DELIVERY_METHODS if delivery_method_id(m) == method_id), None)


def load_doc(conn: sqlite3.Connection, table: str, record_id: str) -> dict[str, Any] | None:
    """The stored document of `table` with id `record_id`, if any."""
    if table not in TABLES:
        raise ValueError(f"not a document table: {table}")
    row = conn.execute(f"SELECT doc FROM {table} WHERE id = ?", (record_id,)).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def find_customer(conn: sqlite3.Connection, id_or_alias: str) -> dict[str, Any] | None:
    """The customer a usage event names, by Metronome id or ingest alias."""
    row = conn.execute(
        "SELECT doc FROM customers WHERE id = ? OR id = "
        "(SELECT customer_id FROM customer_aliases WHERE alias = ?)",
        (id_or_alias, id_or_alias),
    ).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def product_docs(
    conn: sqlite3.Connection, product_ids: list[str], field: str
) -> dict[str, dict[str, Any]]:
    """The products named in a request, by id; an unknown one is a 400 naming `field`."""
    found: dict[str, dict[str, Any]] = {}
    for product_id in dict.fromkeys(product_ids):
        doc = load_doc(conn, "products", product_id)
        if doc is None:
            raise ApiError(400, f"{field}: unknown product_id {product_id}")
        found[product_id] = doc
    return found


def product_ref(product: dict[str, Any]) -> dict[str, str]:
    """The `{id, name}` a contract shows for a product."""
    return {"id": product["id"], "name": product["current"]["name"]}


def backend_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def backend_now(request: Request) -> datetime:
    """The backend's "now": noon UTC of its configured day, else the wall clock."""
    config: BackendConfig = request.app.state.config
    return clock.now(config.today)


def require_customer(db: Database, customer_id: str) -> dict[str, Any]:
    """The customer a request is about; 404 when there is none, as upstream."""
    docs = db.docs("SELECT doc FROM customers WHERE id = ?", (customer_id,))
    if not docs:
        raise ApiError(404, f"customer {customer_id} not found")
    return docs[0]

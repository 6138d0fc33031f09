"""Usage events: store a batch, flagging each event Metronome would call a duplicate."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from metro_tui.local.clock import iso
from metro_tui.local.db import dumps
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.records import find_customer
from metro_tui.local.metronome.schemas import UsageEvent, validation_message

# Metronome flags an event whose transaction_id it accepted in the previous 34 days.
DUPLICATE_WINDOW = timedelta(days=34)
EVENT_BATCH = TypeAdapter(list[UsageEvent])
EVENT_NAMESPACE = uuid.UUID("4b7f5b0e-5a41-4c1e-9d0c-2f9a51f3f0a7")


def insert_usage_events(
    conn: sqlite3.Connection, *, events: list[dict[str, Any]], received_at: datetime
) -> list[bool]:
    """Store every event, flagging as duplicate each whose transaction_id was accepted (not
    itself a duplicate) within `DUPLICATE_WINDOW` before `received_at`."""
    try:
        parsed = EVENT_BATCH.validate_python(events)
    except ValidationError as error:
        raise ApiError(400, validation_message(error)) from None
    received = iso(received_at)
    window_start = iso(received_at - DUPLICATE_WINDOW)
    flags: list[bool] = []
    for event in parsed:
        accepted = conn.execute(
            "SELECT 1 FROM usage_events WHERE transaction_id = ? AND is_duplicate = 0 "
            "AND received_at BETWEEN ? AND ?",
            (event.transaction_id, window_start, received),
        ).fetchone()
        flags.append(accepted is not None)
        doc = _event_doc(conn, event, received, is_duplicate=accepted is not None)
        conn.execute(
            "INSERT INTO usage_events (transaction_id, customer_id, event_type, timestamp, "
            "received_at, is_duplicate, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event.transaction_id,
                event.customer_id,
                event.event_type,
                doc["timestamp"],
                received,
                int(doc["is_duplicate"]),
                dumps(doc),
            ),
        )
    return flags


def _event_doc(
    conn: sqlite3.Connection, event: UsageEvent, received: str, *, is_duplicate: bool
) -> dict[str, Any]:
    """An events/search item; its id is derived from the transaction and its arrival."""
    (copies,) = conn.execute(
        "SELECT COUNT(*) FROM usage_events WHERE transaction_id = ?", (event.transaction_id,)
    ).fetchone()
    doc: dict[str, Any] = {
        "id": str(uuid.uuid5(EVENT_NAMESPACE, json.dumps([event.transaction_id, copies]))),
        "transaction_id": event.transaction_id,
        "customer_id": event.customer_id,
        "event_type": event.event_type,
        "timestamp": iso(event.timestamp),
        "properties": event.properties,
        "is_duplicate": is_duplicate,
        "processed_at": received,
    }
    customer = find_customer(conn, event.customer_id)
    if customer is not None:
        doc["matched_customer"] = {"id": customer["id"], "name": customer["name"]}
    return doc

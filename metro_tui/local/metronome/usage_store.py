"""Usage events: store a batch, flagging each event Metronome would call a duplicate.

The ingest endpoint (which validates each batch first) and the demo seed share `UsageWriter`,
which builds every stored row in Python and writes a batch with one `executemany`. The
endpoint loads what the data file knows of the batch's transaction ids first; the seed, which
starts from an empty file and is its only writer, keeps one writer for all its batches and
never has to ask the data file.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from json.encoder import encode_basestring_ascii as json_string
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.db import dumps
from metro_tui.local.metronome.records import find_customer

# Metronome flags an event whose transaction_id it accepted in the previous 34 days.
DUPLICATE_WINDOW = timedelta(days=34)
EVENT_NAMESPACE = uuid.UUID("4b7f5b0e-5a41-4c1e-9d0c-2f9a51f3f0a7")
# The SHA-1 of the namespace, which every event id's digest starts from.
NAMESPACE_SHA1 = hashlib.sha1(EVENT_NAMESPACE.bytes)
# A hex digit with its top two bits set to the RFC 4122 variant (10), as `uuid5` sets them.
VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}
INSERT_EVENT = (
    "INSERT INTO usage_events (transaction_id, customer_id, event_type, timestamp, "
    "received_at, is_duplicate, doc) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
EventRow = tuple[str, str, str, str, str, int, str]


class UsageWriter:
    """Stores batches of valid events, knowing every stored copy of each transaction id and
    each customer an event names."""

    def __init__(self) -> None:
        # transaction id -> (received_at, accepted rather than flagged) of each stored copy
        self._copies: dict[str, list[tuple[str, bool]]] = {}
        # customer id or alias -> its JSON string, and the event's `"matched_customer":{...},`
        # member (or "")
        self._customers: dict[str, tuple[str, str]] = {}
        # event type -> its JSON string: a few types name every event
        self._event_types: dict[str, str] = {}

    def load_transactions(self, conn: sqlite3.Connection, transaction_ids: Iterable[str]) -> None:
        """Learn what the data file already holds of these transaction ids."""
        rows = conn.execute(
            "SELECT transaction_id, received_at, is_duplicate FROM usage_events "
            "WHERE transaction_id IN (SELECT value FROM json_each(?)) ORDER BY seq",
            (json.dumps(list(transaction_ids)),),
        )
        for transaction_id, received, is_duplicate in rows:
            self._copies.setdefault(transaction_id, []).append((received, not is_duplicate))

    def write(
        self,
        conn: sqlite3.Connection,
        events: Iterable[tuple[str, str, str, str, str]],
        received_at: datetime,
    ) -> list[bool]:
        """Store events given as (transaction_id, customer_id, event_type, timestamp as
        `clock.iso` writes it, properties as `properties_json` writes them); the duplicate
        flag of each, in order."""
        rows = self.rows(conn, events, received_at)
        conn.executemany(INSERT_EVENT, rows)
        return [bool(row[5]) for row in rows]

    def know_customers(self, conn: sqlite3.Connection, ids_or_aliases: Iterable[str]) -> None:
        """Look these customers up now, so that `rows` for events naming only them never
        reads the data file."""
        for id_or_alias in ids_or_aliases:
            if id_or_alias not in self._customers:
                self._customers[id_or_alias] = _customer_members(conn, id_or_alias)

    def rows(
        self,
        conn: sqlite3.Connection | None,
        events: Iterable[tuple[str, str, str, str, str]],
        received_at: datetime,
    ) -> list[EventRow]:
        """The rows `write` stores for these events (`INSERT_EVENT`'s parameters), counted
        as stored: the next call flags their transaction ids as seen. `conn` may be None
        when `know_customers` was told every customer the events name."""
        received = iso(received_at)
        window_start = iso(received_at - DUPLICATE_WINDOW)
        # The document's members after the customer's, the same for every event of the batch.
        processed = f'"processed_at":"{received}","properties":'
        all_copies = self._copies
        customers = self._customers
        event_types = self._event_types
        rows: list[EventRow] = []
        append = rows.append
        for transaction_id, customer_id, event_type, timestamp, properties in events:
            copies = all_copies.get(transaction_id)
            if copies is None:
                copies = all_copies[transaction_id] = []
                is_duplicate = False
            else:
                is_duplicate = any(
                    accepted and window_start <= at <= received for at, accepted in copies
                )
            members = customers.get(customer_id)
            if members is None:
                if conn is None:
                    raise LookupError(f"no customer {customer_id!r} was looked up first")
                members = customers[customer_id] = _customer_members(conn, customer_id)
            quoted_type = event_types.get(event_type)
            if quoted_type is None:
                quoted_type = event_types[event_type] = json_string(event_type)
            quoted_transaction = json_string(transaction_id)
            # The document as `dumps` writes it (compact, keys in order), put together
            # directly: a usage event is most of the data file, and this is several times
            # faster than encoding a dict per event.
            doc = (
                f'{{"customer_id":{members[0]},"event_type":{quoted_type},'
                f'"id":"{_event_id(quoted_transaction, len(copies))}",'
                f'"is_duplicate":{"true" if is_duplicate else "false"},'
                f"{members[1]}{processed}{properties},"
                f'"timestamp":{json_string(timestamp)},'
                f'"transaction_id":{quoted_transaction}}}'
            )
            copies.append((received, not is_duplicate))
            append(
                (
                    transaction_id,
                    customer_id,
                    event_type,
                    timestamp,
                    received,
                    int(is_duplicate),
                    doc,
                )
            )
        return rows


def _customer_members(conn: sqlite3.Connection, id_or_alias: str) -> tuple[str, str]:
    """What an event's document says of the customer it names: the id or alias as a JSON
    string, and the `matched_customer` member (`{id, name}` of the customer found) with the
    comma after it, "" when no customer has that id or alias."""
    found = find_customer(conn, id_or_alias)
    if found is None:
        return json_string(id_or_alias), ""
    matched = dumps({"id": found["id"], "name": found["name"]})
    return json_string(id_or_alias), f'"matched_customer":{matched},'


def properties_json(value: dict[str, Any]) -> str:
    """`dumps(value)` for an event's properties, quicker for an object of strings, numbers,
    booleans and nulls (most events' properties); anything else goes to `dumps`."""
    members = []
    for key in sorted(value):
        item = value[key]
        kind = type(item)
        if kind is str:
            text = json_string(item)
        elif kind is int:
            text = int.__repr__(item)
        elif kind is float and math.isfinite(item):
            text = float.__repr__(item)
        elif kind is bool:
            text = "true" if item else "false"
        elif item is None:
            text = "null"
        else:
            return dumps(value)
        members.append(f"{json_string(key)}:{text}")
    return "{" + ",".join(members) + "}"


def event_id(transaction_id: str, copies: int) -> str:
    """An events/search item's id: derived from the transaction and how many copies precede.

    `uuid.uuid5(EVENT_NAMESPACE, json.dumps([transaction_id, copies]))`, worked out directly:
    every stored event needs one, and `uuid5` builds two UUID objects for it.
    """
    return _event_id(json_string(transaction_id), copies)


def _event_id(quoted_transaction: str, copies: int) -> str:
    """`event_id` of the transaction id given as its JSON string."""
    digest = NAMESPACE_SHA1.copy()
    digest.update(f"[{quoted_transaction}, {copies}]".encode())
    text = digest.hexdigest()
    # The first 16 bytes, with the version digit set to 5 and the variant bits to RFC 4122's.
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{VARIANT[text[16]]}{text[17:20]}-{text[20:32]}"

"""SQLite storage for the local backend.

Every resource is stored as the exact JSON document the API returns (`doc`), next to the few
columns the endpoints filter, sort or page on. Routes read `doc` back verbatim, so the seed and
the write endpoints only have to agree on the public API shapes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
"""Kept in `PRAGMA user_version`; `upgrade` brings a file written by an older version up to it."""

TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Metronome
CREATE TABLE IF NOT EXISTS customers (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    archived_at TEXT,
    doc         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customer_aliases (
    alias       TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS billing_configurations (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT NOT NULL UNIQUE,
    customer_id        TEXT NOT NULL,
    billing_provider   TEXT NOT NULL,
    stripe_customer_id TEXT,
    archived_at        TEXT,
    doc                TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS billing_configurations_customer
    ON billing_configurations (customer_id);
CREATE TABLE IF NOT EXISTS products (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    archived_at TEXT,
    doc         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_cards (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    id   TEXT NOT NULL UNIQUE,
    doc  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rates (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    rate_card_id TEXT NOT NULL,
    product_id   TEXT NOT NULL,
    starting_at  TEXT NOT NULL,
    ending_before TEXT,
    doc          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rates_rate_card ON rates (rate_card_id);
CREATE TABLE IF NOT EXISTS contracts (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    customer_id    TEXT NOT NULL,
    starting_at    TEXT NOT NULL,
    ending_before  TEXT,
    archived_at    TEXT,
    uniqueness_key TEXT,
    doc            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contracts_customer ON contracts (customer_id);
CREATE UNIQUE INDEX IF NOT EXISTS contracts_uniqueness
    ON contracts (customer_id, uniqueness_key) WHERE uniqueness_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS invoices (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    customer_id     TEXT NOT NULL,
    status          TEXT NOT NULL,
    start_timestamp TEXT NOT NULL,
    end_timestamp   TEXT NOT NULL,
    doc             TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS usage_events (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL,
    customer_id    TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    timestamp      TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    is_duplicate   INTEGER NOT NULL,
    doc            TEXT NOT NULL
);
-- Stripe
CREATE TABLE IF NOT EXISTS stripe_customers (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    id      TEXT NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    name    TEXT,
    email   TEXT,
    doc     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stripe_customers_created ON stripe_customers (created DESC, seq DESC);
CREATE INDEX IF NOT EXISTS stripe_customers_email ON stripe_customers (email);
CREATE TABLE IF NOT EXISTS stripe_idempotency_keys (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    response    TEXT NOT NULL
);
"""
USAGE_EVENT_INDEXES = """
CREATE INDEX IF NOT EXISTS usage_events_transaction ON usage_events (transaction_id);
CREATE INDEX IF NOT EXISTS usage_events_received ON usage_events (received_at);
"""
# The indexes of the largest tables, which a bulk load builds once at its end, in one sort each,
# instead of updating them row by row (unless the loader built them earlier: the seed keeps the
# usage events' up to date on the thread that stores them, see `seed.day_store`).
BULK_INDEXES = (
    """
CREATE INDEX IF NOT EXISTS invoices_customer ON invoices (customer_id, end_timestamp);"""
    + USAGE_EVENT_INDEXES
)
SCHEMA = TABLES + BULK_INDEXES


def connect(path: Path | str, *, bulk_load: bool = False) -> sqlite3.Connection:
    """Open the data file in WAL mode; `check_same_thread` is off because uvicorn's worker
    threads share one connection guarded by `Database.lock`.

    `bulk_load` opens a new file that one writer fills and `finish_bulk_load` completes, for a
    file that nobody uses until then (see `seed.data_file`): no journal, no waiting for the
    disk, and the largest indexes built at the end.
    """
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    # Documents are ~2 KB; 16 KB pages pack several per page (a new file only; ignored after).
    conn.execute("PRAGMA page_size = 16384")
    if bulk_load:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
    else:
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL makes every committed transaction durable across a kill or power loss.
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(TABLES if bulk_load else SCHEMA)
    upgrade(conn)
    return conn


def finish_bulk_load(conn: sqlite3.Connection) -> None:
    """Give a bulk-loaded file what `connect` gives every other: its indexes and WAL mode."""
    conn.executescript(BULK_INDEXES)
    conn.execute("PRAGMA journal_mode=WAL")


def upgrade(conn: sqlite3.Connection) -> None:
    """Add the fields that a data file from an older version lacks, so its documents still
    match the published API: version 2 made `customer_config.salesforce_account_id` and a
    billing configuration's `archived_at` always present (null when unset)."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "UPDATE customers SET doc = json_set(doc, '$.customer_config.salesforce_account_id', "
        "json_extract(doc, '$.customer_config.salesforce_account_id'))"
    )
    conn.execute(
        "UPDATE billing_configurations SET doc = json_set(doc, '$.archived_at', archived_at)"
    )
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")


class Database:
    """One SQLite connection shared by the server; every write is one transaction."""

    def __init__(self, path: Path | str, *, bulk_load: bool = False) -> None:
        self.path = Path(path)
        self.conn = connect(self.path, bulk_load=bulk_load)
        self.lock = threading.RLock()

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return list(self.conn.execute(sql, params).fetchall())

    def query_one(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> sqlite3.Row | None:
        with self.lock:
            row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
            return row

    def docs(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a query selecting `doc`, decoded."""
        return [json.loads(row["doc"]) for row in self.query(sql, params)]

    def is_empty(self) -> bool:
        return self.query_one("SELECT 1 FROM customers LIMIT 1") is None and (
            self.query_one("SELECT 1 FROM stripe_customers LIMIT 1") is None
        )

    def get_meta(self, key: str) -> str | None:
        row = self.query_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


# One encoder for every document: `json.dumps` with options builds a new one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def dumps(doc: Any) -> str:
    """Compact, key-ordered JSON, so stored documents are byte-stable."""
    return _ENCODER.encode(doc)

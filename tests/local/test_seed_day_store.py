"""The seed's usage events stored on a second thread: in order, a day per transaction, and a
failure there stops the seed."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import pytest

from metro_tui.local.db import USAGE_EVENT_INDEXES, Database
from metro_tui.local.metronome.usage_store import EventRow
from metro_tui.local.seed.day_store import ROWS_PER_STATEMENT, DayStore


class Stopped(Exception):
    pass


def day_rows(day: int, count: int) -> list[EventRow]:
    received = f"2026-11-{day:02d}T00:59:59.000Z"
    return [
        (f"tx-{day}-{n}", "cust-1", "api_request", received, received, 0, "{}")
        for n in range(count)
    ]


def stored_transactions(db: Database) -> list[str]:
    return [row[0] for row in db.query("SELECT transaction_id FROM usage_events ORDER BY seq")]


def test_days_are_stored_in_order_and_each_told_once_committed(tmp_path: Path) -> None:
    db = Database(tmp_path / "data.sqlite3")
    told: list[tuple[int, list[str]]] = []

    def tell(day: int) -> None:
        told.append((day, stored_transactions(db)))

    with DayStore(db) as store:
        for day in (1, 2, 3):
            # What is committed when a day is told: that day and every day before it.
            store.store(day_rows(day, day), partial(tell, day))

    expected = [f"tx-{day}-{n}" for day in (1, 2, 3) for n in range(day)]
    assert stored_transactions(db) == expected
    assert told == [(1, expected[:1]), (2, expected[:3]), (3, expected)]
    db.close()


def test_a_day_of_more_rows_than_a_statement_holds_is_stored_whole_and_in_order(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "data.sqlite3")
    count = 2 * ROWS_PER_STATEMENT + 3

    with DayStore(db) as store:
        store.store(day_rows(1, count), lambda: None)

    assert stored_transactions(db) == [f"tx-1-{n}" for n in range(count)]
    (row,) = db.query("SELECT * FROM usage_events WHERE transaction_id = 'tx-1-2002'")
    assert tuple(row) == (2003, "tx-1-2002", "cust-1", "api_request", *day_rows(1, 1)[0][3:])
    db.close()


def test_a_failure_on_the_store_thread_is_raised_and_nothing_after_it_is_stored(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "data.sqlite3")

    def fail() -> None:
        raise Stopped

    with pytest.raises(Stopped), DayStore(db) as store:
        store.store(day_rows(1, 2), lambda: None)
        store.store(day_rows(2, 1), fail)
        store.store(day_rows(3, 4), lambda: None)

    assert stored_transactions(db) == ["tx-1-0", "tx-1-1", "tx-2-0"]
    db.close()


def test_the_first_statements_run_on_the_thread_before_the_first_day(tmp_path: Path) -> None:
    db = Database(tmp_path / "data.sqlite3", bulk_load=True)

    with DayStore(db, first=USAGE_EVENT_INDEXES) as store:
        store.store(day_rows(1, 2), lambda: None)

    indexes = db.query("SELECT name FROM sqlite_master WHERE tbl_name = 'usage_events'")
    assert sorted(row[0] for row in indexes if row[0].startswith("usage_events_")) == [
        "usage_events_received",
        "usage_events_transaction",
    ]
    assert stored_transactions(db) == ["tx-1-0", "tx-1-1"]
    db.close()


def test_a_failure_of_the_first_statements_is_raised_and_no_day_is_stored(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "data.sqlite3", bulk_load=True)

    with pytest.raises(sqlite3.OperationalError), DayStore(db, first="CREATE NONSENSE") as store:
        store.store(day_rows(1, 2), lambda: None)

    assert stored_transactions(db) == []
    db.close()

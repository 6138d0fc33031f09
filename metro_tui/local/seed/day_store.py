"""Storing the seed's usage events a day at a time on a second thread, while the main thread
draws the next day: SQLite's inserts run without holding Python's interpreter lock, so the two
overlap on a machine with a spare core.

Each statement inserts many rows (`INSERT ... VALUES (...), (...), ...`). With one row per
statement (`executemany`) the thread gave up the lock around every row and then waited for
the drawing thread to hand it back, up to Python's switch interval (5 ms) each time: the
inserts barely ran while the next day was drawn. One statement per thousand rows takes the
lock back once per thousand rows.

The thread has time to spare (drawing a day takes the main thread several times longer than
storing it), so it also keeps the usage events' indexes up to date as it stores them: built
in one sort after the last day, they were the main thread's last tenth of a second or more of
work, with nothing to overlap them.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable
from itertools import chain
from types import TracebackType

from metro_tui.local.db import Database
from metro_tui.local.metronome.usage_store import INSERT_EVENT, EventRow

Stored = Callable[[], None]  # told once a day's rows are committed (the seed's progress)
ROWS_PER_STATEMENT = 1_000  # 7,000 parameters, well under SQLite's limit of 32,766


class DayStore:
    """Each `store` call's rows in a transaction of their own, in order, on one thread that is
    the only user of the connection meanwhile. A failure there (or in `stored`) is raised by
    the next `store`, or on leaving the `with` block."""

    def __init__(self, db: Database, first: str = "") -> None:
        """`first`: SQL statements run on the thread before it stores the first day."""
        self._db = db
        self._first = first
        # One day waiting while one is written: drawing never runs far ahead of the disk.
        self._days: queue.Queue[tuple[list[EventRow], Stored] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="seed-usage-store", daemon=True)

    def __enter__(self) -> DayStore:
        self._thread.start()
        return self

    def store(self, rows: list[EventRow], stored: Stored) -> None:
        self._raise_failure()
        self._days.put((rows, stored))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._days.put(None)
        self._thread.join()
        if kind is None:
            self._raise_failure()

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            if self._first:
                with self._db.lock:
                    self._db.conn.executescript(self._first)
        except BaseException as failure:
            self._error = failure
        while (day := self._days.get()) is not None:
            if self._error is not None:
                continue  # drain, so the main thread never waits on a full queue
            rows, stored = day
            try:
                with self._db.transaction() as conn:
                    for start in range(0, len(rows), ROWS_PER_STATEMENT):
                        some = rows[start : start + ROWS_PER_STATEMENT]
                        conn.execute(insert_rows(len(some)), list(chain.from_iterable(some)))
                stored()
            except BaseException as failure:
                self._error = failure


@functools.lru_cache(maxsize=8)
def insert_rows(count: int) -> str:
    """`INSERT_EVENT` for `count` rows in one statement, their parameters one after another."""
    head, values = INSERT_EVENT.split(" VALUES ")
    return f"{head} VALUES {', '.join([values] * count)}"

"""The widget side of the Customers-table benchmarks: `python -m benchmarks.customer_table_app`.

Loads a cached snapshot as the app does, derives the customer rows, and shows them in a
headless app holding nothing but the CustomerTable; prints one JSON line with the time to
the first painted row, the longest event-loop stall while the rows are shown, sorted and
filtered, the time of each sort and filter keystroke (to the next painted line; for a
keystroke also to every match counted) and the process's peak RSS.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from datetime import time as day_time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.strip import Strip

from benchmarks.loop_lag import LoopLagProbe
from benchmarks.memory import peak_rss_kb
from metro_tui.customer_columns import CustomerColumn
from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.collector import collector_paused, freeze_live_objects
from metro_tui.view_models import CustomerRow, customer_rows
from metro_tui.widgets.customer_table import CustomerTable

SCREEN = (160, 48)
SETTLE_S = 0.3
"""How long the loop is watched after the first rows appear, for work deferred past it."""
DEADLINE_S = 30.0
TYPED_CHARACTERS = 6
KEY_INTERVAL_S = 0.1
"""Between two keys (sorts and filter keystrokes): a fast typist's pace. Textual paints at
most once per 1/60 s; keys pressed faster than that would be timed partly waiting for it."""


class ObservedTable(CustomerTable):
    """The table, noting when it last drew a line of the body (the rows, or "no rows") from
    the rows last given to `show` (not while they are being indexed)."""

    body_drawn_at = 0.0

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if y > 0 and not self.replacing:
            self.body_drawn_at = time.perf_counter()
        return strip


class TableHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ObservedTable()


async def _drawn_since(table: ObservedTable, moment: float) -> float:
    """Seconds from `moment` until the table next draws its body."""
    deadline = time.perf_counter() + DEADLINE_S
    while table.body_drawn_at <= moment:
        if time.perf_counter() > deadline:
            raise RuntimeError("the table never redrew")
        await asyncio.sleep(0.0005)
    return table.body_drawn_at - moment


async def _keys(table: ObservedTable, keys: Sequence[Callable[[], None]]) -> list[float]:
    """Seconds from each key's action to the next drawn line; keys `KEY_INTERVAL_S` apart."""
    latencies = []
    for key in keys:
        await asyncio.sleep(KEY_INTERVAL_S)
        pressed = time.perf_counter()
        key()
        latencies.append(await _drawn_since(table, pressed))
    return latencies


async def _typed(table: ObservedTable, search: str) -> tuple[list[float], list[float]]:
    """Seconds from each filter key (the search typed a letter at a time, `KEY_INTERVAL_S`
    apart) to the next drawn line, and to every match counted (the table finds the first
    screen's matches at once, the rest between frames)."""
    drawn, counted = [], []
    for typed in range(1, len(search) + 1):
        await asyncio.sleep(KEY_INTERVAL_S)
        pressed = time.perf_counter()
        table.filter(search[:typed])
        drawn.append(await _drawn_since(table, pressed))
        deadline = pressed + DEADLINE_S
        while table.filtering:
            if time.perf_counter() > deadline:
                raise RuntimeError("the filter never finished counting")
            await asyncio.sleep(0.0005)
        counted.append(time.perf_counter() - pressed)
    return drawn, counted


async def measure(rows: Sequence[CustomerRow], search: str) -> dict[str, Any]:
    app = TableHost()
    async with app.run_test(headless=True, size=SCREEN) as pilot:
        table = app.query_one(ObservedTable)
        await pilot.pause()
        probe = LoopLagProbe()
        await probe.start()
        shown = time.perf_counter()
        table.show(rows)
        first_rows_s = await _drawn_since(table, shown)
        await asyncio.sleep(SETTLE_S)
        stall_s = await probe.stop()
        # By name (its keys made on first use), reversed, then back to the default order.
        await probe.start()
        sorts = await _keys(
            table,
            [
                lambda: table.sort_by(CustomerColumn.NAME),
                table.action_reverse_sort,
                lambda: table.sort_by(CustomerColumn.DATE_CREATED),
                table.action_reverse_sort,
            ],
        )
        sort_stall_s = await probe.stop()
        await probe.start()
        keystrokes, counted = await _typed(table, search)
        filter_stall_s = await probe.stop()
        matches = table.row_count
    return {
        "first_rows_s": first_rows_s,
        "stall_s": stall_s,
        "sort_s": sorts,
        "sort_stall_s": sort_stall_s,
        "keystroke_s": keystrokes,
        "counted_s": counted,
        "filter_stall_s": filter_stall_s,
        "search": search,
        "matches": matches,
    }


def typed_search(rows: Sequence[CustomerRow]) -> str:
    """What a user might type: the start of a customer's name from the middle of the list."""
    name = rows[len(rows) // 2].name if rows else ""
    return name[:TYPED_CHARACTERS].lower()


def main(snapshot_path: str, today: str) -> None:
    now = datetime.combine(date.fromisoformat(today), day_time(12), tzinfo=UTC)
    started = time.perf_counter()
    # As `AccountStore.load_cached` does, with the same collector handling.
    with collector_paused():
        snapshot = SnapshotCache.at(Path(snapshot_path)).load().snapshot
        if snapshot is None:
            raise RuntimeError(f"{snapshot_path} is not a snapshot this version can read")
        loaded = time.perf_counter()
        rows = customer_rows(snapshot, now, include_unlinked=True)
        derived = time.perf_counter()
        freeze_live_objects()
    report = asyncio.run(measure(rows, typed_search(rows)))
    report.update(
        rows=len(rows),
        load_s=loaded - started,
        derive_rows_s=derived - loaded,
        max_rss_kb=peak_rss_kb(),
    )
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""How soon a first load completes the customer rows on screen, with the rest still loading.

The app starts headless with no cache against the backend with injected latency and the
Customers tab shown, as a user who pressed 2 at once. Every few milliseconds the benchmark
reads the rows the table has in view: a row is complete once its lifetime billings and its
provision status are in (or known to have failed). It reports when the screen is first full
of complete rows, counted from the app's start, and the longest any row stayed on screen
incomplete. It stops watching `WATCH_S` after the start: the whole load of 10,000 customers
takes minutes, which the cold-sync figures cover.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from pydantic import SecretStr

from benchmarks.backend import serve
from benchmarks.datasets import TODAY, seeded_file, working_copy
from benchmarks.network_ideal import RequestsAtLatency
from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.session.connection import open_connection
from metro_tui.sync.customer_records import CUSTOMER_RECORD_KINDS
from metro_tui.sync.engine import NEWEST_LOOKED_UP
from metro_tui.view_models import CustomerRow

TOKEN = "bench-token"
SCREEN = (160, 48)
POLL_S = 0.005
WATCH_S = 20.0


@dataclass(frozen=True)
class VisibleRowsResult:
    customers: int
    latency_ms: int
    concurrency: int
    screen_complete_s: float | None
    """From the app's start to a full screen of complete rows; None if not within WATCH_S."""
    longest_incomplete_s: float
    """The longest any row stayed on screen without its billings or status."""
    rows_in_view: int


@dataclass(frozen=True)
class VisibleRowsFloor:
    """Less than any client of these APIs through the official SDKs could take: the SDKs'
    import alone, then the screen's requests at the latency. The app's start and its frames
    share the interpreter with the import, and each request costs the client CPU; neither is
    in it."""

    sdk_import_s: float
    screen_requests: RequestsAtLatency

    @property
    def seconds(self) -> float:
        return self.sdk_import_s + self.screen_requests.seconds


_IMPORT_SDKS = """
import importlib, time
from metro_tui.session.gateways import GATEWAY_MODULES
started = time.perf_counter()
for module in GATEWAY_MODULES:
    importlib.import_module(module)
print(time.perf_counter() - started)
"""


def visible_rows_floor(rows_in_view: int, latency_ms: int, concurrency: int) -> VisibleRowsFloor:
    """The floor of a screen of `rows_in_view` rows: the SDKs' import timed in three fresh
    interpreters (median), Stripe's first page, the look-ups of the newest customers, and each
    row's records."""
    imports = [
        float(
            subprocess.run(
                [sys.executable, "-c", _IMPORT_SDKS], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    requests = 1 + NEWEST_LOOKED_UP + len(CUSTOMER_RECORD_KINDS) * rows_in_view
    return VisibleRowsFloor(median(imports), RequestsAtLatency(requests, latency_ms, concurrency))


def _complete(row: CustomerRow) -> bool:
    return not (row.billings_loading or row.status_loading)


async def _watch(app: MetroApp, started: float) -> tuple[float | None, float, int]:
    """When the screen was first full of complete rows, the longest a row stayed on screen
    incomplete, and how many rows are in view."""
    async with app.run_test(headless=True, size=SCREEN):
        app.simulate_key("2")
        # The Customers tab is composed after the first frame; this waits for that, no more.
        table = (await app.customers_pane()).table
        while not table.region:
            await asyncio.sleep(POLL_S)
        in_view = table.scrollable_content_region.height - 1
        screen_complete: float | None = None
        incomplete_since: dict[str, float] = {}
        longest = 0.0
        while (now := time.monotonic()) - started < WATCH_S:
            rows = table.rows_on_screen(SCREEN[1])
            for row in rows:
                key = row.stripe_customer_id
                if not _complete(row):
                    incomplete_since.setdefault(key, now)
                elif key in incomplete_since:
                    longest = max(longest, now - incomplete_since.pop(key))
            shown = {row.stripe_customer_id for row in rows}
            for key in incomplete_since.keys() - shown:
                del incomplete_since[key]  # scrolled out of view by newer rows
            if screen_complete is None and len(rows) == in_view and all(map(_complete, rows)):
                screen_complete = now - started
            await asyncio.sleep(POLL_S)
        for since in incomplete_since.values():
            longest = max(longest, time.monotonic() - since)
    return screen_complete, longest, in_view


def visible_rows(customers: int, latency_ms: int, concurrency: int) -> VisibleRowsResult:
    source = seeded_file(customers)
    with tempfile.TemporaryDirectory() as folder:
        data = working_copy(source, Path(folder))
        # The user's own config, keyring and cache stay out of it.
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            os.environ[variable] = str(Path(folder) / variable.lower())
        os.environ["METRO_TUI_KEYRING"] = "0"
        with serve(data, token=TOKEN, today=TODAY, latency_ms=latency_ms) as backend:
            settings = Settings(
                METRONOME_BEARER_TOKEN=SecretStr(backend.metronome_token),
                metronome_base_url=backend.metronome_url,
                STRIPE_API_KEY=SecretStr(backend.stripe_key),
                stripe_api_base=backend.stripe_url,
                today=TODAY,
                cache=Path(folder) / "cache",
                concurrency=concurrency,
            )
            started = time.monotonic()
            app = MetroApp(settings, open_connection(settings))
            complete, longest, in_view = asyncio.run(_watch(app, started))
    return VisibleRowsResult(customers, latency_ms, concurrency, complete, longest, in_view)

"""The customer page of a customer with 10 contracts and 200 invoices, opened in a headless app.

The local backend serves, in a process of its own, a seeded file with that customer added
(`local/seed/long_history.py`). Once the account has loaded, the page is opened as Enter on
the customer's row opens it; what is measured is the longest event-loop stall from then until
the page is drawn with its 200 invoice rows and every contract's products, and the time to
that frame.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from benchmarks.backend import serve
from benchmarks.datasets import TODAY, seeded_file, working_copy
from benchmarks.loop_lag import LoopLagProbe
from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.seed.long_history import add_long_history_customer
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.session.connection import open_connection
from metro_tui.widgets.contracts_panel import ContractsPanel
from metro_tui.widgets.invoice_table import InvoiceTable

CUSTOMERS = 150
"""The demo data's size; the long-history customer is added to it."""
TOKEN = "bench-token"
SCREEN = (120, 40)
DEADLINE_S = 120.0
POLL_S = 0.001
IDLE_S = 1.0
"""From the account loaded to the page opened."""


@dataclass(frozen=True)
class PageResult:
    invoices: int
    contracts: int
    drawn_s: float
    """From the open to the first frame with every invoice row and contract's products."""
    stall_s: float


def customer_page() -> PageResult:
    with tempfile.TemporaryDirectory() as folder:
        data = working_copy(seeded_file(CUSTOMERS), Path(folder))
        customer = add_long_history_customer(data, TODAY)
        with serve(data, token=TOKEN, today=TODAY) as backend:
            settings = Settings(
                METRONOME_BEARER_TOKEN=SecretStr(backend.metronome_token),
                metronome_base_url=backend.metronome_url,
                STRIPE_API_KEY=SecretStr(backend.stripe_key),
                stripe_api_base=backend.stripe_url,
                today=TODAY,
                cache=str(Path(folder) / "cache"),
            )
            return asyncio.run(_measure(settings, customer.stripe_customer_id))


async def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} never happened")
        await asyncio.sleep(POLL_S)


async def _next_frame(app: MetroApp) -> float:
    drawn = asyncio.Event()
    app.call_after_refresh(drawn.set)
    await drawn.wait()
    return time.perf_counter()


async def _measure(settings: Settings, stripe_customer_id: str) -> PageResult:
    app = MetroApp(settings, open_connection(settings))
    async with app.run_test(headless=True, size=SCREEN):
        await _until(lambda: app.store.account is not None, "the account load")
        await app.workers.wait_for_complete()
        # A user reads the list before pressing Enter: what the app does once the account is
        # in (the screens imported aside, the customer page's stylesheets parsed) is done.
        await asyncio.sleep(IDLE_S)
        row = next(r for r in app.store.rows if r.stripe_customer_id == stripe_customer_id)
        probe = LoopLagProbe()
        await probe.start()
        opened = time.perf_counter()
        app.open_customer(row)
        await _until(lambda: isinstance(app.screen, CustomerDetailScreen), "the page push")
        screen = app.screen

        def complete() -> bool:
            panels = list(screen.query(ContractsPanel))  # none until the screen is composed
            cards = panels[0].cards if panels else ()
            tables = list(screen.query(InvoiceTable))
            loaded = all(card.products is not None and card.terms is not None for card in cards)
            return bool(cards) and loaded and bool(tables) and tables[0].row_count > 0

        await _until(complete, "the complete page")
        drawn = await _next_frame(app) - opened
        stall = await probe.stop()
        return PageResult(
            invoices=screen.query_one(InvoiceTable).row_count,
            contracts=len(screen.query_one(ContractsPanel).cards),
            drawn_s=drawn,
            stall_s=stall,
        )

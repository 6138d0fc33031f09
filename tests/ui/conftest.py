"""The app as UI tests build it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.session.connection import open_connection
from tests.ui.keyboard import filter_customers


def make_app(settings: Settings, data_file: Path) -> MetroApp:
    """The app as `metro-tui` builds it, connected to the local backend over `data_file`."""
    return MetroApp(settings, open_connection(settings, local_data=data_file))


async def open_customer_page(pilot: Pilot[Any], stripe_id: str) -> None:
    """Find the customer by its Stripe id in the Customers filter and open its page, loaded."""
    await pilot.app.workers.wait_for_complete()
    await filter_customers(pilot, stripe_id)
    await pilot.press("enter", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()

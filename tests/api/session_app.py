"""`python -m tests.api.session_app`: start the app headless on the stored credentials (or the
demo data when there are none), wait for the load and its cache write, then quit."""

from __future__ import annotations

import asyncio

from metro_tui.app import MetroApp
from metro_tui.cli import connected
from metro_tui.config import load_settings


async def start_load_and_quit() -> None:
    with connected(load_settings()) as (settings, connection):
        app = MetroApp(settings, connection)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("q")


if __name__ == "__main__":
    asyncio.run(start_load_and_quit())

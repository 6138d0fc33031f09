"""The app side of the warm-start benchmark: `python -m benchmarks.warm_start_app SETTINGS`.

Starts MetroApp headless over a prepared cache and prints, as one JSON line, the moments
(`time.monotonic()`, which on Linux is one clock for every process) at which the imports
were done, the exact total revenue was first written out in a frame, the Overview and
Customers were populated from the cache and painted, and the Customers tab was shown. The
parent took its own reading just before starting this process.

The first figures are timed as a terminal would meet them: the app renders every frame into
the text a terminal is sent (`frame_recorder.py`), and the moment is that of the first frame
whose text holds the total. Polling the label and then waiting for the frame after it, as
this once did, timed a later frame: the one after the Customers tab was composed, 0.1 to
0.15 s after the frame that first showed the total.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()

from metro_tui.sync.collector import pause_until_first_frame  # noqa: E402

pause_until_first_frame()  # as `metro-tui` does before it imports the app

import asyncio  # noqa: E402  (the imports are part of what is measured)
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from datetime import date  # noqa: E402

from benchmarks.frame_recorder import FrameRecorder  # noqa: E402
from benchmarks.memory import peak_rss_kb  # noqa: E402
from metro_tui.app import MetroApp  # noqa: E402
from metro_tui.session.connection import open_connection  # noqa: E402
from metro_tui.start_settings import load_start_settings  # noqa: E402
from metro_tui.widgets.stat_card import LOADING, StatCard  # noqa: E402

IMPORTED = time.monotonic()
POLL_S = 0.001
DEADLINE_S = 60.0
SCREEN = (160, 48)


async def next_frame(app: MetroApp) -> float:
    """The moment the screen has been refreshed with everything asked of it so far."""
    drawn = asyncio.Event()
    app.call_after_refresh(drawn.set)
    await drawn.wait()
    return time.monotonic()


async def measure(app: MetroApp, total_revenue: str) -> dict[str, float]:
    recorder = FrameRecorder.looking_for(total_revenue)
    app.driver_class = recorder
    async with app.run_test(headless=False, size=SCREEN):
        try:
            await asyncio.wait_for(recorder.seen.wait(), DEADLINE_S)
        except TimeoutError:
            raise RuntimeError("the total revenue was never shown") from None
        first_figures = recorder.seen_at
        if app.query_one("#total-revenue", StatCard).value == LOADING:
            raise RuntimeError("the total revenue was shown, then replaced by Loading…")
        deadline = time.monotonic() + DEADLINE_S
        # The Customers tab is composed after the first frame; this waits for that, no more.
        table = (await app.customers_pane()).table
        while app.snapshot is None or table.total_count == 0:
            if time.monotonic() > deadline:
                raise RuntimeError("the cached snapshot was never shown")
            await asyncio.sleep(POLL_S)
        populated = await next_frame(app)
        pressed = time.monotonic()
        # As if the user pressed "2"; Pilot's press would also wait for the app to go idle,
        # which it does not while the background refresh runs.
        app.simulate_key("2")
        while not table.region:
            await asyncio.sleep(POLL_S)
        customers_shown = await next_frame(app)
        rows = table.row_count
    return {
        "started": STARTED,
        "imported": IMPORTED,
        "first_figures": first_figures,
        "populated": populated,
        "pressed": pressed,
        "customers_shown": customers_shown,
        "rows": rows,
        "max_rss_kb": peak_rss_kb(),
    }


def main(settings_json: str) -> None:
    given = json.loads(settings_json)
    # As `metro-tui` reads its settings: these come from its flags and environment.
    os.environ.update(
        {
            "METRONOME_BEARER_TOKEN": given["metronome_token"],
            "STRIPE_API_KEY": given["stripe_key"],
            "METRO_TUI_CACHE_DIR": given["cache_root"],
            "METRO_TUI_KEYRING": "0",
        }
    )
    settings = load_start_settings(
        metronome_base_url=given["metronome_url"],
        stripe_api_base=given["stripe_url"],
        today=date.fromisoformat(given["today"]),
    )
    app = MetroApp(settings, open_connection(settings))
    print(json.dumps(asyncio.run(measure(app, given["total"]))), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

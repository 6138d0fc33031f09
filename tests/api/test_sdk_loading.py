"""Once the SDKs are loaded off the event loop, the first requests import nothing more on it:
the Metronome SDK imports its resources (every request and response model) only when a client
first reaches `v1` or `v2`, which would hold the loop for most of a second."""

from __future__ import annotations

import subprocess
import sys

from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TOKEN

FIRST_REQUESTS = """\
import asyncio
import sys
import threading

from metro_tui.session.gateways import load_sdks, metronome_gateway, stripe_gateway

on_the_loop = []


class Recorder:
    # Sees every import that is not cached yet; imports nothing itself.
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is threading.main_thread():
            on_the_loop.append(name)
        return None


async def main() -> None:
    await load_sdks()
    metronome = metronome_gateway(sys.argv[1], sys.argv[2])
    stripe = stripe_gateway(sys.argv[3], sys.argv[4])
    sys.meta_path.insert(0, Recorder())
    async for _page in metronome.customer_pages():
        break
    async for _page in stripe.customer_pages():
        break
    print(" ".join(on_the_loop))


asyncio.run(main())
"""


def test_the_first_requests_import_nothing_on_the_event_loop(backend: RunningBackend) -> None:
    argv = [TEST_TOKEN, backend.metronome_url, backend.stripe_key, backend.stripe_url]
    run = subprocess.run(
        [sys.executable, "-c", FIRST_REQUESTS, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [], run.stdout

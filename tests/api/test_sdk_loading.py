"""Once the SDKs are loaded off the event loop, the first requests import nothing more on it:
the Metronome SDK imports its resources (every request and response model) only when a client
first reaches `v1` or `v2`, which would hold the loop for most of a second. A start with
nothing cached begins that import before its first frame, a start with a cache after it; and
a first load sends its requests before the screens a key opens are imported."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from typing import Any

import pytest

from metro_tui import app as app_module
from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.session import gateways
from metro_tui.session.connection import open_connection
from metro_tui.store import AccountStore
from metro_tui.sync.snapshot import AccountSnapshot
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


class FirstFrame(MetroApp):
    """Notes what had been started when its first frame was drawn."""

    started: list[str]
    at_first_frame: list[str] | None = None

    def on_mount(self) -> None:
        # Textual calls this before MetroApp.on_mount: the callback runs after the first frame.
        self.call_after_refresh(self._drawn)

    def _drawn(self) -> None:
        self.at_first_frame = list(self.started)


async def _started_at_first_frame(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, *, cached: bool
) -> list[str] | None:
    started: list[str] = []
    start_loading = gateways.start_loading_sdks

    def recorded() -> None:
        started.append("SDK import")
        start_loading()

    monkeypatch.setattr(gateways, "start_loading_sdks", recorded)
    app = FirstFrame(settings, open_connection(settings))
    app.started = started
    if cached:
        # Any saved snapshot, usable or not, is read before the first request.
        cache = app.store.connection.cache.path
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("not a snapshot\n")
    async with app.run_test() as pilot:
        while app.at_first_frame is None:
            await pilot.pause()
        app.workers.cancel_all()
    return app.at_first_frame


async def test_a_start_with_nothing_cached_imports_the_sdks_while_the_first_frame_is_drawn(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _started_at_first_frame(settings, monkeypatch, cached=False) == ["SDK import"]


async def test_a_start_with_a_cache_imports_no_sdk_before_its_first_frame(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _started_at_first_frame(settings, monkeypatch, cached=True) == []


async def test_a_first_load_sends_its_requests_before_importing_the_screens_a_key_opens(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    refresh = AccountStore.refresh

    async def recorded_refresh(store: AccountStore, *args: Any, **kwargs: Any) -> AccountSnapshot:
        order.append("load")
        return await refresh(store, *args, **kwargs)

    monkeypatch.setattr(AccountStore, "refresh", recorded_refresh)
    monkeypatch.setattr(app_module, "_import_after_first_frame", lambda: order.append("screens"))
    app = MetroApp(settings, open_connection(settings))
    async with app.run_test():
        loading = [worker for worker in app.workers if worker.group == "sync"]
        await app.workers.wait_for_complete(loading)
        assert app.store.complete
    assert order == ["load", "screens"]


async def test_a_load_cancelled_while_the_sdks_import_leaves_the_import_to_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entered, release, imported = threading.Event(), threading.Event(), threading.Event()

    def held_import() -> None:
        entered.set()
        release.wait()
        imported.set()

    monkeypatch.setattr(gateways, "_loading", None)
    # SDKs an earlier test imported would let `load_sdks` return at once, importing nothing.
    monkeypatch.setattr(gateways, "GATEWAY_MODULES", ("metro_tui.never_imported",))
    monkeypatch.setattr(gateways, "_import_sdks", held_import)
    first = asyncio.create_task(gateways.load_sdks())
    await asyncio.to_thread(entered.wait)
    first.cancel()  # as a refresh cut short by the user
    release.set()
    # The limit only turns a load that waits on the cancelled import into a failure.
    await asyncio.wait_for(gateways.load_sdks(), timeout=120)
    assert imported.is_set()
    assert first.cancelled()

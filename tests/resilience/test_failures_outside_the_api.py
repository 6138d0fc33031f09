"""Failures that are not the API's (a full disk, a bug in a worker) are shown, never silent."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import threading
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Label
from textual.worker import WorkerFailed

from metro_tui.app import AccountShown, MetroApp
from metro_tui.config import Settings
from metro_tui.models import Contract
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.services.money import format_cents
from metro_tui.session.connection import open_connection
from metro_tui.sync.cache import CacheRead, SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.widgets.stat_card import StatCard
from tests.ui.seed_facts import finalized_total

FULL = "No space left on device"


class FullDiskCache(SnapshotCache):
    """The real cache on a disk that is full until the first save of a whole account failed.

    The next save of a whole account (the retry) then says so and waits for `proceed`, so
    the screen can be read while the app is retrying, whatever the machine's speed.
    """

    def __init__(self, cache: SnapshotCache, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(cache.path.parent, "")
        self.path = cache.path
        self.full = True
        self.retrying = asyncio.Event()
        self.proceed = threading.Event()
        self._loop = loop

    def store(self, snapshot: AccountSnapshot) -> None:
        if self.full:
            self.full = not snapshot.complete
            raise OSError(errno.ENOSPC, FULL)
        if snapshot.complete:
            self._loop.call_soon_threadsafe(self.retrying.set)
            self.proceed.wait(timeout=60)
        super().store(snapshot)


class BrokenReaderCache(SnapshotCache):
    """A cache whose reader has a bug: the first load of the cache raises."""

    def __init__(self, cache: SnapshotCache) -> None:
        super().__init__(cache.path.parent, "")
        self.path = cache.path
        self.broken = True

    def load(self) -> CacheRead:
        if self.broken:
            self.broken = False
            raise RuntimeError("the cache reader tripped over its own feet")
        return super().load()


def text(app: MetroApp, selector: str) -> str:
    return str(app.query_one(selector, Label).render())


class Seen:
    """Every notification of a severity the app shows, and when a whole account is shown."""

    def __init__(self, severity: str) -> None:
        self.severity = severity
        self.notices: list[str] = []
        self.whole_account_shown = asyncio.Event()

    def __call__(self, message: Message) -> None:
        if isinstance(message, AccountShown) and not message.partial:
            self.whole_account_shown.set()
        if isinstance(message, Notify) and message.notification.severity == self.severity:
            self.notices.append(message.notification.message)


def header(app: MetroApp) -> tuple[str, bool]:
    """What the header says of the load, and whether it says it as a problem."""
    label = app.query_one("#progress", Label)
    return str(label.render()), label.has_class("-stale")


async def test_a_failed_cache_write_is_a_warning_and_the_new_figures_are_shown(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file), retry_first_s=0.2)
    disk = FullDiskCache(app.connection.cache, asyncio.get_running_loop())
    app.connection.cache = disk
    seen = Seen("warning")

    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        # The save is retried by itself; read the screen while that retry is held.
        await disk.retrying.wait()
        while_retrying = header(app)
        total = app.query_one("#total-revenue", StatCard).value
        partial = app.query_one("#total-revenue").has_class("-partial")
        assert disk.load().snapshot is None or not disk.load().snapshot.complete
        disk.proceed.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        final = header(app)

    problem = f"The account could not be saved to the cache: {FULL}."
    assert while_retrying == (f"Not saved: {FULL}. Retrying in 0.2 s.", True)
    # The figures just loaded are on screen although they could not be saved.
    assert (total, partial) == (format_cents(finalized_total(data_file)), False)
    assert seen.notices == [
        f"{problem} The figures shown are current; the next start will load them again "
        "unless a later save succeeds."
    ]
    # Only once the retry saved it is the account up to date.
    assert final == ("Up to date", False)
    assert disk.load().snapshot == app.store.snapshot


async def test_an_unexpected_exception_in_a_worker_is_shown_and_the_load_retried(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file), retry_first_s=60)
    app.connection.cache = BrokenReaderCache(app.connection.cache)
    seen = Seen("error")

    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        # The load's worker is the one expected to fail; what the user is told is asserted below.
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        after_failure = header(app)
        await pilot.press("r")
        await seen.whole_account_shown.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        total = app.query_one("#total-revenue", StatCard).value
        final = header(app)

    message = "Something went wrong: the cache reader tripped over its own feet"
    assert seen.notices == [message]
    said, as_a_problem = after_failure
    assert as_a_problem
    assert said.startswith("Stale since ")
    assert said.endswith(f", {message}. Retrying in 60 s.")
    # Nothing was lost: the load goes on as usual.
    assert (total, final) == (format_cents(finalized_total(data_file)), ("Up to date", False))


async def test_any_worker_that_fails_unexpectedly_is_reported(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file))
    seen = Seen("error")

    async def broken() -> None:
        raise ValueError("a bug in a background task")

    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await app.workers.wait_for_complete()
        worker = app.run_worker(broken(), group="other", exit_on_error=False)
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        final = header(app)

    assert seen.notices == ["Something went wrong: a bug in a background task"]
    assert final == ("Up to date", False)


async def test_a_screen_worker_that_fails_unexpectedly_is_reported_by_the_app(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file))
    seen = Seen("error")

    async def broken(contract: Contract) -> tuple[str, ...]:
        raise RuntimeError("the rate schedule reader has a bug")

    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await app.workers.wait_for_complete()
        snapshot = app.store.snapshot
        assert snapshot is not None
        row = next(
            row
            for row in app.store.rows
            if row.metronome_customer_id and snapshot.contracts.get(row.metronome_customer_id)
        )
        app.store.included_products = broken  # type: ignore[method-assign]
        app.open_customer(row)
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CustomerDetailScreen)
        await detail.workers.wait_for_complete()
        await pilot.pause()

    assert seen.notices == ["Something went wrong: the rate schedule reader has a bug"]

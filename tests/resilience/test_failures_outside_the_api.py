"""Failures that are not the API's (a full disk, a bug in a worker) are shown, never silent."""

from __future__ import annotations

import asyncio
import errno
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Label
from textual.worker import WorkerFailed

from metro_tui.app import AccountShown, MetroApp
from metro_tui.config import Settings
from metro_tui.connection import open_connection
from metro_tui.models import Contract
from metro_tui.screens.customer_detail import CustomerDetailScreen
from metro_tui.services.money import format_cents
from metro_tui.sync.cache import CacheRead, SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from tests.ui.seed_facts import finalized_total

FULL = "No space left on device"


class FullDiskCache(SnapshotCache):
    """The real cache on a disk that is full until `space` is set."""

    def __init__(self, cache: SnapshotCache, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(cache.path.parent, "")
        self.path = cache.path
        self.space = False
        self.saved = asyncio.Event()
        self._loop = loop

    def store(self, snapshot: AccountSnapshot) -> None:
        if not self.space:
            raise OSError(errno.ENOSPC, FULL)
        super().store(snapshot)
        if snapshot.complete:
            self._loop.call_soon_threadsafe(self.saved.set)


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
    """What the screen showed when each notification of a severity went up.

    Read when the app handles the notification: after the code that raised it has run, and
    before any retry timer started later can change the screen.
    """

    def __init__(self, app: MetroApp, severity: str) -> None:
        self.app = app
        self.severity = severity
        self.at_notice: list[dict[str, object]] = []
        self.whole_account_shown = asyncio.Event()

    def __call__(self, message: Message) -> None:
        app = self.app
        if isinstance(message, AccountShown) and not message.partial:
            self.whole_account_shown.set()
        if isinstance(message, Notify) and message.notification.severity == self.severity:
            header = app.query_one("#progress", Label)
            self.at_notice.append(
                {
                    "notice": message.notification.message,
                    "header": str(header.render()),
                    "header stale": header.has_class("-stale"),
                    "total revenue": text(app, "#total-revenue .stat-value"),
                    "partial": app.query_one("#total-revenue").has_class("-partial"),
                }
            )


async def test_a_failed_cache_write_is_a_warning_and_the_new_figures_are_shown(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file), retry_first_s=0.2)
    disk = FullDiskCache(app.connection.cache, asyncio.get_running_loop())
    app.connection.cache = disk
    seen = Seen(app, "warning")

    def watch(message: Message) -> None:
        seen(message)
        if seen.at_notice:
            disk.space = True  # freed after the first failed save: the retry will succeed

    async with app.run_test(size=(120, 40), message_hook=watch) as pilot:
        await disk.saved.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = app.query_one("#progress", Label)
        final = (str(header.render()), header.has_class("-stale"))

    problem = f"The account could not be saved to the cache: {FULL}."
    # The figures just loaded were on screen although they could not be saved.
    assert seen.at_notice == [
        {
            "notice": f"{problem} The figures shown are current; the next start will load "
            "them again unless a later save succeeds.",
            "header": f"Not saved: {FULL}. Retrying in 0.2 s.",
            "header stale": True,
            "total revenue": format_cents(finalized_total(data_file)),
            "partial": False,
        }
    ]
    # Then the save was tried again by itself, and only then is the account up to date.
    assert final == ("Up to date", False)
    assert disk.load().snapshot == app.store.snapshot


async def test_an_unexpected_exception_in_a_worker_is_shown_and_the_load_retried(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file), retry_first_s=0.2)
    app.connection.cache = BrokenReaderCache(app.connection.cache)
    seen = Seen(app, "error")

    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await seen.whole_account_shown.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        total = text(app, "#total-revenue .stat-value")
        header = text(app, "#progress")

    message = "Something went wrong: the cache reader tripped over its own feet"
    assert [(shown["notice"], shown["header stale"]) for shown in seen.at_notice] == [
        (message, True)
    ]
    header_then = seen.at_notice[0]["header"]
    assert isinstance(header_then, str)
    assert header_then.startswith("Stale since ")
    assert header_then.endswith(f", {message}. Retrying in 0.2 s.")
    # The retry loaded the account as usual.
    assert (total, header) == (format_cents(finalized_total(data_file)), "Up to date")


async def test_any_worker_that_fails_unexpectedly_is_reported(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file))
    seen = Seen(app, "error")

    async def broken() -> None:
        raise ValueError("a bug in a background task")

    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await app.workers.wait_for_complete()
        worker = app.run_worker(broken(), group="other", exit_on_error=False)
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        header = text(app, "#progress")

    assert [shown["notice"] for shown in seen.at_notice] == [
        "Something went wrong: a bug in a background task"
    ]
    assert header == "Up to date"


async def test_a_screen_worker_that_fails_unexpectedly_is_reported_by_the_app(
    settings: Settings, data_file: Path
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file))
    seen = Seen(app, "error")

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

    assert [shown["notice"] for shown in seen.at_notice] == [
        "Something went wrong: the rate schedule reader has a bug"
    ]

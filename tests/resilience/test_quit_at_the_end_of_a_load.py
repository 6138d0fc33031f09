"""Quitting at any point of the end of a load: the load is saved before the app exits.

"Up to date" means saved. Between the last response and the save, the header says "Saving…";
a quit then (or in the middle of writing the cache) waits for the save and says so.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from textual.message import Message
from textual.messages import ExitApp
from textual.widgets import Label

from metro_tui.app import SAVING_BEFORE_QUIT, MetroApp
from metro_tui.config import Settings
from metro_tui.store import FinishStage
from metro_tui.sync.cache import CacheRead, SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from tests.ui.conftest import make_app

WRITING = "writing"
"""The point inside the cache write itself, between opening the new file and replacing the old."""


class HeldCache(SnapshotCache):
    """The real cache; a save of a complete account stops mid-write until `resume` is set."""

    def __init__(self, cache: SnapshotCache, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(cache.path.parent, "")
        self.path = cache.path
        self.writing = asyncio.Event()
        self.resume = threading.Event()
        self._loop = loop

    def store(self, snapshot: AccountSnapshot) -> None:
        if snapshot.complete:
            self._loop.call_soon_threadsafe(self.writing.set)
            self.resume.wait(timeout=60)
        super().store(snapshot)


def progress_text(app: MetroApp) -> str:
    return str(app.query_one("#progress", Label).render())


@pytest.mark.parametrize("point", [*FinishStage, WRITING])
async def test_quitting_at_any_point_of_the_end_of_a_load_saves_it_first(
    point: str, settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    held = HeldCache(app.connection.cache, asyncio.get_running_loop())
    app.connection.cache = held
    header_after_quit: list[str] = []
    cache_at_exit: list[CacheRead] = []

    async def quit_now() -> None:
        await app.action_quit()
        header_after_quit.append(progress_text(app))

    async def at_stage(stage: FinishStage) -> None:
        if stage == point:
            await quit_now()
        if stage is FinishStage.SHOWN:
            # The header says the load is being saved, never "Up to date" yet.
            assert progress_text(app) in ("Saving…", SAVING_BEFORE_QUIT)
        if point != WRITING:
            held.resume.set()

    def watch(message: Message) -> None:
        if isinstance(message, ExitApp):
            cache_at_exit.append(held.load())

    app.store.on_finish_stage = at_stage
    async with app.run_test(size=(120, 40), message_hook=watch):
        if point == WRITING:
            await held.writing.wait()
            await quit_now()
            held.resume.set()
        await app.workers.wait_for_complete()

    assert header_after_quit == [SAVING_BEFORE_QUIT]
    # By the time the app exits, the cache holds the whole account just loaded.
    assert len(cache_at_exit) == 1
    saved = cache_at_exit[0]
    assert saved.notice is None
    assert saved.snapshot is not None and saved.snapshot.complete
    assert saved.snapshot == app.store.snapshot
    assert len(saved.snapshot.metronome_customers) > 0


async def test_the_header_says_up_to_date_only_once_the_load_is_saved(
    settings: Settings, data_file: Path
) -> None:
    app = make_app(settings, data_file)
    headers: dict[FinishStage, str] = {}
    cache_when: dict[FinishStage, CacheRead] = {}

    async def at_stage(stage: FinishStage) -> None:
        headers[stage] = progress_text(app)
        cache_when[stage] = app.connection.cache.load()

    app.store.on_finish_stage = at_stage
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        final = progress_text(app)

    assert [headers[stage] for stage in FinishStage] == ["Saving…"] * len(FinishStage)
    before_saved = [stage for stage in FinishStage if stage is not FinishStage.SAVED]
    # Before that, the cache holds at most a checkpoint of the load, marked as partial.
    for stage in before_saved:
        kept = cache_when[stage].snapshot
        assert kept is None or not kept.complete, stage
    assert cache_when[FinishStage.SAVED].snapshot == app.store.snapshot
    assert final == "Up to date"
    assert app.connection.cache.load().snapshot == app.store.snapshot

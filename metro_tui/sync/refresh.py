"""Refresh an account from its cached snapshot outside the app (for `metro-tui export`).

The same refresh the app runs: the cached snapshot is the sync engine's starting point, so
invoices already final in it are not fetched again (and an interrupted first load resumes),
and the refreshed snapshot is written back to the cache for the next export or start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.engine import ProgressCallback, SyncEngine
from metro_tui.sync.snapshot import AccountSnapshot

if TYPE_CHECKING:
    from metro_tui.api.metronome import MetronomeGateway
    from metro_tui.api.stripe import StripeGateway

NoticeCallback = Callable[[str], None]


async def refresh_cached(
    cache: SnapshotCache,
    metronome: MetronomeGateway,
    stripe: StripeGateway | None,
    *,
    now: datetime,
    concurrency: int,
    full: bool = False,
    on_progress: ProgressCallback | None = None,
    on_notice: NoticeCallback | None = None,
) -> AccountSnapshot:
    """The account, refreshed from `cache` (reloaded from nothing when `full`), and saved.

    `on_notice` hears, in plain words, where the refresh started from and anything the cache
    could not do (a damaged file, a failed write); neither stops the refresh.
    """

    def notice(text: str) -> None:
        if on_notice is not None:
            on_notice(text)

    previous = None
    if full:
        notice("Reloading the whole account (--full).")
    else:
        read = await asyncio.to_thread(cache.load)
        if read.notice is not None:
            notice(read.notice)
        previous = read.snapshot
        notice(_starting_point(previous))
    engine = SyncEngine(
        metronome, stripe, now=now, concurrency=concurrency, on_progress=on_progress
    )
    snapshot = await engine.run(previous=previous)
    try:
        await asyncio.to_thread(cache.store, snapshot)
    except OSError as error:
        notice(f"The account could not be saved to the cache: {error.strerror or error}.")
    return snapshot


def _starting_point(previous: AccountSnapshot | None) -> str:
    if previous is None:
        return "No cached account yet: loading the whole account."
    if not previous.complete:
        return "Resuming the interrupted load saved in the cache."
    customers = len(previous.metronome_customers)
    when = f" of {previous.fetched_at:%Y-%m-%d %H:%M} UTC" if previous.fetched_at else ""
    return f"Refreshing the cached account{when} ({customers} Metronome customers)."

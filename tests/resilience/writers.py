"""Processes for the crash tests to kill: `python -m tests.resilience.writers cache|draft ...`.

Each stops at a named point of its write and prints `paused: <point>` there, so a test kills it
exactly at that point. The cache stops at its own test hook (`CRASH_TEST_PAUSE` in
metro_tui/sync/cache.py, set by the test in this process's environment); a draft, whose store
has no hook, stops around the one rename that puts a whole draft in place.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from datetime import date
from pathlib import Path

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.drafts import ContractDraft
from metro_tui.drafts.autosave import DraftStore
from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.engine import SyncEngine
from tests.resilience.accounts import NOW

SYNCING = "syncing"
DRAFT_NAME = "Typed before the kill"
CUSTOMER_NAME = "Killed Mid-Save Inc"


def announce(stage: str) -> None:
    print(stage, flush=True)


def pause(point: str) -> None:
    announce(f"paused: {point}")
    threading.Event().wait()


async def sync_then_store(cache: SnapshotCache, urls: list[str]) -> None:
    """Sync the account, then store the snapshot (which pauses where the test asked)."""
    metronome_url, token, stripe_url, stripe_key = urls
    metronome = MetronomeGateway(token, metronome_url)
    engine = SyncEngine(metronome, StripeGateway(stripe_key, stripe_url), now=NOW)
    announce(SYNCING)
    snapshot = await engine.run()
    cache.store(snapshot)


def save_draft(store: DraftStore, stripe_customer_id: str, point: str) -> None:
    """Save a draft, pausing just before ("written") or just after ("replaced") its rename."""
    rename = os.replace

    def paused_rename(source: str, target: str) -> None:
        if point == "written":
            pause(point)
        rename(source, target)
        if point == "replaced":
            pause(point)

    os.replace = paused_rename  # type: ignore[assignment]
    draft = ContractDraft.for_customer(
        stripe_customer_id=stripe_customer_id,
        customer_name=CUSTOMER_NAME,
        metronome_customer_id=None,
        today=date(2026, 11, 24),
    )
    draft.name = DRAFT_NAME
    store.save(draft)


def main(args: list[str]) -> None:
    job, folder, *rest = args
    if job == "cache":
        key, *urls = rest
        asyncio.run(sync_then_store(SnapshotCache(Path(folder), key), urls))
    else:
        stripe_customer_id, point = rest
        save_draft(DraftStore(Path(folder)), stripe_customer_id, point)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Processes for the crash tests to kill: `python -m tests.resilience.writers cache|draft ...`.

Each prints one line when it reaches the part worth interrupting, then writes until killed.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from itertools import count
from pathlib import Path

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.drafts import ContractDraft
from metro_tui.drafts.autosave import DraftStore
from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.engine import SyncEngine
from tests.resilience.accounts import NOW

SYNCING = "syncing"
STORING = "storing"
SAVING = "saving"


def announce(stage: str) -> None:
    print(stage, flush=True)


async def sync_then_store(cache: SnapshotCache, urls: list[str]) -> None:
    """Sync the account, then store the snapshot over and over, as refreshes would."""
    metronome_url, token, stripe_url, stripe_key = urls
    metronome = MetronomeGateway(token, metronome_url)
    engine = SyncEngine(metronome, StripeGateway(stripe_key, stripe_url), now=NOW)
    announce(SYNCING)
    snapshot = await engine.run()
    announce(STORING)
    while True:
        cache.store(snapshot)


def save_drafts(store: DraftStore, stripe_customer_id: str) -> None:
    """Autosave a draft being typed: its name grows by one character per save."""
    draft = ContractDraft.for_customer(
        stripe_customer_id=stripe_customer_id,
        customer_name="Killed Mid-Save Inc",
        metronome_customer_id=None,
        today=date(2026, 11, 24),
    )
    announce(SAVING)
    for typed in count(1):
        draft.name = "x" * (typed % 5_000)
        store.save(draft)


def main(args: list[str]) -> None:
    job, folder, *rest = args
    if job == "cache":
        key, *urls = rest
        asyncio.run(sync_then_store(SnapshotCache(Path(folder), key), urls))
    else:
        save_drafts(DraftStore(Path(folder)), rest[0])


if __name__ == "__main__":
    main(sys.argv[1:])

"""SIGKILL in the middle of writing the cache or a draft leaves something readable."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from metro_tui.drafts import ContractDraft
from metro_tui.drafts.autosave import DraftStore
from metro_tui.local.app import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.sync.cache import CacheRead, SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from tests.conftest import TEST_CUSTOMERS, TEST_TODAY, TEST_TOKEN
from tests.resilience.accounts import NOW
from tests.resilience.writers import SAVING, STORING, SYNCING

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS = 10
"""Kills until one lands mid-write; about two in three do (the rest land between writes)."""
CACHE_KEY = "killed"
STRIPE_ID = "cus_KilledMidSave01"
CUSTOMER_NAME = "Killed Mid-Save Inc"


@contextmanager
def writer(*args: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.resilience.writers", *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def kill_after(process: subprocess.Popen[str], stage: str, delay_s: float) -> None:
    """SIGKILL `delay_s` after the process announces `stage`."""
    assert process.stdout is not None
    while (line := process.stdout.readline().strip()) != stage:
        assert line, f"the writer exited before {stage!r} (status {process.wait()})"
    time.sleep(delay_s)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL


def interrupted_writes(folder: Path) -> set[Path]:
    """Temporary files a write left behind: the kill landed between create and rename."""
    return set(folder.glob(".*.tmp"))


def previous_snapshot() -> AccountSnapshot:
    return AccountSnapshot(fetched_at=NOW, failures=["the snapshot before the kill"])


def test_a_sync_killed_mid_sync_keeps_the_previous_snapshot(
    data_file: Path, tmp_path: Path
) -> None:
    cache = SnapshotCache(tmp_path, CACHE_KEY)
    cache.store(previous_snapshot())
    # Every response takes 200 ms, so the sync is still fetching when the kill comes.
    slow = start_in_thread(
        data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY, latency_ms=200)
    )
    urls = (slow.metronome_url, TEST_TOKEN, slow.stripe_url, slow.stripe_key)
    try:
        with writer("cache", str(tmp_path), CACHE_KEY, *urls) as process:
            kill_after(process, SYNCING, 0.3)
    finally:
        slow.stop()

    assert cache.load() == CacheRead(previous_snapshot())


def test_a_sync_killed_while_writing_the_cache_leaves_a_whole_snapshot(
    backend: RunningBackend, tmp_path: Path
) -> None:
    cache = SnapshotCache(tmp_path, CACHE_KEY)
    cache.store(previous_snapshot())
    urls = (backend.metronome_url, TEST_TOKEN, backend.stripe_url, backend.stripe_key)
    timing = random.Random(7)

    for _ in range(ATTEMPTS):
        with writer("cache", str(tmp_path), CACHE_KEY, *urls) as process:
            kill_after(process, STORING, timing.uniform(0, 0.05))
        read = cache.load()
        assert read.notice is None
        assert read.snapshot is not None
        assert read.snapshot.failures == []
        assert len(read.snapshot.metronome_customers) > TEST_CUSTOMERS // 2
        if interrupted_writes(tmp_path):
            break
    assert interrupted_writes(tmp_path), "no kill landed in the middle of a write"


def test_a_draft_killed_mid_autosave_is_still_loadable(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(
        ContractDraft.for_customer(
            stripe_customer_id=STRIPE_ID,
            customer_name=CUSTOMER_NAME,
            metronome_customer_id=None,
            today=date(2026, 11, 24),
        )
    )
    timing = random.Random(11)

    for _ in range(ATTEMPTS):
        with writer("draft", str(tmp_path), STRIPE_ID) as process:
            kill_after(process, SAVING, timing.uniform(0.05, 0.3))
        draft = store.load(STRIPE_ID)
        assert draft is not None
        assert draft.customer_name == CUSTOMER_NAME
        assert set(draft.name) <= {"x"}
        assert [saved.stripe_customer_id for saved in store.list()] == [STRIPE_ID]
        if interrupted_writes(tmp_path):
            break
    assert interrupted_writes(tmp_path), "no kill landed in the middle of a save"

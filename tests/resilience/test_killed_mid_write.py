"""SIGKILL in the middle of writing the cache or a draft leaves something readable.

Each kill lands at a named point of the write (see tests/resilience/writers.py), so each test
knows which outcome is the one correct answer: the previous whole file until the rename, the
new whole file after it, never a partial one.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from metro_tui.drafts import ContractDraft
from metro_tui.drafts.autosave import DraftStore
from metro_tui.local.server import RunningBackend
from metro_tui.sync.cache import CRASH_TEST_PAUSE, CacheRead, SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from tests.conftest import TEST_TOKEN
from tests.resilience.accounts import NOW, sync
from tests.resilience.writers import CUSTOMER_NAME, DRAFT_NAME, SYNCING

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE_KEY = "killed"
STRIPE_ID = "cus_KilledMidSave01"


@contextmanager
def writer(*args: str, pause_cache_at: str | None = None) -> Iterator[subprocess.Popen[str]]:
    environment = dict(os.environ)
    if pause_cache_at is not None:
        environment[CRASH_TEST_PAUSE] = pause_cache_at
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.resilience.writers", *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def kill_at(process: subprocess.Popen[str], announcement: str) -> None:
    """SIGKILL the process as soon as it announces `announcement` (it waits there)."""
    assert process.stdout is not None
    while (line := process.stdout.readline().strip()) != announcement:
        assert line, f"the writer exited before {announcement!r} (status {process.wait()})"
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def interrupted_writes(folder: Path) -> list[Path]:
    """Temporary files a write left behind: the kill landed between create and rename."""
    return sorted(folder.glob(".*.tmp"))


def previous_snapshot() -> AccountSnapshot:
    return AccountSnapshot(fetched_at=NOW, failures=["the snapshot before the kill"])


def test_a_sync_killed_mid_sync_keeps_the_previous_snapshot(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, CACHE_KEY)
    cache.store(previous_snapshot())
    # A server that accepts connections and never answers: once the sync's first request has
    # reached it, the sync is certainly still running when the kill comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with writer(
            "cache", str(tmp_path), CACHE_KEY, url, TEST_TOKEN, url, "sk_test_x"
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == SYNCING
            ready, _, _ = select.select([silent, process.stdout], [], [])
            assert ready == [silent], f"the writer exited while syncing ({process.wait()})"
            connection, _ = silent.accept()
            with connection:
                assert connection.recv(4096)  # the request is in flight
                process.send_signal(signal.SIGKILL)
                assert process.wait() == -signal.SIGKILL

    assert cache.load() == CacheRead(previous_snapshot())
    assert interrupted_writes(tmp_path) == []


@pytest.mark.parametrize("point", ["started", "written"])
async def test_a_sync_killed_while_writing_the_cache_keeps_the_previous_snapshot(
    backend: RunningBackend, tmp_path: Path, point: str
) -> None:
    cache = SnapshotCache(tmp_path, CACHE_KEY)
    cache.store(previous_snapshot())
    urls = (backend.metronome_url, TEST_TOKEN, backend.stripe_url, backend.stripe_key)

    with writer("cache", str(tmp_path), CACHE_KEY, *urls, pause_cache_at=point) as process:
        kill_at(process, f"paused: {point}")

    assert cache.load() == CacheRead(previous_snapshot())
    (leftover,) = interrupted_writes(tmp_path)
    # The kill landed inside the write: before any byte ("started") or after the last one.
    assert (leftover.stat().st_size > 0) == (point == "written")


async def test_a_sync_killed_right_after_the_cache_write_leaves_the_new_snapshot(
    backend: RunningBackend, tmp_path: Path
) -> None:
    cache = SnapshotCache(tmp_path, CACHE_KEY)
    cache.store(previous_snapshot())
    urls = (backend.metronome_url, TEST_TOKEN, backend.stripe_url, backend.stripe_key)

    with writer("cache", str(tmp_path), CACHE_KEY, *urls, pause_cache_at="replaced") as process:
        kill_at(process, "paused: replaced")

    assert cache.load() == CacheRead(await sync(backend))
    assert interrupted_writes(tmp_path) == []


def saved_draft(store: DraftStore) -> None:
    store.save(
        ContractDraft.for_customer(
            stripe_customer_id=STRIPE_ID,
            customer_name=CUSTOMER_NAME,
            metronome_customer_id=None,
            today=date(2026, 11, 24),
        )
    )


@pytest.mark.parametrize(("point", "name"), [("written", ""), ("replaced", DRAFT_NAME)])
def test_a_draft_killed_mid_autosave_is_still_loadable(
    tmp_path: Path, point: str, name: str
) -> None:
    store = DraftStore(tmp_path)
    saved_draft(store)

    with writer("draft", str(tmp_path), STRIPE_ID, point) as process:
        kill_at(process, f"paused: {point}")

    draft = store.load(STRIPE_ID)
    assert draft is not None
    assert (draft.customer_name, draft.name) == (CUSTOMER_NAME, name)
    assert [saved.stripe_customer_id for saved in store.list()] == [STRIPE_ID]
    assert len(interrupted_writes(tmp_path)) == (1 if point == "written" else 0)

"""The first paint beside the cache: what a warm start draws before reading the snapshot.

It is shown only when made from the snapshot on disk, for this account, cache format and
day; a stale, damaged or foreign one is ignored, and it never holds a secret.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from metro_tui.config import Settings
from metro_tui.first_paint import ROWS_KEPT, FirstPaintFile, first_paint_of
from metro_tui.local.server import RunningBackend
from metro_tui.session.connection import open_connection
from metro_tui.store import AccountStore
from metro_tui.sync.cache import SnapshotCache, account_key
from metro_tui.sync.snapshot import AccountSnapshot, LoadState
from metro_tui.sync.snapshot_codec import SNAPSHOT_VERSION
from metro_tui.view_models import AccountView, CustomerRow, account_view
from tests.conftest import TEST_TODAY, TEST_TOKEN

NEXT_DAY = "2026-11-25"


def _settings(backend: RunningBackend, cache_root: Path, *, today: str = TEST_TODAY) -> Settings:
    return Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
        metronome_base_url=backend.metronome_url,
        STRIPE_API_KEY=SecretStr(backend.stripe_key),
        stripe_api_base=backend.stripe_url,
        today=today,
        cache=cache_root,
    )


@pytest.fixture
def new_store(
    backend: RunningBackend, data_file: Path, tmp_path: Path
) -> Callable[..., AccountStore]:
    """A new store for the same account and cache, as after the app restarts."""

    def make(today: str = TEST_TODAY) -> AccountStore:
        settings = _settings(backend, tmp_path / "cache", today=today)
        return AccountStore(settings, open_connection(settings, local_data=data_file))

    return make


@pytest.fixture
async def saved(new_store: Callable[..., AccountStore]) -> AccountStore:
    """A store whose account was loaded and saved, with its first paint."""
    store = new_store()
    await store.refresh()
    await store.connection.close()
    return store


def _paint_file(store: AccountStore) -> Path:
    return store.connection.cache.first_paint_path


async def test_a_saved_account_has_its_first_paint_beside_the_cache(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    account = saved.account
    assert account is not None
    expected = first_paint_of(account)
    restarted = new_store()
    assert restarted.first_paint() == expected
    newest = sorted(account.rows, key=lambda row: row.date_created, reverse=True)
    # The test account is smaller than a first paint keeps: every row is in it, newest first.
    assert len(newest) < ROWS_KEPT
    assert expected.rows == newest
    assert expected.linked_customers == sum(row.linked for row in account.rows)
    assert expected.stripe_customers == len(account.snapshot.stripe_customers)


async def test_the_full_cache_replaces_the_first_paint_with_equal_figures(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    restarted = new_store()
    paint = restarted.first_paint()
    assert paint is not None
    assert await restarted.load_cached() is None
    assert restarted.account is not None
    assert restarted.account.overview == paint.overview
    assert first_paint_of(restarted.account) == paint


def test_first_paint_keeps_the_newest_linked_and_the_newest_of_all() -> None:
    account = _account_of_rows(linked=ROWS_KEPT + 5, unlinked=ROWS_KEPT + 5)
    paint = first_paint_of(account)
    linked = [row for row in paint.rows if row.linked]
    unlinked = [row for row in paint.rows if not row.linked]
    # Unlinked customers are the newest here, so the newest of all are all unlinked.
    assert len(unlinked) == ROWS_KEPT
    assert len(linked) == ROWS_KEPT
    assert [row.date_created for row in paint.rows] == sorted(
        (row.date_created for row in paint.rows), reverse=True
    )
    assert (paint.linked_customers, paint.stripe_customers) == (ROWS_KEPT + 5, 2 * ROWS_KEPT + 10)


async def test_a_first_paint_older_than_the_snapshot_is_not_shown(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    snapshot = saved.snapshot
    assert snapshot is not None
    # The snapshot is saved again (a later load) without a first paint of its own.
    later = dataclasses.replace(snapshot, fetched_at=snapshot.fetched_at.replace(year=2027))
    saved.connection.cache.store(later)
    assert _paint_file(saved).exists()
    assert new_store().first_paint() is None


async def test_a_checkpoint_over_the_snapshot_makes_its_first_paint_stale(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    """A load that starts again from nothing saves checkpoints of what it has so far."""
    snapshot = saved.snapshot
    assert snapshot is not None
    unfinished = dataclasses.replace(snapshot.checkpoint(), loading=LoadState())
    saved.connection.cache.store(unfinished)
    assert new_store().first_paint() is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace(b'"total_revenue_cents":', b'"total_revenue_cents":1'),
        lambda text: b"",
        lambda text: b"\x00" * len(text),
    ],
    ids=["truncated", "altered", "empty", "garbage"],
)
async def test_a_damaged_first_paint_is_ignored_and_removed(
    saved: AccountStore,
    new_store: Callable[..., AccountStore],
    damage: Callable[[bytes], bytes],
) -> None:
    path = _paint_file(saved)
    path.write_bytes(damage(path.read_bytes()))
    assert new_store().first_paint() is None
    assert not path.exists()


@pytest.mark.parametrize(
    "other_account",
    [
        lambda url, data: account_key(url, "another-token"),
        lambda url, data: account_key("http://127.0.0.1:1/other", TEST_TOKEN),
        lambda url, data: account_key(f"local:{data.with_name('other-seed.sqlite3')}", "local"),
    ],
    ids=["other credentials", "other base URL", "other seed's data file"],
)
async def test_a_first_paint_of_another_account_is_not_shown(
    saved: AccountStore,
    backend: RunningBackend,
    data_file: Path,
    tmp_path: Path,
    other_account: Callable[[str, Path], str],
) -> None:
    """Even beside a snapshot equal to the one it was made from, under the other account's name."""
    other = SnapshotCache(tmp_path / "cache", other_account(backend.metronome_url, data_file))
    shutil.copyfile(saved.connection.cache.path, other.path)
    shutil.copyfile(_paint_file(saved), other.first_paint_path)
    assert FirstPaintFile(other).load(saved.now.date()) is None
    assert FirstPaintFile(saved.connection.cache).load(saved.now.date()) is not None


async def test_a_first_paint_of_another_day_is_not_shown(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    """Figures such as new customers in the last 30 days depend on the day they were made."""
    assert new_store(today=NEXT_DAY).first_paint() is None


async def test_a_first_paint_of_another_cache_format_is_not_shown(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    path = _paint_file(saved)
    body = json.loads(path.read_bytes().split(b"\n")[0])
    body["cache_version"] = SNAPSHOT_VERSION - 1
    text = json.dumps(body).encode() + b"\n"
    path.write_bytes(text + json.dumps({"crc32": zlib.crc32(text)}).encode() + b"\n")
    assert new_store().first_paint() is None


async def test_a_cache_read_without_a_first_paint_writes_one(
    saved: AccountStore, new_store: Callable[..., AccountStore]
) -> None:
    _paint_file(saved).unlink()
    restarted = new_store()
    await restarted.load_cached()
    assert restarted.account is not None
    assert new_store().first_paint() == first_paint_of(restarted.account)


async def test_the_first_paint_holds_no_secret(
    saved: AccountStore, backend: RunningBackend
) -> None:
    text = _paint_file(saved).read_bytes()
    assert TEST_TOKEN.encode() not in text
    assert backend.stripe_key.encode() not in text


async def test_forgetting_the_cache_removes_the_first_paint(saved: AccountStore) -> None:
    saved.connection.cache.clear()
    assert not _paint_file(saved).exists()


def _account_of_rows(*, linked: int, unlinked: int) -> AccountView:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    base = account_view(AccountSnapshot(), now)

    def row(index: int, *, is_linked: bool) -> CustomerRow:
        return CustomerRow(
            stripe_customer_id=f"cus_{index}",
            metronome_customer_id=f"m_{index}" if is_linked else None,
            name=f"Customer {index}",
            email="",
            # Linked customers are older than every unlinked one.
            date_created=now - timedelta(hours=index + (0 if not is_linked else 10_000)),
            lifetime_billings_cents=None,
            provision_status=None,
        )

    rows = [row(i, is_linked=True) for i in range(linked)]
    rows += [row(i + linked, is_linked=False) for i in range(unlinked)]
    return dataclasses.replace(base, rows=rows)

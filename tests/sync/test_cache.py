"""The snapshot cache: round trip, atomic replace, damaged files, no secrets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from metro_tui.models import MetronomeCustomer
from metro_tui.sync.cache import SnapshotCache, account_key
from metro_tui.sync.snapshot import AccountSnapshot


def _snapshot() -> AccountSnapshot:
    return AccountSnapshot(
        fetched_at=datetime(2026, 11, 24, 12, tzinfo=UTC),
        metronome_customers=[
            MetronomeCustomer(id="c1", name="Acme", created_at=datetime(2026, 1, 1, tzinfo=UTC))
        ],
    )


def test_round_trip(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, account_key("https://api.metronome.com", "tok"))
    cache.store(_snapshot())
    read = cache.load()
    assert read.notice is None
    assert read.snapshot == _snapshot()
    assert [p.name for p in tmp_path.iterdir()] == [cache.path.name]


def test_missing_file_is_no_snapshot_and_no_notice(tmp_path: Path) -> None:
    read = SnapshotCache(tmp_path, "k").load()
    assert read.snapshot is None and read.notice is None


def test_truncated_file_is_discarded_with_a_notice(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    cache.store(_snapshot())
    cache.path.write_bytes(cache.path.read_bytes()[:40])
    read = cache.load()
    assert read.snapshot is None
    assert read.notice == "The cache was damaged and has been discarded."
    assert not cache.path.exists()


def test_garbage_file_is_discarded(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    tmp_path.joinpath(cache.path.name).write_bytes(b"\x00\xffnot json")
    assert cache.load().snapshot is None


def test_key_separates_accounts_and_hides_the_token() -> None:
    first = account_key("https://api.metronome.com", "secret-token-1")
    assert first != account_key("https://api.metronome.com", "secret-token-2")
    assert first != account_key("https://other.example", "secret-token-1")
    assert "secret" not in first

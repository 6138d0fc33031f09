"""A damaged cache file is discarded with a notice; the app starts and loads the account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.session.connection import open_connection
from metro_tui.sync.cache import SnapshotCache
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.sync.snapshot_codec import SNAPSHOT_VERSION
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.resilience.accounts import NOW

DAMAGED = "The cache was damaged and has been discarded."


class NoticedApp(MetroApp):
    """The app, keeping a list of the notifications it shows."""

    notices: list[str]

    def notify(self, message: str, **options: Any) -> None:
        self.notices = [*getattr(self, "notices", []), message]
        super().notify(message, **options)


def truncated(cache: SnapshotCache) -> bytes:
    cache.store(AccountSnapshot(fetched_at=NOW, failures=["an older snapshot"] * 50))
    whole = cache.path.read_bytes()
    return whole[: len(whole) // 2]


DAMAGE: dict[str, Callable[[SnapshotCache], bytes]] = {
    "truncated": truncated,
    "garbage": lambda _cache: b"\x00\x9f\xffPK\x03\x04 not a snapshot",
    "zero-filled": lambda _cache: bytes(4096),
    "wrong shape": lambda _cache: (
        b'{"version": %d}\n["metronome_customers", "everyone"]\n' % SNAPSHOT_VERSION
    ),
}


@pytest.mark.parametrize("damage", DAMAGE)
async def test_the_app_discards_a_damaged_cache_and_loads_the_account(
    backend: RunningBackend, tmp_path: Path, damage: str
) -> None:
    settings = Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TEST_TOKEN),
        metronome_base_url=backend.metronome_url,
        STRIPE_API_KEY=SecretStr(backend.stripe_key),
        stripe_api_base=backend.stripe_url,
        today=TEST_TODAY,
        cache=tmp_path / "cache",
    )
    connection = open_connection(settings)
    connection.cache.path.parent.mkdir(parents=True, exist_ok=True)
    content = DAMAGE[damage](connection.cache)
    connection.cache.path.write_bytes(content)
    app = NoticedApp(settings, connection)

    async with app.run_test(headless=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert app.notices[0] == DAMAGED
        assert app.snapshot is not None
        assert app.snapshot.failures == []
        assert len(app.snapshot.metronome_customers) > 0

    # The damaged file was replaced by the fresh snapshot.
    reread = connection.cache.load()
    assert reread.notice is None
    assert reread.snapshot == app.snapshot

"""A start draws a frame before it reads the cached snapshot (seconds at 100,000 customers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.store import AccountStore
from metro_tui.view_models import AccountView
from tests.ui.conftest import make_app
from tests.ui.frames import FrameCounter


async def test_the_cache_is_read_only_after_the_first_frame_is_drawn(
    settings: Settings,
    data_file: Path,
    backend: RunningBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frames = FrameCounter(monkeypatch)
    frames_before_read: list[int] = []
    read = AccountStore._read_cache

    def noted(store: AccountStore) -> tuple[AccountView | None, str | None]:
        frames_before_read.append(frames.drawn)
        return read(store)

    monkeypatch.setattr(AccountStore, "_read_cache", noted)
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)):
        await app.workers.wait_for_complete()
    assert len(frames_before_read) == 1
    assert frames_before_read[0] >= 1

"""The cyclic garbage collector is off from the start of `metro-tui` to its first frame, and
on again before the cached snapshot is read."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import RenderableType
from textual.app import App
from textual.screen import Screen

from metro_tui.cli import app_main
from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.store import AccountStore
from metro_tui.sync.collector import pause_until_first_frame, resume_after_first_frame
from metro_tui.view_models import AccountView
from tests.ui.conftest import make_app


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on and nothing frozen."""
    yield
    resume_after_first_frame()
    gc.enable()
    gc.unfreeze()


@pytest.mark.usefixtures("collector_restored")
async def test_the_collector_is_off_for_the_first_frame_and_on_for_the_cache_read(
    settings: Settings,
    data_file: Path,
    backend: RunningBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_at_frame: list[bool] = []
    on_at_read: list[bool] = []
    display = App._display
    read = AccountStore._read_cache

    def drawn(app: App[object], screen: Screen[object], renderable: RenderableType | None) -> None:
        if renderable is not None:
            on_at_frame.append(gc.isenabled())
        display(app, screen, renderable)

    def noted(store: AccountStore) -> tuple[AccountView | None, str | None]:
        on_at_read.append(gc.isenabled())
        return read(store)

    monkeypatch.setattr(App, "_display", drawn)
    monkeypatch.setattr(AccountStore, "_read_cache", noted)
    pause_until_first_frame()  # as `metro-tui` does before it imports the app
    app = make_app(settings, data_file)
    async with app.run_test(size=(120, 40)):
        await app.workers.wait_for_complete()
        on_when_running = gc.isenabled()
    assert on_at_frame[0] is False
    assert on_at_read == [True]
    assert on_when_running is True
    assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("collector_restored")
def test_the_app_leaves_a_collector_it_did_not_switch_off_alone() -> None:
    gc.disable()
    resume_after_first_frame()
    assert gc.isenabled() is False
    gc.enable()
    gc.unfreeze()
    resume_after_first_frame()
    assert gc.isenabled() is True
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector_restored")
def test_settings_that_stop_the_app_before_its_first_frame_leave_the_collector_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("METRO_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("METRO_TUI_TODAY", "2026-02-30")

    assert app_main([]) == 2
    assert gc.isenabled() is True
    assert "METRO_TUI_TODAY is '2026-02-30'" in capsys.readouterr().err

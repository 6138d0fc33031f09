"""A backend that goes away and comes back; a token Metronome rejects."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.widgets import Label

from metro_tui.app import MetroApp
from metro_tui.config import Settings
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.screens.connect import ConnectScreen, SignInProblemView
from metro_tui.session.connection import open_connection
from metro_tui.widgets.stat_card import StatCard
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.ui.app_watch import HeaderWatch
from tests.ui.screen_text import widget_lines


def _text(app: MetroApp, selector: str) -> str:
    return str(app.query_one(selector, Label).render())


@pytest.fixture
def header(monkeypatch: pytest.MonkeyPatch) -> HeaderWatch:
    return HeaderWatch(monkeypatch)


async def test_stopped_backend_keeps_the_data_and_recovers_by_itself(
    settings: Settings, data_file: Path, backend: RunningBackend, header: HeaderWatch
) -> None:
    app = MetroApp(settings, open_connection(settings, local_data=data_file), retry_first_s=0.5)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        total = app.query_one("#total-revenue", StatCard).value
        assert total.startswith("$")

        backend.stop()
        await pilot.press("r")
        progress = await header.until(lambda said: "Stale since" in said)
        assert progress.endswith("could not connect to the server. Retrying in 0.5 s.")
        assert app.query_one("#total-revenue", StatCard).value == total
        assert app.snapshot is not None

        revived = start_in_thread(
            data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY), port=backend.port
        )
        try:
            await header.until(lambda said: said == "Up to date")
            assert _text(app, "#progress") == "Up to date"
            assert app.query_one("#total-revenue", StatCard).value == total
        finally:
            revived.stop()


async def test_rejected_token_sends_the_user_to_connect(
    settings: Settings, data_file: Path
) -> None:
    wrong = settings.model_copy(update={"metronome_bearer_token": SecretStr("revoked-token")})
    app = MetroApp(wrong, open_connection(wrong))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen)
        problem = app.screen.query_one(SignInProblemView)
        assert problem.border_title == "There was an error signing in to Metronome"
        assert "Stale since" in _text(app, "#progress")
        assert "Retrying" not in _text(app, "#progress")
        assert "revoked-token" not in str(problem.render())


async def test_a_long_stale_notice_wraps_at_80_columns(
    settings: Settings, data_file: Path, backend: RunningBackend
) -> None:
    """The notice is longer than the status line leaves it: every word of it stays on screen."""
    app = MetroApp(settings, open_connection(settings, local_data=data_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        backend.stop()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notice = _text(app, "#progress")
        assert notice.startswith("Stale since ")
        assert notice.endswith(": could not connect to the server. Retrying in 5 s.")
        lines = widget_lines(app, app.query_one("#progress"))
        assert len(lines) == 2
        assert " ".join(line.strip() for line in lines) == notice
        assert widget_lines(app, app.query_one("#backend")) == ["Local demo data"]

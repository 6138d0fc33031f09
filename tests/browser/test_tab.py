"""A browser tab's app process: the settings the server hands down, and what a tab may change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.widgets import Button, Label, Select

from metro_tui.config import Settings
from metro_tui.local.server import RunningBackend
from metro_tui.screens.connect import ConnectScreen
from metro_tui.session.account_settings import SETTINGS_FROM_SERVER
from metro_tui.session.connection import LOCAL_LABEL, open_connection
from metro_tui.session.sign_in import SignInProblem
from metro_tui.web.browser_app import SERVER_OWNS_THE_ACCOUNT, BrowserApp, BrowserSettingsScreen
from metro_tui.web.tab_environment import SERVED_BACKEND_DATA, tab_connection, tab_environment
from tests.conftest import TEST_TOKEN


def test_a_tab_gets_the_servers_local_backend_and_the_cache_metro_tui_uses(
    settings: Settings, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings.model_copy(update={"concurrency": 5})
    variables = tab_environment(settings, local_data=data_file)
    assert variables == {
        SETTINGS_FROM_SERVER: "1",
        "METRONOME_BEARER_TOKEN": TEST_TOKEN,
        "METRONOME_BASE_URL": settings.metronome_base_url,
        "STRIPE_API_KEY": f"sk_test_{TEST_TOKEN}",
        "STRIPE_API_BASE": settings.stripe_api_base,
        "METRO_TUI_TODAY": "2026-11-24",
        "METRO_TUI_CONCURRENCY": "5",
        "METRO_TUI_CACHE_DIR": str(settings.cache),
        SERVED_BACKEND_DATA: str(data_file.resolve()),
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    tab_settings, connection = tab_connection()
    assert tab_settings.metronome_bearer_token == SecretStr(TEST_TOKEN)
    assert tab_settings.metronome_base_url == settings.metronome_base_url
    assert tab_settings.stripe_api_key == SecretStr(f"sk_test_{TEST_TOKEN}")
    assert tab_settings.stripe_api_base == settings.stripe_api_base
    assert tab_settings.today == date(2026, 11, 24)
    assert tab_settings.concurrency == 5
    assert connection.is_local
    assert connection.label == LOCAL_LABEL
    # The same cache file as `metro-tui --local` over that data file, whatever the port.
    assert connection.cache.path == open_connection(settings, local_data=data_file).cache.path


def test_a_tab_of_a_live_account_gets_its_credentials_and_no_backend(
    backend: RunningBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(
        METRONOME_BEARER_TOKEN=SecretStr("live-token-0123456789abcdef"),
        metronome_base_url=backend.metronome_url,
        STRIPE_API_KEY=SecretStr("rk_live_0123456789"),
        stripe_api_base=backend.stripe_url,
    )
    variables = tab_environment(settings, local_data=None)
    assert SERVED_BACKEND_DATA not in variables
    assert "METRO_TUI_TODAY" not in variables
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    tab_settings, connection = tab_connection()
    assert tab_settings.metronome_bearer_token == SecretStr("live-token-0123456789abcdef")
    assert tab_settings.stripe_api_key == SecretStr("rk_live_0123456789")
    assert not connection.is_local
    assert connection.label == f"Metronome (127.0.0.1:{backend.port})"


async def test_settings_in_a_tab_offer_no_credential_actions(settings: Settings) -> None:
    # Connected as to a live account, where Settings would offer all three actions.
    app = BrowserApp(settings, open_connection(settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("comma")
        screen = app.screen
        assert isinstance(screen, BrowserSettingsScreen)
        assert [button.id for button in screen.query(Button)] == []
        note = screen.query_one("#server-owns-account", Label)
        assert str(note.render()) == SERVER_OWNS_THE_ACCOUNT
        assert (note.size.width, note.size.height) == (74, 2)  # wrapped, not cut off
        assert screen.query_one("#theme", Select).value == app.theme
        await pilot.press("escape")
        assert not isinstance(app.screen, BrowserSettingsScreen)


REJECTED = SignInProblem("Metronome", "the token was rejected", ("Make a new token.",))


@pytest.mark.parametrize(
    ("problem", "notice"),
    [
        (None, SERVER_OWNS_THE_ACCOUNT),
        (REJECTED, f"Ask whoever runs `metro-tui serve` to reconnect. {SERVER_OWNS_THE_ACCOUNT}"),
    ],
)
async def test_connect_in_a_tab_says_who_can_change_the_account(
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    problem: SignInProblem | None,
    notice: str,
) -> None:
    app = BrowserApp(settings, open_connection(settings))
    notices: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        monkeypatch.setattr(app, "notify", lambda message, **_: notices.append(message))
        app.action_connect(problem)
        await pilot.pause()
        assert not isinstance(app.screen, ConnectScreen)
    assert notices == [notice]

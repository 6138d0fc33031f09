"""The Settings screen: what is connected, the theme, and the credential actions."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.app import App
from textual.widgets import Button, Label, Select

from metro_tui import config_writer
from metro_tui.config import Settings, load_settings
from metro_tui.screens.settings import SettingsIntent, SettingsScreen
from metro_tui.session.account_cache import live_cache
from metro_tui.session.connection import Connection, open_connection
from metro_tui.session.credentials import CREDENTIALS_FILE, FileCredentialStore, StoredCredentials
from metro_tui.store import AccountStore
from metro_tui.sync.snapshot import AccountSnapshot
from tests.conftest import settings_in
from tests.ui.held import until_set_or_idle

LIVE_URL = "http://127.0.0.1:9"  # never contacted: the screen makes no requests
TOKEN = "mtok-stored-4821"
STRIPE_KEY = "rk_live_stored-9917"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_in(tmp_path, monkeypatch, "absent.toml")


class SettingsHarness(App[None]):
    """Shows one SettingsScreen and keeps what it dismissed with."""

    def __init__(self, screen: SettingsScreen) -> None:
        super().__init__()
        self.settings_screen = screen
        self.dismissed: list[SettingsIntent | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.settings_screen, callback=self.dismissed.append)


class NoticedHarness(SettingsHarness):
    """The harness, keeping the notifications shown as (severity, message)."""

    notices: list[tuple[str, str]]

    def notify(self, message: str, **options: Any) -> None:
        self.notices = [*getattr(self, "notices", []), (options.get("severity", ""), message)]
        super().notify(message, **options)


def _settings(cache: Path) -> Settings:
    return Settings(
        METRONOME_BEARER_TOKEN=SecretStr(TOKEN),
        metronome_base_url=LIVE_URL,
        STRIPE_API_KEY=SecretStr(STRIPE_KEY),
        stripe_api_base=LIVE_URL,
        cache=cache,
    )


def _live(tmp_path: Path) -> tuple[Settings, Connection, FileCredentialStore]:
    settings = _settings(tmp_path / "cache")
    store = FileCredentialStore(tmp_path / "config" / CREDENTIALS_FILE)
    return settings, open_connection(settings), store


def _text(app: App[Any], widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Label).render())


async def test_shows_the_live_account_with_masked_credentials(tmp_path: Path) -> None:
    settings, connection, store = _live(tmp_path)
    store.save(StoredCredentials(TOKEN, LIVE_URL, STRIPE_KEY, LIVE_URL))
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert _text(app, "account") == "Metronome (127.0.0.1:9)"
        assert _text(app, "metronome-token") == f"••••4821 (stored in {store.path})"
        assert _text(app, "stripe-key") == "••••9917 (live mode)"
        assert _text(app, "metronome-url") == LIVE_URL
        assert _text(app, "concurrency") == "16 requests at once"
        assert TOKEN not in app.export_screenshot()


async def test_an_environment_token_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METRONOME_BEARER_TOKEN", TOKEN)
    settings, connection, store = _live(tmp_path)
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)):
        assert _text(app, "metronome-token") == "••••4821 (from METRONOME_BEARER_TOKEN)"


async def test_every_control_is_reachable_with_tab(tmp_path: Path) -> None:
    settings, connection, store = _live(tmp_path)
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            assert app.focused is not None
            seen.append(app.focused.id)
        assert seen == ["theme", "connect", "switch-local", "clear"]


async def test_choosing_a_theme_applies_it(tmp_path: Path) -> None:
    settings, connection, store = _live(tmp_path)
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"


CONFIG = """# metro-tui settings
metronome_base_url = "https://api.metronome.com"  # the US region
theme = "textual-dark"
concurrency = 8
"""


async def test_a_chosen_theme_is_saved_for_the_next_start(tmp_path: Path) -> None:
    config = tmp_path / "absent.toml"
    config.write_text(CONFIG)
    settings, connection, store = _live(tmp_path)
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"
        await app.workers.wait_for_complete()
    assert config.read_text() == CONFIG.replace('theme = "textual-dark"', 'theme = "nord"')
    assert load_settings().theme == "nord"
    assert [path.name for path in tmp_path.iterdir()] == ["absent.toml"]


async def test_a_theme_that_cannot_be_saved_still_applies_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("METRO_TUI_CONFIG", str(not_a_folder / "config.toml"))
    settings, connection, store = _live(tmp_path)
    app = NoticedHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"
        await app.workers.wait_for_complete()
    assert app.notices == [
        (
            "warning",
            f"The theme applies now but was not saved: {not_a_folder / 'config.toml'} could "
            f"not be written: File exists ({not_a_folder})",
        )
    ]


class HeldConfigWrites:
    """Stands in for the config file's replacement: the first write waits until the test
    releases it; every write notes its thread, its theme, and how many ran at once.

    On the UI thread it does not wait (that would freeze the test too): it notes the thread,
    which the test then rejects.
    """

    def __init__(self, replace: Callable[[Path, str], None]) -> None:
        self.replace = replace
        self.ui_thread = threading.get_ident()
        self.writing = threading.Event()
        self.release = threading.Event()
        self.writes: list[tuple[int, str]] = []
        self.running = 0
        self.most_at_once = 0

    def __call__(self, target: Path, text: str) -> None:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.writes.append((threading.get_ident(), tomllib.loads(text)["theme"]))
        self.writing.set()
        if threading.get_ident() != self.ui_thread:
            self.release.wait()
        try:
            self.replace(target, text)
        finally:
            self.running -= 1


async def test_theme_writes_run_off_the_ui_thread_in_order_and_keep_the_last_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "absent.toml"
    config.write_text(CONFIG)
    held = HeldConfigWrites(config_writer._replace)
    monkeypatch.setattr(config_writer, "_replace", held)
    settings, connection, store = _live(tmp_path)
    app = NoticedHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            theme = app.screen.query_one("#theme", Select)
            theme.value = "nord"
            await pilot.pause()  # the change is handled and its write started
            await until_set_or_idle(app, held.writing)
            assert held.writing.is_set()
            await pilot.pause()
            assert app.theme == "nord"  # applied while its write is held
            await pilot.press("tab")  # answered while the write is held
            assert app.focused is theme
            theme.value = "dracula"
            await pilot.pause()
            theme.value = "gruvbox"
            await pilot.pause()
            assert app.theme == "gruvbox"
            await pilot.press("escape")  # the writes outlive the screen
            assert app.dismissed == [None]

            held.release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
    finally:
        held.writing.set()
        held.release.set()
    # dracula was replaced by gruvbox before its turn came, so it is never written.
    assert [written for _, written in held.writes] == ["nord", "gruvbox"]
    assert held.ui_thread not in {thread for thread, _ in held.writes}
    assert held.most_at_once == 1
    assert config.read_text() == CONFIG.replace('theme = "textual-dark"', 'theme = "gruvbox"')
    assert app.notices == [("", f"Theme saved in {config}."), ("", f"Theme saved in {config}.")]
    assert settings.theme == "gruvbox"


@pytest.mark.parametrize(
    ("button", "intent"),
    [("connect", SettingsIntent.CONNECT), ("switch-local", SettingsIntent.SWITCH_LOCAL)],
)
async def test_buttons_dismiss_with_their_intent(
    tmp_path: Path, button: str, intent: SettingsIntent
) -> None:
    settings, connection, store = _live(tmp_path)
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click(f"#{button}")
        await pilot.pause()
        assert app.dismissed == [intent]


async def test_clear_removes_stored_credentials_and_the_account_cache(tmp_path: Path) -> None:
    settings, connection, store = _live(tmp_path)
    store.save(StoredCredentials(TOKEN, LIVE_URL, STRIPE_KEY, LIVE_URL))
    connection.cache.store(AccountSnapshot())
    stored_account_cache = live_cache(settings.cache_root, LIVE_URL, TOKEN)
    assert stored_account_cache.path == connection.cache.path
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#clear")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.dismissed == [SettingsIntent.CLEARED]
    assert not store.path.exists()
    assert list((tmp_path / "cache").iterdir()) == []


class ThreadNotingStore(FileCredentialStore):
    """A credential file that notes which thread reads and removes it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.threads: list[tuple[str, int]] = []

    def load(self) -> StoredCredentials | None:
        self.threads.append(("load", threading.get_ident()))
        return super().load()

    def clear(self) -> bool:
        self.threads.append(("clear", threading.get_ident()))
        return super().clear()


async def test_stored_credentials_are_read_and_removed_off_the_ui_thread(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "cache")
    store = ThreadNotingStore(tmp_path / "config" / CREDENTIALS_FILE)
    store.save(StoredCredentials(TOKEN, LIVE_URL, STRIPE_KEY, LIVE_URL))
    screen = SettingsScreen(AccountStore(settings, open_connection(settings), credentials=store))
    app = SettingsHarness(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert _text(app, "metronome-token") == f"••••4821 (stored in {store.path})"
        await pilot.click("#clear")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.dismissed == [SettingsIntent.CLEARED]
    # The test runs on the app's event loop: the UI thread.
    ui_thread = threading.get_ident()
    assert [action for action, _ in store.threads] == ["load", "load", "clear"]
    assert ui_thread not in {thread for _, thread in store.threads}
    assert not store.path.exists()


async def test_escape_closes_without_an_intent(tmp_path: Path) -> None:
    settings, connection, store = _live(tmp_path)
    app = SettingsHarness(SettingsScreen(AccountStore(settings, connection, credentials=store)))
    async with app.run_test() as pilot:
        await pilot.press("escape")
        assert app.dismissed == [None]


def _local_screen() -> SettingsScreen:
    settings = Settings(
        METRONOME_BEARER_TOKEN=SecretStr("local-run-token-0042"),
        metronome_base_url="http://127.0.0.1:8765",
        STRIPE_API_KEY=SecretStr("sk_test_local-run-token-0042"),
        stripe_api_base="http://127.0.0.1:8765/stripe",
        cache=Path("/nonexistent/cache"),
    )
    connection = open_connection(settings, local_data=Path("/nonexistent/local.sqlite3"))
    store = FileCredentialStore(Path("/nonexistent/config") / CREDENTIALS_FILE)
    return SettingsScreen(AccountStore(settings, connection, credentials=store))


async def test_local_data_cannot_switch_to_itself() -> None:
    app = SettingsHarness(_local_screen())
    async with app.run_test(size=(120, 40)):
        assert app.screen.query_one("#switch-local", Button).disabled is True
        assert _text(app, "account") == "Local demo data (the bundled local backend)"
        assert _text(app, "stripe-key") == "••••0042 (test mode)"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(SettingsHarness(_local_screen()), terminal_size=size)

"""The Connect screen against the seeded local backend: good and bad credentials."""

from __future__ import annotations

import stat
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Input, Label

from metro_tui.local.server import RunningBackend
from metro_tui.screens import connect as connect_screen
from metro_tui.screens.connect import ConnectScreen, SignInProblemView
from metro_tui.session.credentials import (
    CREDENTIALS_FILE,
    CredentialStoreError,
    FileCredentialStore,
    StoredCredentials,
)
from tests.conftest import TEST_TOKEN
from tests.ui.held import until_set_or_idle

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, so it fails at once


class ConnectHarness(App[None]):
    """Shows one ConnectScreen and keeps what it dismissed with."""

    def __init__(self, screen: ConnectScreen) -> None:
        super().__init__()
        self.connect_screen = screen
        self.dismissed: list[StoredCredentials | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.connect_screen, callback=self.dismissed.append)


def _harness(tmp_path: Path, metronome_url: str, stripe_url: str) -> ConnectHarness:
    store = FileCredentialStore(tmp_path / "config" / CREDENTIALS_FILE)
    return ConnectHarness(
        ConnectScreen(metronome_url=metronome_url, stripe_url=stripe_url, store=store)
    )


async def _type_and_verify(
    pilot: Pilot[Any], token: str, stripe_key: str, *, submit_with_enter: bool = False
) -> None:
    """Fill both secrets (moving between them with Tab), then verify."""
    await pilot.pause()
    screen = pilot.app.screen
    for inp in screen.query(Input):
        inp.cursor_blink = False
    screen.query_one("#metronome-token", Input).value = token
    await pilot.press("tab")
    assert screen.focused is screen.query_one("#stripe-key", Input)
    screen.focused.value = stripe_key
    if submit_with_enter:
        await pilot.press("enter")
    else:
        await pilot.click("#verify")
    await pilot.pause()
    await screen.workers.wait_for_complete()
    await pilot.pause()


async def test_good_credentials_are_stored_and_returned(
    backend: RunningBackend, tmp_path: Path
) -> None:
    app = _harness(tmp_path, backend.metronome_url, backend.stripe_url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.connect_screen
        assert [inp.password for inp in screen.query(Input)] == [True, True, False, False]

        await _type_and_verify(pilot, TEST_TOKEN, backend.stripe_key, submit_with_enter=True)

        expected = StoredCredentials(
            TEST_TOKEN, backend.metronome_url, backend.stripe_key, backend.stripe_url
        )
        assert app.dismissed == [expected]
        assert app.screen is not screen
    path = tmp_path / "config" / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert FileCredentialStore(path).load() == expected


async def test_a_rejected_token_shows_the_sign_in_error_and_stores_nothing(
    backend: RunningBackend, tmp_path: Path
) -> None:
    app = _harness(tmp_path, backend.metronome_url, backend.stripe_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_and_verify(pilot, "wrong-token-0000", backend.stripe_key)

        (view,) = app.screen.query(SignInProblemView)
        assert view.border_title == "There was an error signing in to Metronome"
        assert view.problem.reason == "the API token was rejected."
        lines = str(view.render()).splitlines()
        assert lines[0] == "The API token was rejected."
        assert lines[1].startswith("1. Check the token in Metronome under Settings > API tokens")
        assert lines[2].startswith("2. Clear cached Metronome credentials")
        assert app.dismissed == []
        assert str(app.screen.query_one("#connect-status").render()) == "Nothing was stored."
    assert not (tmp_path / "config").exists()


async def test_escape_cancels(tmp_path: Path) -> None:
    app = _harness(tmp_path, UNREACHABLE, UNREACHABLE)
    async with app.run_test() as pilot:
        await pilot.press("escape")
        assert app.dismissed == [None]


def _freeze_inputs(pilot: Pilot[Any]) -> None:
    for inp in pilot.app.screen.query(Input):
        inp.cursor_blink = False


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_empty(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app = _harness(tmp_path, "https://api.metronome.com", "https://api.stripe.com")
    assert snap_compare(app, terminal_size=size, run_before=_freeze_inputs)


def test_snapshot_unreachable(snap_compare: Any, tmp_path: Path) -> None:
    async def verify(pilot: Pilot[Any]) -> None:
        await _type_and_verify(pilot, "mtok-typed-4821", "rk_live_typed-9917")

    app = _harness(tmp_path, UNREACHABLE, UNREACHABLE)
    assert snap_compare(app, terminal_size=(120, 40), run_before=verify)


class HeldStore(FileCredentialStore):
    """A credential file whose save waits until the test releases it, noting its threads.

    On the UI thread it does not wait (that would freeze the test too): it notes the thread,
    which the test then rejects.
    """

    def __init__(self, path: Path, ui_thread: int, failure: str | None = None) -> None:
        super().__init__(path)
        self.ui_thread = ui_thread
        self.failure = failure
        self.saving = threading.Event()
        self.release = threading.Event()
        self.threads: list[tuple[str, int]] = []

    def save(self, credentials: StoredCredentials) -> None:
        self.threads.append(("save", threading.get_ident()))
        self.saving.set()
        if threading.get_ident() != self.ui_thread:
            self.release.wait()
        if self.failure is not None:
            raise CredentialStoreError(self.failure)
        super().save(credentials)


class NoticedConnectHarness(ConnectHarness):
    """The harness, keeping the notifications shown."""

    def __init__(self, screen: ConnectScreen) -> None:
        super().__init__(screen)
        self.notices: list[str] = []

    def notify(self, message: str, **options: Any) -> None:
        self.notices.append(message)
        super().notify(message, **options)


def _held_store_opened_by_the_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str | None = None
) -> HeldStore:
    """The store `credential_store()` opens for the screen; notes the thread that opened it."""
    store = HeldStore(tmp_path / "config" / CREDENTIALS_FILE, threading.get_ident(), failure)

    def open_store() -> HeldStore:
        store.threads.append(("open", threading.get_ident()))
        return store

    monkeypatch.setattr(connect_screen, "credential_store", open_store)
    return store


async def _submit_and_wait_for_the_save(
    pilot: Pilot[Any], store: HeldStore, stripe_key: str
) -> ConnectScreen:
    """Type both secrets, press Enter, and return once the store has begun saving."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConnectScreen)
    _freeze_inputs(pilot)
    screen.query_one("#metronome-token", Input).value = TEST_TOKEN
    screen.query_one("#stripe-key", Input).value = stripe_key
    screen.query_one("#stripe-key", Input).focus()
    await pilot.press("enter")
    await until_set_or_idle(pilot.app, store.saving)
    assert store.saving.is_set(), _status(screen)
    await pilot.pause()
    return screen


def _status(screen: ConnectScreen) -> str:
    return str(screen.query_one("#connect-status", Label).render())


@asynccontextmanager
async def _saving(
    backend: RunningBackend, store: HeldStore
) -> AsyncIterator[tuple[NoticedConnectHarness, Pilot[Any], ConnectScreen]]:
    """The Connect screen with both secrets submitted and the store's save held; the save is
    released on the way out whatever the test did."""
    app = NoticedConnectHarness(
        ConnectScreen(metronome_url=backend.metronome_url, stripe_url=backend.stripe_url)
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _submit_and_wait_for_the_save(pilot, store, backend.stripe_key)
            assert _status(screen) == "Saving…"
            yield app, pilot, screen
    finally:
        store.saving.set()
        store.release.set()


async def test_the_store_is_opened_and_saved_off_the_ui_thread_while_keys_are_answered(
    backend: RunningBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _held_store_opened_by_the_screen(tmp_path, monkeypatch)
    async with _saving(backend, store) as (app, pilot, screen):
        assert screen.query_one("#verify", Button).disabled is True
        await pilot.press("tab")  # answered while the store is still saving
        assert screen.focused is screen.query_one("#metronome-url", Input)
        assert app.dismissed == []

        store.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = StoredCredentials(
            TEST_TOKEN, backend.metronome_url, backend.stripe_key, backend.stripe_url
        )
        assert app.dismissed == [expected]
        assert app.notices == [f"Connected. Credentials stored in {store.path}."]
    assert [action for action, _ in store.threads] == ["open", "save"]
    assert store.ui_thread not in {thread for _, thread in store.threads}
    assert store.load() == expected


async def test_a_store_that_cannot_save_says_why_and_keeps_what_was_typed(
    backend: RunningBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "the OS keyring could not be written (it is locked)"
    store = _held_store_opened_by_the_screen(tmp_path, monkeypatch, failure=reason)
    async with _saving(backend, store) as (app, pilot, screen):
        store.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _status(screen) == f"Both work, but they could not be stored: {reason}"
        assert screen.query_one("#verify", Button).disabled is False
        assert screen.query_one("#metronome-token", Input).value == TEST_TOKEN
        assert screen.query_one("#stripe-key", Input).value == backend.stripe_key
        assert app.screen is screen
        assert app.dismissed == []
        assert app.notices == []
        shown = app.export_screenshot()
        assert TEST_TOKEN not in shown
        assert backend.stripe_key not in shown
    assert store.ui_thread not in {thread for _, thread in store.threads}
    assert not store.path.exists()

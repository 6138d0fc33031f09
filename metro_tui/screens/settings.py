"""Settings: what is connected, the theme, and the credential actions.

The screen changes nothing about the connection itself; it dismisses with a `SettingsIntent`
and the app, which owns the connection, acts on it. The stored credentials are read and
removed through the store, and the chosen theme is written to config.toml, off the UI thread.
"""

from __future__ import annotations

import asyncio
import os
from enum import StrEnum

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select

from metro_tui.config_writer import ConfigWriteError, LatestSettingWrites
from metro_tui.screens.dialog import DialogScreen
from metro_tui.screens.worker_failures import ReportsFailedWorkers
from metro_tui.session.credentials import CredentialStoreError, masked
from metro_tui.session.sign_in import stripe_key_mode
from metro_tui.store import AccountStore

NOT_SET = "not set"
THEME_WRITES = LatestSettingWrites("theme")
"""Shared by every Settings screen: a write still running outlives the screen that chose it."""


class SettingsIntent(StrEnum):
    """What the user asked the app to do when the screen closed."""

    CONNECT = "connect"
    """Open the Connect screen."""
    SWITCH_LOCAL = "switch-local"
    """Reconnect to the bundled backend with the demo data."""
    CLEARED = "cleared"
    """Stored credentials and the account's cache are gone: stop using the connection."""


class SettingsScreen(ReportsFailedWorkers, DialogScreen[SettingsIntent | None]):
    """Connected account, masked credentials, URLs, concurrency and theme.

    Dismisses with a `SettingsIntent`, or None when closed with Esc. Changing the theme
    applies at once (to `app.theme`) and is saved in config.toml for the next start.
    """

    BINDINGS = [Binding("escape", "close", "Close", id="settings.close")]
    DEFAULT_CSS = """
    SettingsScreen .setting { height: auto; }
    SettingsScreen .setting-name { width: 22; color: $text-muted; }
    SettingsScreen .setting-value { width: 1fr; }
    SettingsScreen .section { margin-top: 1; text-style: bold; color: $accent; }
    SettingsScreen #theme { width: 40; }
    SettingsScreen #actions {
        grid-size: 2;
        grid-columns: 38 1fr;
        grid-rows: 3;
        height: auto;
    }
    SettingsScreen #actions Button { width: 100%; }
    SettingsScreen #actions Label { color: $text-muted; padding: 1 0 0 2; }
    """

    def __init__(self, store: AccountStore) -> None:
        super().__init__()
        self.store = store
        self.settings = store.settings
        self.connection = store.connection

    def compose(self) -> ComposeResult:
        settings = self.settings
        with VerticalScroll() as box:
            box.border_title = "Settings"
            box.border_subtitle = "Esc to close"
            yield Label("Connection", classes="section")
            yield self._setting("Connected to", self._account(), "account")
            yield self._setting("Metronome token", self._metronome_token(), "metronome-token")
            yield self._setting("Stripe key", self._stripe_key(), "stripe-key")
            yield self._setting("Metronome API", settings.metronome_base_url, "metronome-url")
            yield self._setting("Stripe API", settings.stripe_api_base, "stripe-url")
            yield self._setting(
                "Concurrency", f"{settings.concurrency} requests at once", "concurrency"
            )
            yield Label("Appearance", classes="section")
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-name")
                yield Select(
                    [(name, name) for name in sorted(self.app.available_themes)],
                    value=self.app.theme,
                    allow_blank=False,
                    compact=True,
                    id="theme",
                )
            yield Label("Developer settings", classes="section")
            with Grid(id="actions"):
                yield Button("Connect…", variant="primary", id="connect")
                yield Label("Verify and store a Metronome token and a Stripe key.")
                yield Button(
                    "Switch to local demo data",
                    id="switch-local",
                    disabled=self.connection.is_local,
                )
                yield Label("Use the bundled backend and its demo data.")
                yield Button("Clear cached Metronome credentials", variant="error", id="clear")
                yield Label("Remove the stored credentials and this account's cached data.")

    @staticmethod
    def _setting(name: str, value: str, value_id: str) -> Horizontal:
        return Horizontal(
            Label(name, classes="setting-name"),
            Label(value, classes="setting-value", id=value_id),
            classes="setting",
        )

    def _account(self) -> str:
        if self.connection.is_local:
            return f"{self.connection.label} (the bundled local backend)"
        return self.connection.label

    def on_mount(self) -> None:
        token = self.settings.metronome_bearer_token
        if token is not None and self._token_origin(token.get_secret_value()) is None:
            self._show_stored_token_origin(token.get_secret_value())

    def _metronome_token(self) -> str:
        token = self.settings.metronome_bearer_token
        if token is None:
            return NOT_SET
        secret = token.get_secret_value()
        origin = self._token_origin(secret)
        return masked(secret) if origin is None else f"{masked(secret)} ({origin})"

    def _token_origin(self, secret: str) -> str | None:
        """Where the token comes from, when that is known without reading stored credentials."""
        if self.connection.is_local:
            return "made up for this run of the local backend"
        if os.environ.get("METRONOME_BEARER_TOKEN") == secret:
            return "from METRONOME_BEARER_TOKEN"
        return None

    @work(group="settings-credentials", exit_on_error=False)
    async def _show_stored_token_origin(self, secret: str) -> None:
        origin = await self.store.stored_token_origin(secret)
        self.query_one("#metronome-token", Label).update(f"{masked(secret)} ({origin})")

    def _stripe_key(self) -> str:
        key = self.settings.stripe_api_key
        if key is None:
            return NOT_SET
        secret = key.get_secret_value()
        return f"{masked(secret)} ({stripe_key_mode(secret)})"

    @on(Select.Changed, "#theme")
    def _theme_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value == self.app.theme:
            return
        self.app.theme = event.value
        # The app runs the write, so closing the screen does not cancel it.
        self.app.run_worker(
            self._save_theme(THEME_WRITES.choose(), event.value),
            group="settings-theme",
            exit_on_error=False,
        )

    async def _save_theme(self, ticket: int, theme: str) -> None:
        try:
            saved_in = await asyncio.to_thread(THEME_WRITES.save, ticket, theme)
        except ConfigWriteError as error:
            self.app.notify(
                f"The theme applies now but was not saved: {error}",
                severity="warning",
                markup=False,
            )
            return
        if saved_in is None:  # a newer choice replaced it before its turn
            return
        self.settings.theme = theme
        self.app.notify(f"Theme saved in {saved_in}.", markup=False)

    @on(Button.Pressed, "#connect")
    def _connect(self) -> None:
        self.dismiss(SettingsIntent.CONNECT)

    @on(Button.Pressed, "#switch-local")
    def _switch_local(self) -> None:
        self.dismiss(SettingsIntent.SWITCH_LOCAL)

    @on(Button.Pressed, "#clear")
    def _clear_pressed(self, event: Button.Pressed) -> None:
        event.button.disabled = True  # one removal at a time
        self._clear()

    @work(group="settings-clear", exit_on_error=False)
    async def _clear(self) -> None:
        try:
            await self.store.forget_account()
        except CredentialStoreError as error:
            self.query_one("#clear", Button).disabled = False
            self.app.notify(
                f"The credentials could not be removed: {error}", severity="error", markup=False
            )
            return
        self.app.notify("Removed the stored Metronome credentials and the cached account data.")
        self.dismiss(SettingsIntent.CLEARED)

    def action_close(self) -> None:
        self.dismiss(None)

"""The app as a browser tab runs it: the account belongs to the server, not to the tab.

Whoever opens the URL is a guest of the machine running `metro-tui serve`. Connecting,
switching to the demo data and clearing credentials would act on that machine's stored
credentials, so a tab offers none of them and says who can.
"""

from __future__ import annotations

from textual.widgets import Label

from metro_tui.app import MetroApp
from metro_tui.screens.settings import SettingsScreen
from metro_tui.session.sign_in import SignInProblem

SERVER_OWNS_THE_ACCOUNT = (
    "The account and its credentials are chosen on the machine that runs `metro-tui serve`; "
    "a browser tab cannot change them."
)


class BrowserSettingsScreen(SettingsScreen):
    """Settings without the credential actions, which would change the server's account."""

    DEFAULT_CSS = """
    BrowserSettingsScreen #server-owns-account { width: 1fr; color: $text-muted; }
    """

    def on_mount(self) -> None:
        actions = self.query_one("#actions")
        note = Label(SERVER_OWNS_THE_ACCOUNT, id="server-owns-account")
        self.query_one("VerticalScroll").mount(note, before=actions)
        actions.remove()


class BrowserApp(MetroApp):
    """MetroApp whose Settings and Connect leave the server's credentials alone."""

    def action_settings(self) -> None:
        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(BrowserSettingsScreen(self.store))

    def action_connect(self, problem: SignInProblem | None = None) -> None:
        """Credentials are never taken from a browser: say who can connect instead."""
        advice = "Ask whoever runs `metro-tui serve` to reconnect. " if problem else ""
        self.notify(advice + SERVER_OWNS_THE_ACCOUNT, severity="warning", timeout=10, markup=False)

"""Connect: type a Metronome token and a Stripe key, verify both, store them."""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from metro_tui.config import DEFAULT_METRONOME_URL, DEFAULT_STRIPE_URL, credential_store
from metro_tui.screens.dialog import DialogScreen
from metro_tui.screens.worker_failures import ReportsFailedWorkers
from metro_tui.session.credentials import CredentialStore, CredentialStoreError, StoredCredentials
from metro_tui.session.sign_in import (
    METRONOME,
    RESTRICTED_KEY_NOTE,
    SignInProblem,
    verify_credentials,
)

CHECKING = "Checking Metronome and Stripe…"
SAVING = "Saving…"


class SignInProblemView(Static):
    """The sign-in error title, the reason, and numbered next steps."""

    DEFAULT_CSS = """
    SignInProblemView {
        height: auto;
        border: round $error;
        border-title-color: $error;
        padding: 0 1;
        margin-top: 1;
    }
    """

    def __init__(self, problem: SignInProblem) -> None:
        lines = [Content.styled(problem.reason[:1].upper() + problem.reason[1:], "bold")]
        lines += [Content(f"{number}. {step}") for number, step in enumerate(problem.next_steps, 1)]
        super().__init__(Content("\n").join(lines), classes="sign-in-problem")
        self.border_title = problem.title
        self.problem = problem


class ConnectScreen(ReportsFailedWorkers, DialogScreen[StoredCredentials | None]):
    """Asks for both credentials (masked), checks them, and dismisses with what it stored.

    Dismisses with the saved `StoredCredentials`, or None when cancelled with Esc.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="connect.cancel")]
    DEFAULT_CSS = """
    ConnectScreen #connect-problems { height: auto; }
    ConnectScreen #connect-fields {
        grid-size: 2;
        grid-columns: 32 1fr;
        grid-rows: 1;
        grid-gutter: 1 0;
        height: auto;
        margin-top: 1;
    }
    ConnectScreen #connect-fields Label { color: $text-muted; }
    ConnectScreen #connect-fields Input { background: $boost; }
    ConnectScreen .hint { color: $text-muted; margin-top: 1; }
    ConnectScreen #connect-buttons { height: auto; margin-top: 1; }
    ConnectScreen #connect-buttons Button { margin-right: 2; }
    ConnectScreen #connect-status { height: auto; margin: 1 0; }
    """

    def __init__(
        self,
        *,
        metronome_url: str = DEFAULT_METRONOME_URL,
        stripe_url: str = DEFAULT_STRIPE_URL,
        store: CredentialStore | None = None,
        problem: SignInProblem | None = None,
    ) -> None:
        """`problem`: why the current credentials failed, shown above the fields."""
        super().__init__()
        self._problem = problem
        self._metronome_url = metronome_url
        self._stripe_url = stripe_url
        # Opened when first needed, off the UI thread: probing the OS keyring can take a while.
        self._store = store

    def compose(self) -> ComposeResult:
        with VerticalScroll() as dialog:
            dialog.border_title = "Connect to Metronome and Stripe"
            dialog.border_subtitle = "Esc to cancel"
            yield Vertical(id="connect-problems")
            with Grid(id="connect-fields"):
                yield Label("Metronome API token")
                yield Input(
                    password=True,
                    placeholder="from Metronome Settings > API tokens",
                    compact=True,
                    id="metronome-token",
                )
                yield Label("Stripe secret or restricted key")
                yield Input(
                    password=True,
                    placeholder="rk_live_… or sk_live_…",
                    compact=True,
                    id="stripe-key",
                )
                yield Label("Metronome API URL")
                yield Input(self._metronome_url, compact=True, id="metronome-url")
                yield Label("Stripe API URL")
                yield Input(self._stripe_url, compact=True, id="stripe-url")
            yield Static(RESTRICTED_KEY_NOTE, classes="hint")
            with Horizontal(id="connect-buttons"):
                yield Button("Verify and save", variant="primary", id="verify")
                yield Button("Cancel", id="cancel")
            yield Label("", id="connect-status")

    async def on_mount(self) -> None:
        self.query_one("#metronome-token", Input).focus()
        if self._problem is not None:
            await self._show_problems((self._problem,))

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value.strip()

    def _typed_credentials(self) -> StoredCredentials:
        return StoredCredentials(
            metronome_bearer_token=self._value("metronome-token"),
            metronome_base_url=self._value("metronome-url").rstrip("/"),
            stripe_api_key=self._value("stripe-key"),
            stripe_api_base=self._value("stripe-url").rstrip("/"),
        )

    @on(Button.Pressed, "#verify")
    @on(Input.Submitted)
    def _verify(self) -> None:
        self.verify_and_save(self._typed_credentials())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "connect")
        self.dismiss(None)

    def _show_status(self, text: str, *, busy: bool) -> None:
        self.query_one("#connect-status", Label).update(text)
        self.query_one("#verify", Button).disabled = busy

    async def _show_problems(self, problems: tuple[SignInProblem, ...]) -> None:
        box = self.query_one("#connect-problems", Vertical)
        await box.remove_children()
        await box.mount_all(SignInProblemView(problem) for problem in problems)
        if problems:
            # The first credential to fix gets the focus; the errors above it stay in view.
            failed = {problem.service for problem in problems}
            first = "metronome-token" if METRONOME in failed else "stripe-key"
            self.query_one(f"#{first}", Input).focus(scroll_visible=False)
            self.query_one(VerticalScroll).scroll_home(animate=False)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def verify_and_save(self, credentials: StoredCredentials) -> None:
        """Check both credentials; store and dismiss only when both work."""
        await self._show_problems(())
        self._show_status(CHECKING, busy=True)
        verification = await verify_credentials(credentials)
        if not verification.ok:
            self._show_status("Nothing was stored.", busy=False)
            await self._show_problems(verification.problems)
            return
        self._show_status(SAVING, busy=True)
        try:
            location = await asyncio.to_thread(self._save, credentials)
        except CredentialStoreError as error:
            self._show_status(f"Both work, but they could not be stored: {error}", busy=False)
            return
        self.app.notify(f"Connected. Credentials stored in {location}.", markup=False)
        self.dismiss(credentials)

    def _save(self, credentials: StoredCredentials) -> str:
        """Open the store if need be and save; runs in a thread. Returns where they went."""
        if self._store is None:
            self._store = credential_store()
        self._store.save(credentials)
        return self._store.location

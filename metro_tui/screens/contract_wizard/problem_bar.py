"""A line under the step indicator saying what failed, with a Retry that repeats it."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label


class ProblemBar(Horizontal):
    """Hidden until `show`; Retry hides it and calls the retry given with the message."""

    DEFAULT_CSS = """
    ProblemBar { height: auto; display: none; background: $error 15%; }
    ProblemBar.-shown { display: block; }
    ProblemBar > Label { width: 1fr; color: $text-error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._retry: Callable[[], object] | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="problem-message", markup=False)
        yield Button("Retry", id="retry", compact=True, variant="warning")

    def show(self, message: str, retry: Callable[[], object] | None) -> None:
        """Show `message`; with no `retry` there is nothing to repeat and no button."""
        self._retry = retry
        self.query_one(Label).update(message)
        self.query_one(Button).display = retry is not None
        self.add_class("-shown")

    def clear(self) -> None:
        self._retry = None
        self.remove_class("-shown")

    def focus_retry(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed, "#retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        retry = self._retry
        self.clear()
        if retry is not None:
            retry()

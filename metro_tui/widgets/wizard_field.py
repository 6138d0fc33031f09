"""A titled form control with its validation message right under it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label


class FieldError(Label):
    """The message for one draft field (by its path); takes no room while there is none."""

    DEFAULT_CSS = """
    FieldError { color: $text-error; display: none; width: 1fr; }
    FieldError.-shown { display: block; }
    """

    def __init__(self, path: str, *, subject: str = "") -> None:
        super().__init__("", classes="field-error", markup=False)
        self.path = path
        self.subject = subject
        """Names the field when the message sits under several, e.g. "End"."""

    @property
    def message(self) -> str:
        return str(self.content)

    def show(self, message: str) -> None:
        """Show `message`, or hide the line when it is empty."""
        text = f"{self.subject}: {message}" if message and self.subject else message
        if text == self.message:
            return  # unchanged: spare the layout pass a keystroke would otherwise cost
        self.set_class(bool(text), "-shown")
        self.update(text)


class WizardField(Vertical):
    """One row of a form: a title, the control and an optional hint, the error underneath."""

    DEFAULT_CSS = """
    WizardField { height: auto; margin-bottom: 1; }
    WizardField > .wizard-field-row { height: auto; }
    WizardField .wizard-field-title { width: 22; color: $text-muted; }
    WizardField .wizard-field-hint { color: $text-muted; padding-left: 2; width: 1fr; }
    WizardField > FieldError { padding-left: 22; }
    """

    def __init__(self, title: str, control: Widget, *, path: str, hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._control = control
        self._path = path
        self._hint = hint

    @property
    def control(self) -> Widget:
        """The control the user edits the field with."""
        return self._control

    def compose(self) -> ComposeResult:
        with Horizontal(classes="wizard-field-row"):
            yield Label(self._title, classes="wizard-field-title")
            yield self._control
            yield Label(self._hint, classes="wizard-field-hint")
        yield FieldError(self._path)

    def show_hint(self, hint: str) -> None:
        """Say `hint` beside the control instead (what it depends on changed)."""
        if hint != self._hint:
            self._hint = hint
            self.query_one(".wizard-field-hint", Label).update(hint)

"""The wizard's two questions: discard a filled form, resume a saved draft."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from metro_tui.services.contracts import format_day


class QuestionDialog(ModalScreen[bool | None]):
    """A question with two answers: True for `yes`, False for `no`, None when escaped."""

    BINDINGS = [Binding("escape", "dismiss_unanswered", "Cancel", id="question.cancel")]
    DEFAULT_CSS = """
    QuestionDialog { align: center middle; }
    QuestionDialog > Vertical {
        width: 56; max-width: 100%; height: auto;
        border: thick $warning 60%; background: $surface; padding: 1 2;
    }
    QuestionDialog .question { width: 1fr; margin-bottom: 1; }
    QuestionDialog Horizontal { height: auto; align-horizontal: right; }
    QuestionDialog Button { margin-left: 2; }
    """

    def __init__(self, question: str, *, yes: str, no: str, focus_yes: bool) -> None:
        super().__init__()
        self._question = question
        self._yes = yes
        self._no = no
        self._focus_yes = focus_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, classes="question", markup=False)
            with Horizontal():
                yield Button(self._yes, id="yes", compact=True, variant="primary")
                yield Button(self._no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes" if self._focus_yes else "#no", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_dismiss_unanswered(self) -> None:
        self.dismiss(None)


def discard_dialog() -> QuestionDialog:
    """Asked on Esc over a filled form; "Keep editing" is the safe default."""
    return QuestionDialog("Discard this draft?", yes="Discard", no="Keep editing", focus_yes=False)


def resume_dialog(saved_at: datetime, contract_name: str) -> QuestionDialog:
    """Asked on open when the customer has a saved draft, last saved at `saved_at` (UTC)."""
    named = f' "{contract_name}"' if contract_name.strip() else ""
    when = f"{format_day(saved_at.date())} {saved_at:%H:%M} UTC"
    return QuestionDialog(
        f"Resume the draft{named} from {when}?", yes="Resume", no="Start over", focus_yes=True
    )

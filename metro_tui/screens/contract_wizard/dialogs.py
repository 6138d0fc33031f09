"""The wizard's two questions: what to do with a filled form on close, resume a saved draft."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from metro_tui.services.dates import format_day

Answer = TypeVar("Answer", bound=StrEnum)


class CloseAnswer(StrEnum):
    """What to do with a filled form when the wizard is closed."""

    DISCARD = "discard"
    KEEP_DRAFT = "keep-draft"
    KEEP_EDITING = "keep-editing"


class ResumeAnswer(StrEnum):
    """What to do with a customer's saved draft when the wizard opens."""

    RESUME = "resume"
    START_OVER = "start-over"


class QuestionDialog(ModalScreen[Answer | None], Generic[Answer]):
    """A question with a button per answer; dismisses with the answer, or None when escaped."""

    BINDINGS = [Binding("escape", "dismiss_unanswered", "Cancel", id="question.cancel")]
    DEFAULT_CSS = """
    QuestionDialog { align: center middle; }
    QuestionDialog > Vertical {
        width: 66; max-width: 100%; height: auto;
        border: thick $warning 60%; background: $surface; padding: 1 2;
    }
    QuestionDialog .question { width: 1fr; margin-bottom: 1; }
    QuestionDialog Horizontal { height: auto; align-horizontal: right; }
    QuestionDialog Button { margin-left: 2; min-width: 10; }
    """

    def __init__(self, question: str, answers: Mapping[Answer, str], *, focus: Answer) -> None:
        """`answers` maps each answer to its button's label, in the buttons' order."""
        super().__init__()
        self._question = question
        self._answers = dict(answers)
        self._focus = focus

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._question, classes="question", markup=False)
            with Horizontal():
                for answer, label in self._answers.items():
                    yield Button(
                        label,
                        id=answer.value,
                        compact=True,
                        variant="primary" if answer is self._focus else "default",
                    )

    def on_mount(self) -> None:
        self.query_one(f"#{self._focus.value}", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        self.dismiss(next(answer for answer in self._answers if answer.value == event.button.id))

    def action_dismiss_unanswered(self) -> None:
        self.dismiss(None)


def close_dialog() -> QuestionDialog[CloseAnswer]:
    """Asked on Esc over a filled form; "Keep editing" is the safe default."""
    return QuestionDialog(
        "Close this contract? Keep the draft to finish it later, or discard it.",
        {
            CloseAnswer.DISCARD: "Discard",
            CloseAnswer.KEEP_DRAFT: "Close and keep the draft",
            CloseAnswer.KEEP_EDITING: "Keep editing",
        },
        focus=CloseAnswer.KEEP_EDITING,
    )


def resume_dialog(saved_at: datetime, contract_name: str) -> QuestionDialog[ResumeAnswer]:
    """Asked on open when the customer has a saved draft, last saved at `saved_at` (UTC)."""
    named = f' "{contract_name}"' if contract_name.strip() else ""
    when = f"{format_day(saved_at.date())} {saved_at:%H:%M} UTC"
    return QuestionDialog(
        f"Resume the draft{named} from {when}?",
        {ResumeAnswer.RESUME: "Resume", ResumeAnswer.START_OVER: "Start over"},
        focus=ResumeAnswer.RESUME,
    )

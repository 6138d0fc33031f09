"""Step 4: every term of the contract read back in plain words before it is created."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from metro_tui.drafts import WizardStep, draft_summary
from metro_tui.screens.contract_wizard.step_body import StepBody


class ConfirmStep(StepBody, can_focus=True):
    """The draft's summary; focusable so a long summary scrolls from the keyboard."""

    DEFAULT_CSS = """
    ConfirmStep .summary-line { height: auto; }
    ConfirmStep .summary-label { width: 22; color: $text-muted; }
    ConfirmStep .summary-value { width: 1fr; }
    """

    step = WizardStep.CONFIRM

    def compose(self) -> ComposeResult:
        try:
            lines = draft_summary(self.draft, self.context)
        except ValueError:
            yield Label("Some terms need fixing first: go back (ctrl+b) to correct them.")
            return
        yield Label("Check the terms, then create the contract.", classes="section-hint")
        for label, value in lines:
            with Horizontal(classes="summary-line"):
                yield Label(label, classes="summary-label")
                yield Label(value, classes="summary-value", markup=False)

    async def shown(self) -> None:
        await self.redraw()

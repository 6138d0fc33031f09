"""What every wizard step shares: its controls edit the draft by name, its errors show by path.

Each control is named with the path of the draft field it edits ("discounts.0.percent"), and
each FieldError carries the same path, so one handler here keeps the draft, the controls and
the messages in step without per-field code in the steps.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, RadioSet, Select, SelectionList

from metro_tui.drafts import ContractDraft, DraftContext, WizardStep
from metro_tui.drafts.field_paths import FieldValue, read_field, write_field
from metro_tui.widgets.wizard_field import FieldError


class DraftEdited(Message):
    """The user changed the field at `path`: its message may show from now on; validate, save."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class RowsChanged(Message):
    """A row was added to or removed from the list at `path` ("discounts", "credits.0.segments").

    Adding a row fills in none of its fields: their messages wait until they are typed in or
    Next is pressed. `removed` is the index of a removed row; the rows after it move up one.
    """

    def __init__(self, path: str, *, removed: int | None = None) -> None:
        super().__init__()
        self.path = path
        self.removed = removed


class RowButton(Button):
    """A button acting on one row of a list in the draft: a discount, a credit, a segment.

    Its id is the action and the row, e.g. "remove-segment-0-1" (credit 0, segment 1).
    """

    def __init__(self, label: str, action: str, *row: int) -> None:
        super().__init__(label, id="-".join([action, *map(str, row)]), classes=action, compact=True)
        self.row = row


def row_of(event: Button.Pressed) -> tuple[int, ...]:
    """The row a RowButton acts on."""
    assert isinstance(event.button, RowButton)
    return event.button.row


def step_id(step: WizardStep) -> str:
    """The DOM id of a step's body, e.g. "step-pricing"."""
    return f"step-{step.name.lower()}"


class StepBody(VerticalScroll, can_focus=False):
    """One step's form: scrolls when the terminal is short, edits the shared draft."""

    DEFAULT_CSS = """
    StepBody { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    StepBody .section-title { text-style: bold; margin-bottom: 1; }
    StepBody .section-hint { color: $text-muted; margin-bottom: 1; width: 1fr; }
    """

    step: ClassVar[WizardStep]

    def __init__(self, draft: ContractDraft, context: DraftContext) -> None:
        super().__init__(id=step_id(self.step))
        self.draft = draft
        self.context = context
        self.rates_ready = False
        """The context holds the rates of the draft's rate card (not those of another)."""
        # The catalogue and the rates can arrive together; two rebuilds at once would clash.
        self._rebuilding = asyncio.Lock()
        self._stale = False

    async def show_catalogue(self, context: DraftContext, *, rates_ready: bool) -> None:
        """The catalogue or the rate card's rates arrived: show them in the step as it is."""
        self.context = context
        self.rates_ready = rates_ready
        async with self._rebuilding:
            if not self._stale:  # else the whole step is rebuilt when next shown
                await self.offer_catalogue()

    async def offer_catalogue(self) -> None:
        """Steps that list the catalogue update those lists here, never rebuilding a text field
        (see `catalogue_controls`)."""

    def focus_first(self) -> None:
        """Focus the step's first control."""
        first = next((widget for widget in self.query("*") if widget.focusable), None)
        if first is not None:
            self.focus_control(first)
        else:
            self.scroll_home(animate=False)

    def focus_control(self, control: Widget) -> None:
        """Focus `control` and scroll it into view once the step's layout is up to date.

        A step just shown, rebuilt or given new messages has no layout for its new state yet,
        so scrolling at once would leave the focused control out of sight.
        """
        control.focus(scroll_visible=False)
        self.call_after_refresh(control.scroll_visible, animate=False)

    async def shown(self) -> None:
        """The step became the current one: catch up on what changed while it was hidden."""
        if self._stale:
            await self.redraw()

    async def show_draft(self, draft: ContractDraft) -> None:
        """Edit another draft (a resumed one) from now on: redraw now if the step is showing,
        else the next time it is."""
        self.draft = draft
        if self.display:
            await self.redraw()
        else:
            self._stale = True

    async def redraw(self, focus: str | None = None) -> None:
        """Rebuild the step from the draft after rows were added or removed.

        Focus goes to the control named or with the id `focus`, else back to the control that
        had it, if it still exists.
        """
        focused = self.screen.focused
        if focus is None and focused is not None and self in focused.ancestors:
            focus = focused.name or focused.id
        async with self._rebuilding:
            self._stale = False
            await self.recompose()
        target = self._focusable(focus) if focus else None
        if target is not None:
            self.focus_control(target)

    def _focusable(self, key: str) -> Widget | None:
        return next(
            (
                widget
                for widget in self.query("*")
                if widget.focusable and key in (widget.name, widget.id)
            ),
            None,
        )

    def edited(self, path: str) -> None:
        """A control of this step wrote `path`; steps that preview the draft update here."""

    def show_errors(self, errors: dict[str, str]) -> None:
        for field_error in self.query(FieldError):
            field_error.show(errors.get(field_error.path, ""))

    def control_for(self, path: str) -> Widget | None:
        """The control editing `path` (or the nearest one, for a message about a whole row)."""
        controls = [widget for widget in self.query("*") if widget.focusable and widget.name]
        for widget in controls:
            if widget.name == path:
                return widget
        return next(
            (widget for widget in controls if str(widget.name).startswith(f"{path}.")), None
        )

    def notify_edited(self, path: str) -> None:
        self.post_message(DraftEdited(path))

    def notify_rows_changed(self, path: str, *, removed: int | None = None) -> None:
        self.post_message(RowsChanged(path, removed=removed))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._write(event.input, event.value)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        value = event.value
        self._write(event.select, None if value is Select.NULL else str(value))

    @on(RadioSet.Changed)
    def _picked(self, event: RadioSet.Changed) -> None:
        self._write(event.radio_set, event.pressed.name)

    @on(SelectionList.SelectedChanged)
    def _tagged(self, event: SelectionList.SelectedChanged[str]) -> None:
        self._write(event.selection_list, list(event.selection_list.selected))

    def _write(self, control: Widget, value: FieldValue) -> None:
        path = control.name
        # Controls also post these messages when they are built with the draft's own value.
        if path is None or read_field(self.draft, path) == value:
            return
        write_field(self.draft, path, value)
        self.edited(path)
        self.notify_edited(path)

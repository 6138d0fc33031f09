"""The contract wizard: four steps over one autosaved draft, ending in one idempotent create."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, ContentSwitcher, Input, Label
from textual.worker import Worker, WorkerState

from metro_tui.drafts import (
    ContractDraft,
    CreateOutcome,
    CreateProgress,
    DraftContext,
    DraftStore,
    WizardStep,
    create_contract,
    price_day,
    validate_step,
)
from metro_tui.drafts.create import WizardGateway
from metro_tui.drafts.visibility import MessageVisibility
from metro_tui.errors import BillingApiError
from metro_tui.screens.contract_wizard.confirm_step import ConfirmStep
from metro_tui.screens.contract_wizard.credits_step import CreditsStep
from metro_tui.screens.contract_wizard.dialogs import (
    CloseAnswer,
    ResumeAnswer,
    close_dialog,
    resume_dialog,
)
from metro_tui.screens.contract_wizard.invoicing_step import InvoicingStep
from metro_tui.screens.contract_wizard.pricing_step import PricingStep
from metro_tui.screens.contract_wizard.problem_bar import ProblemBar
from metro_tui.screens.contract_wizard.step_body import (
    DraftEdited,
    RowsChanged,
    StepBody,
    step_id,
)
from metro_tui.widgets.step_indicator import StepIndicator

STEP_TITLES = ("Invoicing", "Pricing", "Credits", "Confirm")
HINTS = "ctrl+n next · ctrl+b back · tab next field · esc close"
CONFIRM_HINTS = "enter creates · ctrl+b back · esc close"


@dataclass(frozen=True)
class WizardCustomer:
    """The Stripe customer a contract is being created for."""

    stripe_customer_id: str
    name: str
    metronome_customer_id: str | None
    """None: the Stripe customer is not yet in Metronome (creation makes the customer)."""


class ContractWizard(ModalScreen[CreateOutcome | None]):
    """Creates a contract for one customer; dismisses with the outcome, or None if closed."""

    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next", id="wizard.next"),
        Binding("ctrl+b", "previous_step", "Back", id="wizard.back"),
        Binding("escape", "close", "Close", id="wizard.close"),
    ]
    CSS_PATH = "contract_wizard.tcss"

    def __init__(
        self,
        customer: WizardCustomer,
        gateway: WizardGateway,
        drafts: DraftStore,
        today: date,
    ) -> None:
        super().__init__()
        self.customer = customer
        self._gateway = gateway
        self._drafts = drafts
        self.draft = ContractDraft.for_customer(
            stripe_customer_id=customer.stripe_customer_id,
            customer_name=customer.name,
            metronome_customer_id=customer.metronome_customer_id,
            today=today,
        )
        self._untouched = self._comparable(self.draft)
        self.context = DraftContext(today=today)
        self.step = WizardStep.INVOICING
        self._messages = MessageVisibility()
        self._attempted: set[WizardStep] = set()
        """Steps whose Next was refused: their status line counts what is left to fix."""
        self._rates_for: tuple[str, date] | None = None
        self._creating = False
        self._autosave_failed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="wizard") as wizard:
            wizard.border_title = f"New contract for {self.customer.name}"
            yield StepIndicator(STEP_TITLES, id="wizard-indicator")
            yield ProblemBar(id="wizard-problem")
            with ContentSwitcher(initial=step_id(self.step), id="wizard-steps"):
                for body in (InvoicingStep, PricingStep, CreditsStep, ConfirmStep):
                    yield body(self.draft, self.context)
            yield Label("", id="wizard-status")
            with Horizontal(id="wizard-buttons"):
                yield Button("Back", id="back", compact=True, disabled=True)
                yield Button("Next", id="next", compact=True, variant="primary")
                yield Button("Create contract", id="create", compact=True, variant="success")
                yield Label(HINTS, id="wizard-hints")

    def on_mount(self) -> None:
        self._body(WizardStep.INVOICING).focus_first()
        self._load_catalogue()
        saved = self._drafts.load(self.customer.stripe_customer_id)
        if saved is not None:
            saved_at = self._drafts.saved_at(self.customer.stripe_customer_id)
            self.app.push_screen(
                resume_dialog(saved_at or datetime.now(UTC), saved.name),
                lambda resume: self._resume_answered(saved, resume),
            )

    # Steps and navigation

    def _body(self, step: WizardStep) -> StepBody:
        return self.query_one(f"#{step_id(step)}", StepBody)

    def _bodies(self) -> list[StepBody]:
        return list(self.query(StepBody))

    async def action_next_step(self) -> None:
        if self.step is WizardStep.CONFIRM or self._creating:
            return
        errors = validate_step(self.draft, self.step, self.context)
        waiting = self.step is WizardStep.PRICING and not errors and not self._rates_ready()
        if errors or waiting:
            self._attempted.add(self.step)
            self._messages.next_refused(errors)
            self._show_errors()
            if waiting:
                self._status("Wait for the rate card's prices to load (or press Retry).")
            body = self._body(self.step)
            control = body.control_for(next(iter(errors))) if errors else None
            if control is not None:
                body.focus_control(control)
            return
        await self._go_to(WizardStep(self.step + 1))

    async def action_previous_step(self) -> None:
        if self.step is WizardStep.INVOICING or self._creating:
            return
        await self._go_to(WizardStep(self.step - 1))

    async def _go_to(self, step: WizardStep) -> None:
        self.step = step
        self.query_one(ContentSwitcher).current = step_id(step)
        self.query_one(StepIndicator).current = int(step)
        confirming = step is WizardStep.CONFIRM
        self.query_one("#back", Button).disabled = step is WizardStep.INVOICING
        self.query_one("#next", Button).display = not confirming
        self.query_one("#create", Button).display = confirming
        self.query_one("#wizard-hints", Label).update(CONFIRM_HINTS if confirming else HINTS)
        if step is WizardStep.PRICING:
            self._load_rates_if_needed()
        body = self._body(step)
        await body.shown()
        self._show_errors()
        if confirming:
            self.query_one("#create", Button).focus()
        else:
            body.focus_first()

    @on(Button.Pressed, "#next")
    async def _next_pressed(self) -> None:
        await self.action_next_step()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self) -> None:
        await self.action_previous_step()

    @on(Input.Submitted)
    def _field_submitted(self) -> None:
        self.focus_next()

    # Editing, validation and autosave

    @on(DraftEdited)
    def _draft_edited(self, event: DraftEdited) -> None:
        self._messages.touched(event.path)
        if event.path == "rate_card_id":
            self._load_rates_if_needed()
        self._show_errors()
        self._autosave()

    @on(RowsChanged)
    def _rows_changed(self, event: RowsChanged) -> None:
        if event.removed is not None:
            self._messages.row_removed(event.path, event.removed)
        self._show_errors()
        self._autosave()

    def _show_errors(self) -> None:
        """The current step's messages, for fields touched or shown when Next was refused."""
        if self.step is WizardStep.CONFIRM:
            self._status("")
            return
        shown = self._messages.visible(validate_step(self.draft, self.step, self.context))
        self._body(self.step).show_errors(shown)
        count = len(shown)
        fields = "field" if count == 1 else "fields"
        attempted = self.step in self._attempted
        self._status(
            f"Fix the {count} {fields} marked in red to continue." if attempted and count else ""
        )

    def _status(self, text: str) -> None:
        label = self.query_one("#wizard-status", Label)
        if str(label.content) != text:
            label.update(text)

    def _autosave(self) -> None:
        try:
            self._drafts.save(self.draft)
        except OSError as error:
            if not self._autosave_failed:
                self._autosave_failed = True
                self.notify(
                    f"The draft could not be saved: {error}", severity="warning", markup=False
                )

    @staticmethod
    def _comparable(draft: ContractDraft) -> dict[str, object]:
        return draft.model_dump(exclude={"uniqueness_key"})

    # Closing and resuming

    def action_close(self) -> None:
        if self._creating:
            self.notify("The contract is being created; wait for it to finish.")
            return
        if self._comparable(self.draft) == self._untouched:
            self._drafts.delete(self.customer.stripe_customer_id)
            self.dismiss(None)
            return
        self.app.push_screen(close_dialog(), self._close_answered)

    def _close_answered(self, answer: CloseAnswer | None) -> None:
        if answer is CloseAnswer.DISCARD:
            self._drafts.delete(self.customer.stripe_customer_id)
            self.dismiss(None)
        elif answer is CloseAnswer.KEEP_DRAFT:
            self._keep_draft_and_close()

    def _keep_draft_and_close(self) -> None:
        try:
            self._drafts.save(self.draft)
        except OSError as error:
            self.notify(
                f"The draft could not be saved, so the form stays open: {error}",
                severity="error",
                markup=False,
            )
            return
        self.notify(
            f"Draft kept: the next new contract for {self.customer.name} offers to resume it.",
            markup=False,
        )
        self.dismiss(None)

    async def _resume_answered(self, saved: ContractDraft, answer: ResumeAnswer | None) -> None:
        # Escaping the question keeps the saved work: only "Start over" throws it away.
        if answer is ResumeAnswer.START_OVER:
            self._drafts.delete(self.customer.stripe_customer_id)
            return
        if saved.metronome_customer_id is None:
            saved.metronome_customer_id = self.customer.metronome_customer_id
        self.draft = saved
        for body in self._bodies():
            await body.show_draft(saved)
        self._body(self.step).focus_first()
        self._load_rates_if_needed()

    # Catalogue and rates

    @work(exclusive=True, group="wizard-catalogue", exit_on_error=False)
    async def _load_catalogue(self) -> None:
        self._clear_problem()
        loading = [self._body(WizardStep.PRICING), self._body(WizardStep.CREDITS)]
        for body in loading:
            body.loading = True
        try:
            rate_cards, products = await asyncio.gather(
                self._gateway.rate_cards(), self._gateway.products()
            )
        except BillingApiError as error:
            self._show_problem(
                f"The rate cards and products could not be loaded. {error.user_message}",
                self._load_catalogue,
            )
            return
        finally:
            for body in loading:
                body.loading = False
        self.context = replace(self.context, rate_cards=tuple(rate_cards), products=tuple(products))
        await self._show_catalogue()

    def _rates_wanted(self) -> tuple[str, date] | None:
        if not self.draft.rate_card_id:
            return None
        return self.draft.rate_card_id, price_day(self.draft, self.context.today)

    def _rates_ready(self) -> bool:
        return self._rates_for is not None and self._rates_for == self._rates_wanted()

    def _load_rates_if_needed(self) -> None:
        wanted = self._rates_wanted()
        if wanted == self._rates_for:
            return
        self._rates_for = None
        self.context = replace(self.context, rates=())
        self._load_rates(wanted)

    @work(exclusive=True, group="wizard-rates", exit_on_error=False)
    async def _load_rates(self, wanted: tuple[str, date] | None) -> None:
        await self._show_catalogue()
        if wanted is None:
            return
        rate_card_id, day = wanted
        try:
            rates = await self._gateway.rates(
                rate_card_id, datetime(day.year, day.month, day.day, tzinfo=UTC)
            )
        except BillingApiError as error:
            self._show_problem(
                f"The rate card's prices could not be loaded. {error.user_message}",
                self._load_rates_if_needed,
            )
            return
        if self._rates_wanted() != wanted:
            return  # the user chose another rate card meanwhile
        self._rates_for = wanted
        self.context = replace(self.context, rates=tuple(rates))
        await self._show_catalogue()
        self._show_errors()

    async def _show_catalogue(self) -> None:
        rates_ready = self._rates_ready()
        for body in self._bodies():
            await body.show_catalogue(self.context, rates_ready=rates_ready)

    # Problems and retry

    def _show_problem(self, message: str, retry: Callable[[], object] | None) -> None:
        self.query_one(ProblemBar).show(message, retry)

    def _clear_problem(self) -> None:
        self.query_one(ProblemBar).clear()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker failed in a way no handler expected: say so, keep the form."""
        if event.state is not WorkerState.ERROR:
            return
        self._set_creating(False)
        self._show_problem(f"Something went wrong: {event.worker.error}", None)

    # Creating the contract

    @on(Button.Pressed, "#create")
    def _create_pressed(self) -> None:
        self._start_create()

    def _start_create(self) -> None:
        if self._creating:
            return
        self._set_creating(True)
        self._create()

    def _set_creating(self, creating: bool) -> None:
        self._creating = creating
        self.query_one("#create", Button).disabled = creating
        self.query_one("#back", Button).disabled = creating or self.step is WizardStep.INVOICING
        if creating:
            self._clear_problem()

    def _create_progress(self, progress: CreateProgress) -> None:
        self._status(str(progress))
        if progress is CreateProgress.CREATING_CONTRACT:
            self._autosave()  # keeps the id of a Metronome customer just created

    @work(exclusive=True, group="wizard-create", exit_on_error=False)
    async def _create(self) -> None:
        try:
            outcome = await create_contract(
                self._gateway, self.draft, self.context, self._create_progress
            )
        except BillingApiError as error:
            self._autosave()
            self._set_creating(False)
            self._status("")
            self._show_problem(
                f"The contract was not created. {error.user_message}", self._start_create
            )
            self.query_one(ProblemBar).focus_retry()
            return
        self._drafts.delete(self.customer.stripe_customer_id)
        self.dismiss(outcome)

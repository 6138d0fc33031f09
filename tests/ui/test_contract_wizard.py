"""The contract wizard driven from the keyboard against the seeded local backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import metronome
import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import (
    Button,
    Label,
)

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.drafts import (
    ContractDraft,
    CreateOutcome,
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
    DraftStore,
    WizardStep,
)
from metro_tui.errors import UnavailableError
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from metro_tui.models import Contract, RateCard
from metro_tui.screens.contract_wizard import ContractWizard, WizardCustomer
from metro_tui.widgets.wizard_field import FieldError
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.drafts.backend_records import (
    linked_customer,
    stripe_customer_name,
    unlinked_stripe_customer,
)
from tests.ui.wizard_keys import (
    choose,
    fill,
    fill_minimal,
    next_step,
    pick,
    press_button,
    settle,
    tick,
    uncheck_product,
)

TODAY = date.fromisoformat(TEST_TODAY)
RATE_CARD_MISSING = "No rate card chosen: a contract needs one for its prices"


class WizardHarness(App[None]):
    """Opens the wizard for one customer, as the customer screens do, and keeps its results."""

    def __init__(
        self, customer: WizardCustomer, gateway: MetronomeGateway, drafts: DraftStore
    ) -> None:
        super().__init__()
        self.customer = customer
        self.gateway = gateway
        self.drafts = drafts
        self.outcomes: list[CreateOutcome | None] = []
        self.animation_level = "none"  # scrolling to a focused field is instant, not animated

    def on_mount(self) -> None:
        self.open_wizard()

    def open_wizard(self) -> None:
        wizard = ContractWizard(self.customer, self.gateway, self.drafts, TODAY)
        self.push_screen(wizard, self.outcomes.append)

    async def on_unmount(self) -> None:
        await self.gateway.close()

    @property
    def wizard(self) -> ContractWizard:
        return next(s for s in self.screen_stack if isinstance(s, ContractWizard))


def linked_wizard_customer(backend: RunningBackend) -> WizardCustomer:
    customer_id, stripe_id = linked_customer(backend)
    return WizardCustomer(stripe_id, stripe_customer_name(backend, stripe_id), customer_id)


def rate_card_id(backend: RunningBackend, name: str) -> str:
    row = backend.db.query_one(
        "SELECT id FROM rate_cards WHERE json_extract(doc, '$.name') = ?", (name,)
    )
    assert row is not None
    return str(row[0])


def product_id(backend: RunningBackend, name: str) -> str:
    row = backend.db.query_one(
        "SELECT id FROM products WHERE json_extract(doc, '$.current.name') = ?", (name,)
    )
    assert row is not None
    return str(row[0])


def filled_draft(backend: RunningBackend, customer: WizardCustomer) -> ContractDraft:
    """A valid draft using every part of the form: Dec 1, 2026 to May 31, 2027 on Standard."""
    draft = ContractDraft.for_customer(
        stripe_customer_id=customer.stripe_customer_id,
        customer_name=customer.name,
        metronome_customer_id=customer.metronome_customer_id,
        today=TODAY,
    )
    draft.name = "Pilot 2027"
    draft.start_date, draft.end_date = "2026-12-01", "2027-05-31"
    draft.invoice_frequency, draft.send_on = "QUARTERLY", "CONTRACT_START"
    draft.net_payment_terms = "45"
    draft.rate_card_id = rate_card_id(backend, "Standard")
    draft.discounts = [DiscountDraft(percent="15", tags=["compute"], start_date="2027-01-01")]
    draft.subscription_quantities = {product_id(backend, "Seats"): "10"}
    draft.entitlements = {product_id(backend, "Data transfer GB"): False}
    draft.credits = [
        CreditDraft(
            product_id=product_id(backend, "Prepaid credits"),
            applicable_tags=["compute", "ai"],
            start_date="2026-12-01",
            end_date="2027-05-31",
            invoice_amount="8,000",
            credit_amount="10,000",
        ),
        CreditDraft(
            product_id=product_id(backend, "Onboarding credit"),
            schedule="CUSTOM",
            segments=[
                CreditSegmentDraft(
                    start_date="2026-12-01", end_date="2027-02-28", credit_amount="500"
                ),
                CreditSegmentDraft(
                    start_date="2027-03-01",
                    end_date="2027-05-31",
                    invoice_amount="100",
                    credit_amount="250.50",
                ),
            ],
        ),
    ]
    return draft


def gateway_for(backend: RunningBackend) -> MetronomeGateway:
    return MetronomeGateway(TEST_TOKEN, backend.metronome_url)


def step_of(app: WizardHarness) -> WizardStep:
    return app.wizard.step


def shown_errors(app: WizardHarness) -> dict[str, str]:
    """Messages on screen, by the path of the field they are about."""
    return {
        error.path: error.message
        for error in app.wizard.query(FieldError)
        if error.has_class("-shown") and error.message
    }


def status(app: WizardHarness) -> str:
    return str(app.wizard.query_one("#wizard-status", Label).content)


# Filling the steps


async def fill_invoicing(pilot: Pilot[Any], name: str) -> None:
    """Starts today (the default) and ends on 2027-11-23."""
    await fill(pilot, "name", name)
    await fill(pilot, "end_date", "2027-11-23")
    await choose(pilot, "invoice_frequency", "Quarterly")
    await pick(pilot, "send_on", "CONTRACT_START")
    await fill(pilot, "net_payment_terms", "45")
    await next_step(pilot)


async def fill_pricing(pilot: Pilot[Any], seats_id: str) -> None:
    await choose(pilot, "rate_card_id", "Standard")
    await settle(pilot)
    await press_button(pilot, "add-discount")
    await fill(pilot, "discounts.0.percent", "15")
    await tick(pilot, "discounts.0.tags", "compute")
    await fill(pilot, "discounts.0.end_date", "2027-05-31")
    await fill(pilot, f"subscription_quantities.{seats_id}", "10")
    await uncheck_product(pilot, "Data transfer GB")
    await next_step(pilot)


async def fill_credits(pilot: Pilot[Any]) -> None:
    await press_button(pilot, "add-credit")
    await choose(pilot, "credits.0.product_id", "Prepaid credits")
    await tick(pilot, "credits.0.applicable_tags", "compute", "ai")
    await fill(pilot, "credits.0.start_date", TEST_TODAY)
    await fill(pilot, "credits.0.end_date", "2027-11-23")
    await fill(pilot, "credits.0.invoice_amount", "8,000")
    await fill(pilot, "credits.0.credit_amount", "10,000")

    await press_button(pilot, "add-credit")
    await choose(pilot, "credits.1.product_id", "Promotional credit")
    await pick(pilot, "credits.1.schedule", "MONTHLY")
    await settle(pilot)
    await fill(pilot, "credits.1.start_date", "2026-12-01")
    await fill(pilot, "credits.1.credit_amount", "50")
    await next_step(pilot)


# Reading back


@pytest.fixture
async def sdk(backend: RunningBackend) -> AsyncIterator[metronome.AsyncMetronome]:
    client = metronome.AsyncMetronome(
        bearer_token=TEST_TOKEN, base_url=backend.metronome_url, _strict_response_validation=True
    )
    yield client
    await client.close()


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T00:00:00+00:00")


class CountingGateway(MetronomeGateway):
    """Counts contract creates, and notes what the wizard showed while each call was made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app: WizardHarness | None = None
        self.seen: list[tuple[str, str, bool]] = []

    def _note(self, call: str) -> None:
        assert self.app is not None
        create = self.app.wizard.query_one("#create", Button)
        self.seen.append((call, status(self.app), create.disabled))

    async def create_customer_for_stripe(self, name: str, stripe_customer_id: str) -> str:
        self._note("create customer")
        return await super().create_customer_for_stripe(name, stripe_customer_id)

    async def create_contract(self, params: dict[str, Any]) -> str:
        self._note("create contract")
        return await super().create_contract(params)


async def test_a_contract_filled_from_the_keyboard_is_created_with_every_term(
    backend: RunningBackend, sdk: metronome.AsyncMetronome, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    gateway = CountingGateway(TEST_TOKEN, backend.metronome_url)
    drafts = DraftStore(tmp_path)
    app = WizardHarness(customer, gateway, drafts)
    gateway.app = app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill_invoicing(pilot, "Keyboard contract")
        assert step_of(app) is WizardStep.PRICING
        await fill_pricing(pilot, product_id(backend, "Seats"))
        assert step_of(app) is WizardStep.CREDITS
        await fill_credits(pilot)
        assert step_of(app) is WizardStep.CONFIRM
        key = app.wizard.draft.uniqueness_key
        assert drafts.load(customer.stripe_customer_id) == app.wizard.draft
        assert app.focused is app.wizard.query_one("#create", Button)
        await pilot.press("enter", "enter")  # a double press still sends one request
        await settle(pilot)

    (outcome,) = app.outcomes
    assert outcome is not None
    assert (outcome.metronome_customer_id, outcome.created_customer) == (
        customer.metronome_customer_id,
        False,
    )
    assert gateway.seen == [("create contract", "Creating contract…", True)]
    assert drafts.load(customer.stripe_customer_id) is None
    assert customer.metronome_customer_id is not None
    listed = await stored_contracts(backend, customer.metronome_customer_id)
    assert [c.id for c in listed if c.uniqueness_key == key] == [outcome.contract_id]

    contract = (
        await sdk.v2.contracts.retrieve(
            customer_id=customer.metronome_customer_id, contract_id=outcome.contract_id
        )
    ).data
    assert (contract.name, contract.rate_card_id) == (
        "Keyboard contract",
        rate_card_id(backend, "Standard"),
    )
    assert (contract.starting_at, contract.ending_before) == (at(TEST_TODAY), at("2027-11-24"))
    assert contract.net_payment_terms_days == 45
    assert contract.usage_statement_schedule.frequency == "QUARTERLY"
    assert contract.usage_statement_schedule.billing_anchor_date == at(TEST_TODAY)
    discount, exclusion = contract.overrides
    assert (discount.multiplier, discount.applicable_product_tags) == (0.85, ["compute"])
    assert (discount.starting_at, discount.ending_before) == (at(TEST_TODAY), at("2027-06-01"))
    assert exclusion.product is not None
    assert (exclusion.product.name, exclusion.entitled) == ("Data transfer GB", False)
    (seats,) = contract.subscriptions or []
    assert seats.subscription_rate.product.name == "Seats"
    assert [item.quantity for item in seats.quantity_schedule] == [10]
    (prepaid,) = contract.commits
    assert (prepaid.type, prepaid.product.name, prepaid.applicable_product_tags) == (
        "PREPAID",
        "Prepaid credits",
        ["compute", "ai"],
    )
    assert prepaid.access_schedule is not None
    assert [
        (item.amount, item.starting_at, item.ending_before)
        for item in prepaid.access_schedule.schedule_items
    ] == [(1_000_000, at(TEST_TODAY), at("2027-11-24"))]
    assert prepaid.invoice_schedule is not None
    assert [item.amount for item in prepaid.invoice_schedule.schedule_items or []] == [800_000]
    (promotional,) = contract.recurring_credits or []
    assert (promotional.product.name, promotional.access_amount.unit_price) == (
        "Promotional credit",
        5_000,
    )
    assert (promotional.starting_at, promotional.ending_before) == (at("2026-12-01"), None)
    assert contract.uniqueness_key == key


async def stored_contracts(backend: RunningBackend, customer_id: str) -> list[Contract]:
    gateway = gateway_for(backend)
    try:
        return await gateway.contracts(customer_id)
    finally:
        await gateway.close()


async def test_an_unlinked_stripe_customer_gets_a_metronome_customer_and_the_contract(
    backend: RunningBackend, tmp_path: Path
) -> None:
    stripe_id, stripe_name = unlinked_stripe_customer(backend)
    gateway = CountingGateway(TEST_TOKEN, backend.metronome_url)
    drafts = DraftStore(tmp_path)
    app = WizardHarness(WizardCustomer(stripe_id, stripe_name, None), gateway, drafts)
    gateway.app = app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill_minimal(pilot, "First contract")
        assert step_of(app) is WizardStep.CONFIRM
        summary = [
            str(label.content) for label in app.wizard.query(".summary-value").results(Label)
        ]
        assert "Created with the contract" in summary
        await pilot.press("enter")
        await settle(pilot)

    (outcome,) = app.outcomes
    assert outcome is not None
    assert outcome.created_customer is True
    assert gateway.seen == [
        ("create customer", "Creating Metronome customer…", True),
        ("create contract", "Creating contract…", True),
    ]
    reader = gateway_for(backend)
    try:
        customer = await reader.customer(outcome.metronome_customer_id)
        (link,) = await reader.billing_configurations(customer.id)
        contracts = await reader.contracts(customer.id)
    finally:
        await reader.close()
    assert customer.name == stripe_name
    assert (link.billing_provider, link.stripe_customer_id) == ("stripe", stripe_id)
    assert [(c.id, c.name) for c in contracts] == [(outcome.contract_id, "First contract")]


async def test_invoicing_rules_show_beside_their_fields_and_block_next(
    backend: RunningBackend, tmp_path: Path
) -> None:
    app = WizardHarness(linked_wizard_customer(backend), gateway_for(backend), DraftStore(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, "start_date", "2026-02-30")
        await fill(pilot, "end_date", "2026-1-5")
        await fill(pilot, "net_payment_terms", "4.5")
        # Typed fields say what is wrong at once; the untouched name waits for Next.
        assert shown_errors(app) == {
            "start_date": "2026-02-30 is not a real date",
            "end_date": "'2026-1-5' is not a date; enter it as YYYY-MM-DD",
            "net_payment_terms": "Net payment terms must be a whole number of days, 0 or more",
        }
        assert_beside_its_field(app, "end_date")
        await next_step(pilot)
        assert step_of(app) is WizardStep.INVOICING
        assert shown_errors(app)["name"] == "Enter a contract name"
        assert status(app) == "Fix the 4 fields marked in red to continue."
        assert app.focused is not None and app.focused.name == "name"

        await fill(pilot, "name", "Rules")
        await fill(pilot, "start_date", "2026-12-01")
        await fill(pilot, "end_date", "2026-11-30")
        await fill(pilot, "net_payment_terms", "-1")
        assert shown_errors(app) == {
            "end_date": "End date cannot be before the start date",
            "net_payment_terms": "Net payment terms must be a whole number of days, 0 or more",
        }
        await fill(pilot, "end_date", "2026-12-01")  # the last day: a one-day contract
        assert "end_date" not in shown_errors(app)
        await fill(pilot, "end_date", "2027-05-31")
        await fill(pilot, "net_payment_terms", "0")
        assert shown_errors(app) == {}
        await next_step(pilot)
        assert step_of(app) is WizardStep.PRICING
        await next_step(pilot)
        assert shown_errors(app) == {"rate_card_id": RATE_CARD_MISSING}
        assert step_of(app) is WizardStep.PRICING


async def test_pricing_and_credit_rules_show_beside_their_fields_and_block_next(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    draft = filled_draft(backend, customer)
    draft.discounts = [DiscountDraft()]
    draft.credits[0] = CreditDraft(product_id=draft.credits[0].product_id)
    draft.credits[1].segments[1] = CreditSegmentDraft(credit_amount="10")
    drafts.save(draft)
    app = WizardHarness(customer, gateway_for(backend), drafts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # resume
        await next_step(pilot)
        assert step_of(app) is WizardStep.PRICING
        await fill(pilot, "discounts.0.percent", "150")
        await fill(pilot, "discounts.0.start_date", "2026-11-01")
        await fill(pilot, "discounts.0.end_date", "2027-06-30")
        await next_step(pilot)
        assert step_of(app) is WizardStep.PRICING
        assert shown_errors(app) == {
            "discounts.0.percent": "Discount must be between 0 and 100 percent",
            "discounts.0.tags": "Choose at least one product tag for the discount",
            "discounts.0.start_date": "Start date must be on or after the contract start "
            "(2026-12-01)",
            "discounts.0.end_date": "End date must be on or before the contract end date "
            "(2027-05-31)",
        }
        assert_beside_its_field(app, "discounts.0.percent")
        await press_button(pilot, "remove-discount-0")
        await next_step(pilot)
        assert step_of(app) is WizardStep.CREDITS

        await fill(pilot, "credits.0.start_date", "2026-12-01")
        await fill(pilot, "credits.0.end_date", "2027-05-31")
        await fill(pilot, "credits.0.invoice_amount", "-5")
        await fill(pilot, "credits.0.credit_amount", "0")
        assert shown_errors(app) == {
            "credits.0.invoice_amount": "The amount cannot be negative.",
            "credits.0.credit_amount": "Credit amount must be more than zero",
        }
        assert_beside_its_field(app, "credits.0.credit_amount")
        await fill(pilot, "credits.0.credit_amount", "ten")
        assert shown_errors(app)["credits.0.credit_amount"] == (
            "'ten' is not an amount of money; for example 1,250.00."
        )
        await fill(pilot, "credits.0.invoice_amount", "")
        await fill(pilot, "credits.0.credit_amount", "100")
        await fill(pilot, "credits.1.segments.1.start_date", "2027-02-15")
        await fill(pilot, "credits.1.segments.1.end_date", "2027-06-30")
        await next_step(pilot)
        assert step_of(app) is WizardStep.CREDITS
        assert shown_errors(app) == {
            "credits.1.segments.1.end_date": "End: End date must be on or before the contract "
            "end date (2027-05-31)",
        }
        await fill(pilot, "credits.1.segments.1.end_date", "2027-05-31")
        assert shown_errors(app) == {
            "credits.1.segments.1.start_date": "Start: This segment overlaps segment 1",
        }
        await fill(pilot, "credits.1.segments.1.start_date", "2027-03-01")
        assert shown_errors(app) == {}
        await next_step(pilot)
        assert step_of(app) is WizardStep.CONFIRM


def assert_beside_its_field(app: WizardHarness, path: str) -> None:
    """The message sits in the same form row as the control, right under it."""
    error = next(e for e in app.wizard.query(FieldError) if e.path == path)
    control = next(w for w in app.wizard.query("*") if w.name == path and w.focusable)
    assert error.parent is not None and control in error.parent.query("*")
    assert error.region.y == control.region.y + 1


class LostResponseGateway(MetronomeGateway):
    """Metronome creates the first contract, but its answer never reaches the app."""

    creates = 0

    async def create_contract(self, params: dict[str, Any]) -> str:
        self.creates += 1
        contract_id = await super().create_contract(params)
        if self.creates == 1:
            raise UnavailableError("Metronome", "the connection closed before the answer came")
        return contract_id


async def test_a_lost_response_then_retry_makes_exactly_one_contract(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    gateway = LostResponseGateway(TEST_TOKEN, backend.metronome_url)
    drafts = DraftStore(tmp_path)
    app = WizardHarness(customer, gateway, drafts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill_minimal(pilot, "Lost answer")
        key = app.wizard.draft.uniqueness_key
        await pilot.press("enter")
        await settle(pilot)
        problem = str(app.wizard.query_one("#problem-message", Label).content)
        assert problem == (
            "The contract was not created. Metronome: the connection closed before the answer came"
        )
        assert app.outcomes == []
        assert step_of(app) is WizardStep.CONFIRM
        assert app.wizard.draft.name == "Lost answer"
        assert app.wizard.query_one("#create", Button).disabled is False
        saved = drafts.load(customer.stripe_customer_id)
        assert saved is not None and saved.uniqueness_key == key
        await press_button(pilot, "retry")

    (outcome,) = app.outcomes
    assert outcome is not None and outcome.already_created is True
    assert gateway.creates == 2
    assert customer.metronome_customer_id is not None
    contracts = await stored_contracts(backend, customer.metronome_customer_id)
    assert [c.id for c in contracts if c.uniqueness_key == key] == [outcome.contract_id]


@pytest.fixture
def dropping_backend(data_file: Path) -> Iterator[RunningBackend]:
    """The seeded backend; it commits the first contract create, then drops its connection."""
    running = start_in_thread(
        data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY, drop_after_commit=1)
    )
    yield running
    running.stop()


async def test_a_response_dropped_by_the_backend_still_makes_exactly_one_contract(
    dropping_backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(dropping_backend)
    app = WizardHarness(customer, gateway_for(dropping_backend), DraftStore(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill_minimal(pilot, "Dropped answer")
        key = app.wizard.draft.uniqueness_key
        await pilot.press("enter")
        await settle(pilot)

    # The client retried the create by itself; Metronome answered that the key was taken.
    (outcome,) = app.outcomes
    assert outcome is not None and outcome.already_created is True
    assert customer.metronome_customer_id is not None
    contracts = await stored_contracts(dropping_backend, customer.metronome_customer_id)
    assert [c.id for c in contracts if c.uniqueness_key == key] == [outcome.contract_id]


class CatalogueOutageGateway(MetronomeGateway):
    """The first rate card list fails, as if Metronome were briefly down."""

    failed = False

    async def rate_cards(self) -> list[RateCard]:
        if not self.failed:
            self.failed = True
            raise UnavailableError("Metronome", "503 Service Unavailable")
        return await super().rate_cards()


async def test_a_failed_catalogue_load_is_shown_and_retried_without_losing_the_form(
    backend: RunningBackend, tmp_path: Path
) -> None:
    gateway = CatalogueOutageGateway(TEST_TOKEN, backend.metronome_url)
    app = WizardHarness(linked_wizard_customer(backend), gateway, DraftStore(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        problem = app.wizard.query_one("#problem-message", Label)
        assert str(problem.content) == (
            "The rate cards and products could not be loaded. Metronome: 503 Service Unavailable"
        )
        await fill(pilot, "name", "Kept")
        await next_step(pilot)
        await next_step(pilot)
        assert shown_errors(app) == {"rate_card_id": RATE_CARD_MISSING}
        await press_button(pilot, "retry")
        assert not app.wizard.query_one("#wizard-problem").has_class("-shown")
        await choose(pilot, "rate_card_id", "Enterprise")
        await settle(pilot)
        await next_step(pilot)
        assert step_of(app) is WizardStep.CREDITS
        assert app.wizard.draft.name == "Kept"


async def test_escape_closes_an_untouched_form_at_once_and_asks_about_a_filled_one(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    app = WizardHarness(customer, gateway_for(backend), drafts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.outcomes == [None]
        assert not any(isinstance(s, ContractWizard) for s in app.screen_stack)

        app.open_wizard()
        await settle(pilot)
        await fill(pilot, "name", "Half done")
        await pilot.press("escape")
        await pilot.pause()
        question = app.screen.query_one(".question", Label)
        assert str(question.content) == (
            "Close this contract? Keep the draft to finish it later, or discard it."
        )
        assert [str(button.label) for button in app.screen.query(Button)] == [
            "Discard",
            "Close and keep the draft",
            "Keep editing",
        ]
        await pilot.press("enter")  # "Keep editing" has focus
        await pilot.pause()
        assert app.screen is app.wizard
        assert app.outcomes == [None]
        assert app.focused is not None and app.focused.name == "name"

    # The app quits (or crashes) with the wizard open: the draft is still on disk.
    assert drafts.saved_at(customer.stripe_customer_id) is not None
    reopened = WizardHarness(customer, gateway_for(backend), drafts)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        question = reopened.screen.query_one(".question", Label)
        assert str(question.content).startswith('Resume the draft "Half done" from ')
        assert str(question.content).endswith(" UTC?")
        await pilot.press("enter")  # "Resume" has focus
        await settle(pilot)
        assert reopened.wizard.draft.name == "Half done"
        name_input = reopened.wizard.query_one("#name")
        assert getattr(name_input, "value", None) == "Half done"

        await pilot.press("escape")
        await pilot.pause()
        await press_button(pilot, "discard")
        assert reopened.outcomes == [None]
    assert drafts.load(customer.stripe_customer_id) is None


async def test_close_and_keep_the_draft_closes_and_offers_it_next_time(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    app = WizardHarness(customer, gateway_for(backend), drafts)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, "name", "For later")
        await fill(pilot, "end_date", "2027-11-23")
        await pilot.press("escape")
        await pilot.pause()
        await press_button(pilot, "keep-draft")
        assert app.outcomes == [None]
        assert not any(isinstance(s, ContractWizard) for s in app.screen_stack)
        assert [n.message for n in app._notifications] == [
            f"Draft kept: the next new contract for {customer.name} offers to resume it."
        ]
        saved = drafts.load(customer.stripe_customer_id)
        assert saved is not None
        assert (saved.name, saved.end_date) == ("For later", "2027-11-23")

        app.open_wizard()
        await settle(pilot)
        question = app.screen.query_one(".question", Label)
        assert str(question.content).startswith('Resume the draft "For later" from ')
        await pilot.press("enter")  # "Resume" has focus
        await settle(pilot)
        assert (app.wizard.draft.name, app.wizard.draft.end_date) == ("For later", "2027-11-23")


async def test_starting_over_forgets_the_saved_draft(
    backend: RunningBackend, tmp_path: Path
) -> None:
    customer = linked_wizard_customer(backend)
    drafts = DraftStore(tmp_path)
    first = WizardHarness(customer, gateway_for(backend), drafts)
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill(pilot, "name", "Old idea")
        old_key = first.wizard.draft.uniqueness_key
    second = WizardHarness(customer, gateway_for(backend), drafts)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "enter")  # "Start over"
        await settle(pilot)
        assert drafts.load(customer.stripe_customer_id) is None
        assert second.wizard.draft.name == ""
        assert second.wizard.draft.uniqueness_key != old_key

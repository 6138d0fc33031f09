"""Creating the wizard's contract against the local backend, and reading it back with the SDK."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import metronome
import pytest
from metronome.types.shared.contract_v2 import ContractV2

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.drafts import (
    ContractDraft,
    CreateProgress,
    CreditDraft,
    CreditSegmentDraft,
    CustomerLinkError,
    DiscountDraft,
    DraftContext,
    InvalidDraftError,
    create_contract,
)
from metro_tui.local.server import RunningBackend
from metro_tui.models import MetronomeCustomer
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.drafts.backend_records import linked_customer, unlinked_stripe_customer

START = datetime(2026, 12, 15, tzinfo=UTC)
USD = "2714e483-4ff1-48e4-9e25-ac732e8f24f2"


class RacedGateway(MetronomeGateway):
    """Its first alias look-up misses, as if another attempt created the customer just after."""

    missed = False

    async def customer_by_ingest_alias(self, alias: str) -> MetronomeCustomer | None:
        if not self.missed:
            self.missed = True
            return None
        return await super().customer_by_ingest_alias(alias)


@pytest.fixture
async def gateway(backend: RunningBackend) -> AsyncIterator[MetronomeGateway]:
    gateway = MetronomeGateway(TEST_TOKEN, backend.metronome_url)
    yield gateway
    await gateway.close()


@pytest.fixture
async def sdk(backend: RunningBackend) -> AsyncIterator[metronome.AsyncMetronome]:
    client = metronome.AsyncMetronome(
        bearer_token=TEST_TOKEN, base_url=backend.metronome_url, _strict_response_validation=True
    )
    yield client
    await client.close()


@pytest.fixture
async def context(gateway: MetronomeGateway) -> DraftContext:
    """The seeded catalogue, priced on the Standard rate card."""
    cards = await gateway.rate_cards()
    standard = next(card for card in cards if card.name == "Standard")
    return DraftContext(
        today=date.fromisoformat(TEST_TODAY),
        products=tuple(await gateway.products()),
        rates=tuple(await gateway.rates(standard.id, START)),
        rate_cards=tuple(cards),
    )


def product_id(context: DraftContext, name: str) -> str:
    return next(product.id for product in context.products if product.name == name)


def customers_for_stripe(backend: RunningBackend, stripe_customer_id: str) -> int:
    row = backend.db.query_one(
        "SELECT COUNT(DISTINCT customer_id) FROM billing_configurations "
        "WHERE stripe_customer_id = ?",
        (stripe_customer_id,),
    )
    assert row is not None
    return int(row[0])


def customer_count(backend: RunningBackend) -> int:
    row = backend.db.query_one("SELECT COUNT(*) FROM customers")
    assert row is not None
    return int(row[0])


def full_draft(
    context: DraftContext, stripe_customer_id: str, metronome_customer_id: str | None
) -> ContractDraft:
    draft = ContractDraft.for_customer(
        stripe_customer_id=stripe_customer_id,
        customer_name="Ignored when linked",
        metronome_customer_id=metronome_customer_id,
        today=context.today,
    )
    standard = next(card for card in context.rate_cards if card.name == "Standard")
    draft.name = "Wizard contract"
    draft.start_date = "2026-12-15"
    draft.end_date = "2027-12-14"
    draft.invoice_frequency = "QUARTERLY"
    draft.send_on = "CONTRACT_START"
    draft.net_payment_terms = "45"
    draft.rate_card_id = standard.id
    draft.discounts = [
        DiscountDraft(
            percent="15", tags=["compute"], start_date="2027-01-01", end_date="2027-06-30"
        )
    ]
    draft.entitlements = {product_id(context, "Data transfer GB"): False}
    draft.subscription_quantities = {product_id(context, "Seats"): "10"}
    draft.credits = [
        CreditDraft(
            product_id=product_id(context, "Prepaid credits"),
            applicable_tags=["compute", "ai"],
            start_date="2026-12-15",
            end_date="2027-12-14",
            invoice_amount="8,000",
            credit_amount="10,000",
        ),
        CreditDraft(
            product_id=product_id(context, "Promotional credit"),
            schedule="MONTHLY",
            start_date="2026-12-15",
            credit_amount="50",
        ),
        CreditDraft(
            product_id=product_id(context, "Onboarding credit"),
            schedule="CUSTOM",
            segments=[
                CreditSegmentDraft(
                    start_date="2026-12-15", end_date="2027-02-28", credit_amount="500"
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


async def stored_contract(
    sdk: metronome.AsyncMetronome, customer_id: str, contract_id: str
) -> ContractV2:
    response = await sdk.v2.contracts.retrieve(customer_id=customer_id, contract_id=contract_id)
    return response.data


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T00:00:00+00:00")


def schedule_items(items: Any) -> list[tuple[float, datetime, datetime]]:
    return [(item.amount, item.starting_at, item.ending_before) for item in items]


async def test_the_contract_is_stored_with_every_term(
    backend: RunningBackend,
    gateway: MetronomeGateway,
    sdk: metronome.AsyncMetronome,
    context: DraftContext,
) -> None:
    customer_id, stripe_id = linked_customer(backend)
    draft = full_draft(context, stripe_id, customer_id)

    outcome = await create_contract(gateway, draft, context)

    assert (outcome.metronome_customer_id, outcome.created_customer) == (customer_id, False)
    assert outcome.already_created is False
    contract = await stored_contract(sdk, customer_id, outcome.contract_id)
    assert (contract.name, contract.rate_card_id) == ("Wizard contract", draft.rate_card_id)
    assert (contract.starting_at, contract.ending_before) == (at("2026-12-15"), at("2027-12-15"))
    assert contract.uniqueness_key == draft.uniqueness_key
    assert contract.net_payment_terms_days == 45
    assert contract.usage_statement_schedule.frequency == "QUARTERLY"
    assert contract.usage_statement_schedule.billing_anchor_date == at("2026-12-15")

    discount, exclusion = contract.overrides
    assert (discount.type, discount.multiplier, discount.applicable_product_tags) == (
        "MULTIPLIER",
        0.85,
        ["compute"],
    )
    assert (discount.starting_at, discount.ending_before) == (at("2027-01-01"), at("2027-07-01"))
    assert exclusion.product is not None
    assert (exclusion.product.name, exclusion.entitled) == ("Data transfer GB", False)
    assert exclusion.starting_at == at("2026-12-15")

    (seats,) = contract.subscriptions or []
    assert seats.subscription_rate.product.name == "Seats"
    assert seats.subscription_rate.billing_frequency == "MONTHLY"
    assert seats.collection_schedule == "ADVANCE"
    assert [(item.quantity, item.starting_at) for item in seats.quantity_schedule] == [
        (10, at("2026-12-15"))
    ]
    assert (seats.proration.is_prorated, seats.proration.invoice_behavior) == (
        True,
        "BILL_IMMEDIATELY",
    )

    prepaid = contract.commits[0]
    assert (prepaid.type, prepaid.product.name) == ("PREPAID", "Prepaid credits")
    assert prepaid.applicable_product_tags == ["compute", "ai"]
    assert prepaid.access_schedule is not None
    assert schedule_items(prepaid.access_schedule.schedule_items) == [
        (1_000_000, at("2026-12-15"), at("2027-12-15"))
    ]
    assert prepaid.invoice_schedule is not None
    assert [
        (item.amount, item.timestamp) for item in prepaid.invoice_schedule.schedule_items or []
    ] == [(800_000, at("2026-12-15"))]

    assert len(contract.commits) == 2
    onboarding = contract.commits[1]
    assert (onboarding.type, onboarding.product.name) == ("PREPAID", "Onboarding credit")
    assert onboarding.applicable_product_tags is None
    assert onboarding.access_schedule is not None
    assert schedule_items(onboarding.access_schedule.schedule_items) == [
        (50_000, at("2026-12-15"), at("2027-03-01")),
        (25_050, at("2027-03-01"), at("2027-06-01")),
    ]
    assert onboarding.invoice_schedule is not None
    assert [
        (item.amount, item.timestamp) for item in onboarding.invoice_schedule.schedule_items or []
    ] == [(10_000, at("2027-03-01"))]

    (promotional,) = contract.recurring_credits or []
    assert promotional.product.name == "Promotional credit"
    assert (promotional.access_amount.unit_price, promotional.access_amount.quantity) == (5_000, 1)
    assert promotional.access_amount.credit_type_id == USD
    assert (promotional.commit_duration.value, promotional.commit_duration.unit) == (1, "PERIODS")
    assert (promotional.recurrence_frequency, promotional.priority) == ("MONTHLY", 2)
    assert (promotional.starting_at, promotional.ending_before) == (at("2026-12-15"), None)
    assert (contract.credits, contract.recurring_commits) == ([], [])

    assert contract.customer_billing_provider_configuration is not None
    assert contract.customer_billing_provider_configuration.configuration == {
        "stripe_collection_method": "charge_automatically",
        "stripe_customer_id": stripe_id,
    }


async def test_free_one_time_and_custom_credits_and_a_paid_monthly_one(
    backend: RunningBackend,
    gateway: MetronomeGateway,
    sdk: metronome.AsyncMetronome,
    context: DraftContext,
) -> None:
    customer_id, stripe_id = linked_customer(backend)
    draft = full_draft(context, stripe_id, customer_id)
    draft.end_date = ""
    draft.send_on = "FIRST_OF_MONTH"
    prepaid, promotional, onboarding = draft.credits
    prepaid.invoice_amount = ""
    prepaid.applicable_tags = []
    promotional.invoice_amount = "45"
    promotional.end_date = "2027-05-31"
    onboarding.segments[1].invoice_amount = ""

    outcome = await create_contract(gateway, draft, context)

    contract = await stored_contract(sdk, customer_id, outcome.contract_id)
    assert (contract.starting_at, contract.ending_before) == (at("2026-12-15"), None)
    assert contract.usage_statement_schedule.billing_anchor_date == at("2026-12-01")
    assert contract.commits == []
    free_prepaid, free_onboarding = contract.credits or []
    assert (free_prepaid.product.name, free_prepaid.applicable_product_tags) == (
        "Prepaid credits",
        None,
    )
    assert free_prepaid.access_schedule is not None
    assert schedule_items(free_prepaid.access_schedule.schedule_items) == [
        (1_000_000, at("2026-12-15"), at("2027-12-15"))
    ]
    assert free_onboarding.product.name == "Onboarding credit"
    assert free_onboarding.access_schedule is not None
    assert schedule_items(free_onboarding.access_schedule.schedule_items) == [
        (50_000, at("2026-12-15"), at("2027-03-01")),
        (25_050, at("2027-03-01"), at("2027-06-01")),
    ]
    assert contract.recurring_credits == []
    (paid_monthly,) = contract.recurring_commits or []
    assert paid_monthly.product.name == "Promotional credit"
    assert paid_monthly.access_amount.unit_price == 5_000
    assert paid_monthly.invoice_amount is not None
    assert (paid_monthly.invoice_amount.unit_price, paid_monthly.invoice_amount.quantity) == (
        4_500,
        1,
    )
    assert (paid_monthly.starting_at, paid_monthly.ending_before) == (
        at("2026-12-15"),
        at("2027-06-01"),
    )
    assert (paid_monthly.recurrence_frequency, paid_monthly.priority) == ("MONTHLY", 2)


async def test_repeating_a_create_makes_exactly_one_contract(
    backend: RunningBackend, gateway: MetronomeGateway, context: DraftContext
) -> None:
    customer_id, stripe_id = linked_customer(backend)
    draft = full_draft(context, stripe_id, customer_id)
    before = len(await gateway.contracts(customer_id))

    first = await create_contract(gateway, draft, context)
    second = await create_contract(gateway, draft, context)

    assert second.contract_id == first.contract_id
    assert (first.already_created, second.already_created) == (False, True)
    contracts = await gateway.contracts(customer_id)
    assert len(contracts) == before + 1
    assert [c.id for c in contracts if c.uniqueness_key == draft.uniqueness_key] == [
        first.contract_id
    ]


async def test_an_unlinked_stripe_customer_gets_exactly_one_metronome_customer(
    backend: RunningBackend, gateway: MetronomeGateway, context: DraftContext
) -> None:
    stripe_id, stripe_name = unlinked_stripe_customer(backend)
    draft = full_draft(context, stripe_id, None)
    draft.customer_name = stripe_name
    # What an autosave held before the first attempt: no Metronome customer recorded yet.
    saved_before_the_attempt = draft.model_copy(deep=True)

    first = await create_contract(gateway, draft, context)

    assert first.created_customer is True
    assert draft.metronome_customer_id == first.metronome_customer_id
    customer = await gateway.customer(first.metronome_customer_id)
    assert (customer.name, customer.ingest_aliases) == (stripe_name, (stripe_id,))
    (link,) = await gateway.billing_configurations(customer.id)
    assert (link.billing_provider, link.delivery_method, link.stripe_customer_id) == (
        "stripe",
        "direct_to_billing_provider",
        stripe_id,
    )

    retried = await create_contract(gateway, saved_before_the_attempt, context)
    again = await create_contract(gateway, draft, context)

    for outcome in (retried, again):
        assert outcome.contract_id == first.contract_id
        assert outcome.metronome_customer_id == first.metronome_customer_id
        assert (outcome.created_customer, outcome.already_created) == (False, True)
    assert customers_for_stripe(backend, stripe_id) == 1
    assert [contract.id for contract in await gateway.contracts(customer.id)] == [first.contract_id]


async def test_a_customer_created_between_look_up_and_create_is_found(
    backend: RunningBackend, gateway: MetronomeGateway, context: DraftContext
) -> None:
    stripe_id, _ = unlinked_stripe_customer(backend)
    first = await create_contract(gateway, full_draft(context, stripe_id, None), context)
    raced = RacedGateway(TEST_TOKEN, backend.metronome_url, max_retries=0)
    try:
        outcome = await create_contract(raced, full_draft(context, stripe_id, None), context)
    finally:
        await raced.close()
    assert raced.missed is True
    assert outcome.metronome_customer_id == first.metronome_customer_id
    assert (outcome.created_customer, outcome.already_created) == (False, False)
    assert customers_for_stripe(backend, stripe_id) == 1


async def test_an_alias_on_a_customer_not_linked_to_stripe_is_reported(
    backend: RunningBackend,
    gateway: MetronomeGateway,
    sdk: metronome.AsyncMetronome,
    context: DraftContext,
) -> None:
    stripe_id, _ = unlinked_stripe_customer(backend)
    await sdk.v1.customers.create(name="Imported by hand", ingest_aliases=[stripe_id])
    draft = full_draft(context, stripe_id, None)
    with pytest.raises(CustomerLinkError, match="not linked to that Stripe customer"):
        await create_contract(gateway, draft, context)
    assert draft.metronome_customer_id is None
    assert customers_for_stripe(backend, stripe_id) == 0


async def test_an_invalid_draft_creates_nothing(
    backend: RunningBackend, gateway: MetronomeGateway, context: DraftContext
) -> None:
    stripe_id, _ = unlinked_stripe_customer(backend)
    draft = full_draft(context, stripe_id, None)
    draft.credits[0].credit_amount = "0"
    customers_before = customer_count(backend)
    with pytest.raises(InvalidDraftError) as raised:
        await create_contract(gateway, draft, context)
    assert raised.value.errors == {
        "credits.0.credit_amount": "Credit amount must be more than zero"
    }
    assert customer_count(backend) == customers_before
    assert draft.metronome_customer_id is None


async def test_progress_names_each_write_and_the_new_customer_is_recorded_before_the_contract(
    backend: RunningBackend, gateway: MetronomeGateway, context: DraftContext
) -> None:
    stripe_id, _ = unlinked_stripe_customer(backend)
    draft = full_draft(context, stripe_id, None)
    heard: list[tuple[CreateProgress, str | None]] = []

    outcome = await create_contract(
        gateway, draft, context, lambda step: heard.append((step, draft.metronome_customer_id))
    )

    assert heard == [
        (CreateProgress.CREATING_CUSTOMER, None),
        (CreateProgress.CREATING_CONTRACT, outcome.metronome_customer_id),
    ]
    assert str(CreateProgress.CREATING_CONTRACT) == "Creating contract…"
    linked: list[CreateProgress] = []
    customer_id, linked_stripe_id = linked_customer(backend)
    await create_contract(
        gateway, full_draft(context, linked_stripe_id, customer_id), context, linked.append
    )
    assert linked == [CreateProgress.CREATING_CONTRACT]

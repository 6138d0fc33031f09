"""Turning a valid draft into a Metronome contract, safely repeatable.

A create can fail after Metronome has done the work (a lost response, a crash before the draft
was saved), so every step here is safe to run again:

- The Metronome customer for an unlinked Stripe customer is created with an ingest alias equal
  to the Stripe customer id. Ingest aliases are unique in Metronome, and `GET /v1/customers`
  filters by one (`ingest_alias`), so a retry finds the customer an earlier attempt made in one
  call, instead of listing every customer and its billing configurations. If a create still
  hits a taken alias (409), the customer holding it is looked up the same way.
- The contract is created with the draft's `uniqueness_key`. Metronome answers a repeated key
  with 409, which the gateway raises as `ContractAlreadyCreated`; the contract an earlier
  attempt made is then found among the customer's contracts by that key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from metro_tui.drafts.context import DraftContext
from metro_tui.drafts.draft import ContractDraft
from metro_tui.drafts.payload import build_contract_params
from metro_tui.drafts.validation import read_terms
from metro_tui.errors import BillingApiError, ConflictError, ContractAlreadyCreated
from metro_tui.models import (
    BillingConfiguration,
    Contract,
    MetronomeCustomer,
    Product,
    Rate,
    RateCard,
)


class ContractGateway(Protocol):
    """The Metronome calls contract creation makes (`MetronomeGateway` provides them)."""

    async def customer_by_ingest_alias(self, alias: str) -> MetronomeCustomer | None: ...

    async def billing_configurations(self, customer_id: str) -> list[BillingConfiguration]: ...

    async def create_customer_for_stripe(self, name: str, stripe_customer_id: str) -> str: ...

    async def create_contract(self, params: dict[str, Any]) -> str: ...

    async def contracts(self, customer_id: str) -> list[Contract]: ...


class WizardGateway(ContractGateway, Protocol):
    """Everything the contract wizard asks of Metronome: the catalogue it offers, a rate
    card's prices, and creation. The app hands it the account's gateway; tests, any other."""

    async def rate_cards(self) -> list[RateCard]: ...

    async def products(self) -> list[Product]: ...

    async def rates(self, rate_card_id: str, at: datetime) -> list[Rate]: ...


class CustomerLinkError(BillingApiError):
    """A Metronome customer holds the Stripe id as an alias but is not linked to it in billing.

    Creating another customer would fail on the alias, and using this one would bill nobody
    through Stripe, so the user has to fix the link in Metronome.
    """


class CreateProgress(StrEnum):
    """What contract creation is doing, in words fit for a progress line."""

    CREATING_CUSTOMER = "Creating Metronome customer…"
    CREATING_CONTRACT = "Creating contract…"


ProgressCallback = Callable[[CreateProgress], None]


@dataclass(frozen=True, slots=True)
class CreateOutcome:
    """The created contract, and what it took to get there."""

    contract_id: str
    metronome_customer_id: str
    created_customer: bool
    """A Metronome customer was created for the Stripe customer by this call."""
    already_created: bool
    """An earlier attempt had already created the contract; this call found it."""


async def create_contract(
    gateway: ContractGateway,
    draft: ContractDraft,
    context: DraftContext,
    on_progress: ProgressCallback | None = None,
) -> CreateOutcome:
    """Create the draft's contract, first creating the Metronome customer if there is none.

    The new customer's id is recorded in `draft`, which the caller should save whether or not
    the contract then succeeds; `on_progress` hears CREATING_CONTRACT once it is recorded.
    Raises InvalidDraftError (a ValueError) before writing anything if the draft breaks a
    rule, CustomerLinkError, and the gateway's errors.
    """
    read_terms(draft, context)  # an invalid draft must not leave a new customer behind
    report = on_progress or _ignore_progress
    if draft.metronome_customer_id is None:
        report(CreateProgress.CREATING_CUSTOMER)
    customer_id, created_customer = await ensure_metronome_customer(gateway, draft)
    report(CreateProgress.CREATING_CONTRACT)
    params = build_contract_params(draft, context)
    try:
        contract_id = await gateway.create_contract(params)
    except ContractAlreadyCreated:
        earlier = await _contract_with_key(gateway, customer_id, draft.uniqueness_key)
        if earlier is None:
            raise
        return CreateOutcome(earlier.id, customer_id, created_customer, already_created=True)
    return CreateOutcome(contract_id, customer_id, created_customer, already_created=False)


def _ignore_progress(_: CreateProgress) -> None:
    return None


async def ensure_metronome_customer(
    gateway: ContractGateway, draft: ContractDraft
) -> tuple[str, bool]:
    """The draft's Metronome customer id, creating the customer if needed (True when created)."""
    if draft.metronome_customer_id is not None:
        return draft.metronome_customer_id, False
    stripe_id = draft.stripe_customer_id
    existing = await _customer_for_stripe(gateway, stripe_id)
    created = False
    if existing is not None:
        customer_id = existing
    else:
        name = draft.customer_name.strip() or stripe_id
        try:
            customer_id = await gateway.create_customer_for_stripe(name, stripe_id)
            created = True
        except ConflictError:
            # Another attempt took the alias between our look-up and this create.
            found = await _customer_for_stripe(gateway, stripe_id)
            if found is None:
                raise
            customer_id = found
    draft.metronome_customer_id = customer_id
    return customer_id, created


async def _customer_for_stripe(gateway: ContractGateway, stripe_customer_id: str) -> str | None:
    """The id of the customer an earlier attempt created for this Stripe customer, if any."""
    customer = await gateway.customer_by_ingest_alias(stripe_customer_id)
    if customer is None:
        return None
    configurations = await gateway.billing_configurations(customer.id)
    if not any(
        item.billing_provider == "stripe"
        and item.archived_at is None
        and item.stripe_customer_id == stripe_customer_id
        for item in configurations
    ):
        raise CustomerLinkError(
            "Metronome",
            f"customer {customer.name} ({customer.id}) uses {stripe_customer_id} as an ingest "
            "alias but is not linked to that Stripe customer; link it in Metronome first",
        )
    return customer.id


async def _contract_with_key(
    gateway: ContractGateway, customer_id: str, uniqueness_key: str
) -> Contract | None:
    contracts = await gateway.contracts(customer_id)
    return next((item for item in contracts if item.uniqueness_key == uniqueness_key), None)

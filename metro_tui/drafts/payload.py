"""A valid draft as the exact `v1.contracts.create` request (DESIGN.md, "Wizard -> ...").

Every day the user typed becomes midnight UTC; an end date is the last day covered, so it is
sent as the following midnight (`ending_before` is exclusive). Money goes out in cents of
Metronome's USD credit type. The request pieces are typed with the SDK's own TypedDicts, so
mypy checks every field name and enum value against metronome-sdk.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from metro_tui.drafts.context import DraftContext
from metro_tui.drafts.draft import ContractDraft
from metro_tui.drafts.terms import (
    CreditTerms,
    DiscountTerms,
    EntitlementChange,
    InvoicingTerms,
    Period,
    SubscriptionTerms,
)
from metro_tui.drafts.validation import read_terms

if TYPE_CHECKING:
    from metronome.types.v1.contract_create_params import (
        BillingProviderConfiguration,
        Commit,
        ContractCreateParams,
        Credit,
        CreditAccessScheduleScheduleItem,
        Override,
        RecurringCommit,
        RecurringCredit,
        Subscription,
        UsageStatementSchedule,
    )

USD_CREDIT_TYPE_ID = "2714e483-4ff1-48e4-9e25-ac732e8f24f2"
"""Metronome's USD credit type: amounts in it are cents."""


def build_contract_params(draft: ContractDraft, context: DraftContext) -> dict[str, Any]:
    """The keyword arguments of `MetronomeGateway.create_contract` for a valid draft.

    Raises ValueError (InvalidDraftError) for a draft that breaks a rule, and ValueError when
    the customer has no Metronome customer yet (contract creation makes one first).
    """
    terms = read_terms(draft, context)
    if draft.metronome_customer_id is None:
        raise ValueError("The customer has no Metronome customer yet")
    invoicing, pricing = terms.invoicing, terms.pricing
    params: ContractCreateParams = {
        "customer_id": draft.metronome_customer_id,
        "name": invoicing.name,
        "starting_at": midnight(invoicing.period.start),
        "rate_card_id": pricing.rate_card_id,
        "usage_statement_schedule": _usage_statement_schedule(invoicing),
        "net_payment_terms_days": invoicing.net_payment_terms_days,
        "billing_provider_configuration": _stripe_billing_provider(),
        "uniqueness_key": draft.uniqueness_key,
    }
    ending = ending_before(invoicing.period)
    if ending is not None:
        params["ending_before"] = ending
    overrides = [_discount_override(discount) for discount in pricing.discounts] + [
        _entitlement_override(change, invoicing.period) for change in pricing.entitlement_changes
    ]
    if overrides:
        params["overrides"] = overrides
    if pricing.subscriptions:
        params["subscriptions"] = [
            _subscription(item, invoicing.period) for item in pricing.subscriptions
        ]
    _add_credits(params, terms.credits)
    return {**params}


def midnight(day: date) -> str:
    """The start of a UTC day, as Metronome's RFC 3339 timestamps read."""
    return f"{day.isoformat()}T00:00:00Z"


def ending_before(period: Period) -> str | None:
    """The exclusive end: midnight after the last day, or None when open-ended."""
    if period.last_day is None:
        return None
    return midnight(period.last_day + timedelta(days=1))


def _usage_statement_schedule(invoicing: InvoicingTerms) -> UsageStatementSchedule:
    return {"frequency": invoicing.invoice_frequency, "day": invoicing.send_on}


def _stripe_billing_provider() -> BillingProviderConfiguration:
    """The customer's existing Stripe configuration, so invoices flow to Stripe."""
    return {"billing_provider": "stripe", "delivery_method": "direct_to_billing_provider"}


def _discount_override(discount: DiscountTerms) -> Override:
    override: Override = {
        "type": "MULTIPLIER",
        "multiplier": discount.multiplier,
        "applicable_product_tags": list(discount.tags),
        "starting_at": midnight(discount.period.start),
    }
    ending = ending_before(discount.period)
    if ending is not None:
        override["ending_before"] = ending
    return override


def _entitlement_override(change: EntitlementChange, contract: Period) -> Override:
    return {
        "product_id": change.product_id,
        "starting_at": midnight(contract.start),
        "entitled": change.entitled,
    }


def _subscription(subscription: SubscriptionTerms, contract: Period) -> Subscription:
    return {
        "subscription_rate": {
            "product_id": subscription.product_id,
            "billing_frequency": subscription.billing_frequency,
        },
        "initial_quantity": subscription.quantity,
        "collection_schedule": "ADVANCE",
        "proration": {"is_prorated": True, "invoice_behavior": "BILL_IMMEDIATELY"},
        "starting_at": midnight(contract.start),
    }


def _add_credits(params: ContractCreateParams, credits: tuple[CreditTerms, ...]) -> None:
    """Sort each credit into commits, credits, recurring_commits or recurring_credits."""
    commits: list[Commit] = []
    one_off_credits: list[Credit] = []
    recurring_commits: list[RecurringCommit] = []
    recurring_credits: list[RecurringCredit] = []
    for position, credit in enumerate(credits, start=1):
        if credit.schedule == "MONTHLY" and credit.is_prepaid_commit:
            recurring_commits.append(_recurring_commit(credit, priority=position))
        elif credit.schedule == "MONTHLY":
            recurring_credits.append(_recurring_credit(credit, priority=position))
        elif credit.is_prepaid_commit:
            commits.append(_prepaid_commit(credit))
        else:
            one_off_credits.append(_credit(credit))
    if commits:
        params["commits"] = commits
    if one_off_credits:
        params["credits"] = one_off_credits
    if recurring_commits:
        params["recurring_commits"] = recurring_commits
    if recurring_credits:
        params["recurring_credits"] = recurring_credits


def _access_items(credit: CreditTerms) -> list[CreditAccessScheduleScheduleItem]:
    """One drawable allocation per segment (one-time credits have exactly one)."""
    return [
        {
            "amount": segment.credit_cents,
            "starting_at": midnight(segment.period.start),
            "ending_before": _segment_end(segment.period),
        }
        for segment in credit.segments
    ]


def _segment_end(period: Period) -> str:
    ending = ending_before(period)
    if ending is None:  # validation requires an end date for one-time and custom credits
        raise ValueError("A one-time or custom credit needs an end date")
    return ending


def _credit(credit: CreditTerms) -> Credit:
    item: Credit = {
        "product_id": credit.product_id,
        "access_schedule": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "schedule_items": _access_items(credit),
        },
    }
    if credit.applicable_tags:
        item["applicable_product_tags"] = list(credit.applicable_tags)
    return item


def _prepaid_commit(credit: CreditTerms) -> Commit:
    """A credit the customer pays for: billed on each invoiced segment's start day."""
    item: Commit = {
        "type": "PREPAID",
        "product_id": credit.product_id,
        "access_schedule": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "schedule_items": _access_items(credit),
        },
        "invoice_schedule": {
            "schedule_items": [
                {"timestamp": midnight(segment.period.start), "amount": segment.invoice_cents}
                for segment in credit.segments
                if segment.invoice_cents > 0
            ]
        },
    }
    if credit.applicable_tags:
        item["applicable_product_tags"] = list(credit.applicable_tags)
    return item


def _recurring_credit(credit: CreditTerms, *, priority: int) -> RecurringCredit:
    """A monthly grant; priority follows the wizard's order, so earlier credits draw first."""
    segment = credit.segments[0]
    item: RecurringCredit = {
        "product_id": credit.product_id,
        "access_amount": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "unit_price": segment.credit_cents,
            "quantity": 1,
        },
        "commit_duration": {"value": 1, "unit": "PERIODS"},
        "recurrence_frequency": "MONTHLY",
        "priority": priority,
        "starting_at": midnight(segment.period.start),
    }
    ending = ending_before(segment.period)
    if ending is not None:
        item["ending_before"] = ending
    if credit.applicable_tags:
        item["applicable_product_tags"] = list(credit.applicable_tags)
    return item


def _recurring_commit(credit: CreditTerms, *, priority: int) -> RecurringCommit:
    """A monthly grant the customer pays for each month."""
    segment = credit.segments[0]
    item: RecurringCommit = {
        "product_id": credit.product_id,
        "access_amount": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "unit_price": segment.credit_cents,
            "quantity": 1,
        },
        "invoice_amount": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "unit_price": segment.invoice_cents,
            "quantity": 1,
        },
        "commit_duration": {"value": 1, "unit": "PERIODS"},
        "recurrence_frequency": "MONTHLY",
        "priority": priority,
        "starting_at": midnight(segment.period.start),
    }
    ending = ending_before(segment.period)
    if ending is not None:
        item["ending_before"] = ending
    if credit.applicable_tags:
        item["applicable_product_tags"] = list(credit.applicable_tags)
    return item

"""A `v2/contracts/list` contract's terms, and an invoice of any status, as page records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from metronome.types.shared.contract_v2 import (
    Commit,
    ContractV2,
    Credit,
    Override,
    RecurringCommit,
    RecurringCredit,
    Subscription,
)
from metronome.types.shared.schedule_duration import ScheduleDuration
from metronome.types.v1.customers.invoice import Invoice as SdkInvoice

from metro_tui.errors import InvalidResponseError
from metro_tui.models import utc
from metro_tui.page_records import (
    AccessSegment,
    ContractTerms,
    Discount,
    Entitlement,
    Frequency,
    Grant,
    PageInvoice,
    PageInvoiceLine,
    SubscriptionTerm,
)


def contract_terms_from_sdk(item: ContractV2, now: datetime) -> ContractTerms:
    """The contract's terms; a subscription's quantity is the one in effect at `now`."""
    schedule = item.usage_statement_schedule
    return ContractTerms(
        contract_id=item.id,
        rate_card_id=item.rate_card_id,
        invoice_frequency=schedule.frequency,
        billing_anchor=schedule.billing_anchor_date,
        starting_at=item.starting_at,
        net_payment_terms_days=(
            None if item.net_payment_terms_days is None else round(item.net_payment_terms_days)
        ),
        discounts=tuple(_discount(o) for o in item.overrides if _is_discount(o)),
        subscriptions=tuple(_subscription(s, now) for s in item.subscriptions or ()),
        entitlements=tuple(
            Entitlement(product_name=o.product.name, entitled=o.entitled)
            for o in item.overrides
            if o.product is not None and o.entitled is not None
        ),
        grants=_grants(item, now),
    )


def _grants(item: ContractV2, now: datetime) -> tuple[Grant, ...]:
    """Its commits and credits, then its recurring ones, each with the balance of the grant it
    created for the current period (the grants they created are not listed on their own)."""
    frequency = item.usage_statement_schedule.frequency
    commits = [c for c in item.commits if c.recurring_commit_id is None]
    credits = [c for c in item.credits or () if c.recurring_credit_id is None]
    created: dict[str, list[Commit | Credit]] = defaultdict(list)
    for commit in item.commits:
        if commit.recurring_commit_id is not None:
            created[commit.recurring_commit_id].append(commit)
    for credit in item.credits or ():
        if credit.recurring_credit_id is not None:
            created[credit.recurring_credit_id].append(credit)
    recurring = [*(item.recurring_commits or ()), *(item.recurring_credits or ())]
    return (
        *(_commit(commit) for commit in commits),
        *(_credit(credit) for credit in credits),
        *(_recurring(r, frequency, _in_force(created[r.id], now)) for r in recurring),
    )


def _in_force(grants: Sequence[Commit | Credit], now: datetime) -> Commit | Credit | None:
    """The grant, of those a recurring one created, for the period holding `now`: the latest
    to start of those whose access holds `now`."""
    current = [
        (item.starting_at, grant)
        for grant in grants
        for item in (grant.access_schedule.schedule_items if grant.access_schedule else ())
        if utc(item.starting_at) <= now < utc(item.ending_before)
    ]
    return max(current, key=lambda pair: pair[0])[1] if current else None


def _is_discount(override: Override) -> bool:
    return override.type == "MULTIPLIER" and override.multiplier is not None


def _discount(override: Override) -> Discount:
    return Discount(
        multiplier=override.multiplier or 1.0,
        product_tags=tuple(override.applicable_product_tags or ()),
        product_name=override.product.name if override.product is not None else None,
        starting_at=override.starting_at,
        ending_before=override.ending_before,
    )


def _subscription(subscription: Subscription, now: datetime) -> SubscriptionTerm:
    schedule = sorted(subscription.quantity_schedule, key=lambda item: item.starting_at)
    current = [item for item in schedule if utc(item.starting_at) <= now]
    quantity = (current or schedule)[-1].quantity if schedule else 0
    return SubscriptionTerm(
        product_name=subscription.subscription_rate.product.name,
        quantity=round(quantity),
        billing_frequency=subscription.subscription_rate.billing_frequency,
    )


def _access(schedule: ScheduleDuration | None) -> tuple[AccessSegment, ...]:
    items = schedule.schedule_items if schedule is not None else ()
    return tuple(
        AccessSegment(
            amount_cents=round(item.amount),
            starting_at=item.starting_at,
            ending_before=item.ending_before,
        )
        for item in items
    )


def _balance(value: float | None) -> int | None:
    return None if value is None else round(value)


def _commit(commit: Commit) -> Grant:
    invoiced = commit.invoice_schedule
    items = (invoiced.schedule_items or ()) if invoiced is not None else ()
    return Grant(
        id=commit.id,
        kind="commit",
        commit_type=commit.type,
        name=commit.name,
        product_name=commit.product.name,
        access=_access(commit.access_schedule),
        paid_cents=round(sum(item.amount for item in items)) if items else None,
        balance_cents=_balance(commit.balance),
    )


def _credit(credit: Credit) -> Grant:
    return Grant(
        id=credit.id,
        kind="credit",
        name=credit.name,
        product_name=credit.product.name,
        access=_access(credit.access_schedule),
        balance_cents=_balance(credit.balance),
    )


def _recurring(
    recurring: RecurringCommit | RecurringCredit,
    invoice_frequency: Frequency,
    current: Commit | Credit | None,
) -> Grant:
    """A recurring grant: `access` is one period's amount, over the whole recurrence; its
    balance is that of `current`, the grant it created for the period in force.

    Without a frequency of its own, Metronome grants it on the usage invoice frequency.
    """
    access = recurring.access_amount
    amount = access.unit_price * (access.quantity if access.quantity is not None else 1)
    paid = recurring.invoice_amount if isinstance(recurring, RecurringCommit) else None
    return Grant(
        id=recurring.id,
        kind="commit" if isinstance(recurring, RecurringCommit) else "credit",
        name=recurring.name,
        product_name=recurring.product.name,
        access=(
            AccessSegment(
                amount_cents=round(amount),
                starting_at=recurring.starting_at,
                ending_before=recurring.ending_before,
            ),
        ),
        paid_cents=None if paid is None else round(paid.unit_price * paid.quantity),
        recurrence=recurring.recurrence_frequency or invoice_frequency,
        lasts_periods=round(recurring.commit_duration.value),
        balance_cents=None if current is None else _balance(current.balance),
        period_granted_cents=(
            None
            if current is None
            else sum(s.amount_cents for s in _access(current.access_schedule))
        ),
    )


def page_invoice_from_sdk(item: SdkInvoice) -> PageInvoice:
    if item.start_timestamp is None or item.end_timestamp is None:
        raise InvalidResponseError("Metronome", f"invoice {item.id} has no billing period")
    return PageInvoice(
        id=item.id,
        status=item.status,
        contract_id=item.contract_id,
        start_timestamp=item.start_timestamp,
        end_timestamp=item.end_timestamp,
        total_cents=round(item.total),
        line_items=tuple(
            PageInvoiceLine(name=line.name, quantity=line.quantity, total_cents=round(line.total))
            for line in item.line_items
        ),
    )


def newest_first(invoices: Sequence[PageInvoice]) -> tuple[PageInvoice, ...]:
    return tuple(
        sorted(invoices, key=lambda invoice: (invoice.end_timestamp, invoice.id), reverse=True)
    )

"""A draft read into checked, typed terms: days, cents and whole numbers instead of text.

Only `metro_tui.drafts.validation` builds these, and only from a draft that passed every rule,
so the payload and the summary never have to re-check anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from metro_tui.drafts.draft import CreditSchedule
from metro_tui.drafts.invoice_schedule import InvoiceFrequency, SendOn


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` through `last_day` inclusive; no last day means open-ended."""

    start: date
    last_day: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True, slots=True)
class InvoicingTerms:
    """Step 1: the contract's name, period, usage statement schedule and payment terms."""

    name: str
    period: Period
    invoice_frequency: InvoiceFrequency
    send_on: SendOn
    net_payment_terms_days: int


@dataclass(frozen=True, slots=True)
class DiscountTerms:
    """A percentage off the list price of products carrying any of `tags`, during `period`.

    `period.last_day` None means until the contract ends.
    """

    percent: Decimal
    tags: tuple[str, ...]
    period: Period

    @property
    def multiplier(self) -> float:
        """What Metronome multiplies the list price by: 15% off is 0.85."""
        return float((Decimal(100) - self.percent) / Decimal(100))


@dataclass(frozen=True, slots=True)
class SubscriptionTerms:
    """A subscription line from the rate card, with its initial quantity."""

    product_id: str
    billing_frequency: InvoiceFrequency
    """The rate's billing frequency; Metronome's set of values is the same as for invoices."""
    quantity: int


@dataclass(frozen=True, slots=True)
class EntitlementChange:
    """A product whose entitlement on this contract differs from the rate card's."""

    product_id: str
    entitled: bool


@dataclass(frozen=True, slots=True)
class PricingTerms:
    """Step 2: the rate card and what this contract changes about it."""

    rate_card_id: str
    discounts: tuple[DiscountTerms, ...]
    subscriptions: tuple[SubscriptionTerms, ...]
    entitlement_changes: tuple[EntitlementChange, ...]


@dataclass(frozen=True, slots=True)
class CreditSegment:
    """One allocation: `credit_cents` to draw on during `period`, `invoice_cents` billed for it.

    For a monthly credit the period is the whole recurrence and the amounts are per month.
    """

    period: Period
    invoice_cents: int
    credit_cents: int


@dataclass(frozen=True, slots=True)
class CreditTerms:
    """Step 3: one credit, or a prepaid commit when any segment is invoiced."""

    product_id: str
    applicable_tags: tuple[str, ...]
    schedule: CreditSchedule
    segments: tuple[CreditSegment, ...]

    @property
    def is_prepaid_commit(self) -> bool:
        """Charged for (a PREPAID commit) rather than granted free (a credit)."""
        return any(segment.invoice_cents > 0 for segment in self.segments)


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """Everything a valid draft says, ready to become a `v1.contracts.create` request."""

    invoicing: InvoicingTerms
    pricing: PricingTerms
    credits: tuple[CreditTerms, ...]

"""The customer page's records: each contract's terms and balances, and every invoice.

Loaded for one customer when its page opens (the account-wide sync keeps only what the lists
and figures need), so they are few, and validating models cost nothing worth saving.
Money is an int of cents, datetimes are UTC, as in `models`.
"""

from __future__ import annotations

from typing import Literal

from metro_tui.models import DomainModel, UtcDatetime

Frequency = Literal["MONTHLY", "QUARTERLY", "ANNUAL", "WEEKLY", "DAILY"]


class AccessSegment(DomainModel):
    """A span of time in which part of a credit or commit can be drawn down."""

    amount_cents: int
    starting_at: UtcDatetime
    ending_before: UtcDatetime | None = None


class Grant(DomainModel):
    """A credit or commit: what is granted, what the customer pays for it, what is left."""

    id: str
    kind: Literal["commit", "credit"]
    commit_type: Literal["PREPAID", "POSTPAID"] | None = None
    name: str | None = None
    product_name: str
    access: tuple[AccessSegment, ...] = ()
    paid_cents: int | None = None
    """What the customer is invoiced for it (a prepaid commit's invoice schedule)."""
    recurrence: Frequency | None = None
    """How often a recurring credit or commit grants `access` again; None when one-off."""
    lasts_periods: int | None = None
    """How many of its periods each grant of a recurring credit or commit can be drawn."""
    balance_cents: int | None = None
    """What remains now, as Metronome computes it; None when it did not say. For a recurring
    one, what remains of the grant it created for the current period."""
    period_granted_cents: int | None = None
    """For a recurring one, what it granted for the current period (less when prorated);
    None when no grant of its is in force now."""

    @property
    def granted_cents(self) -> int:
        return sum(segment.amount_cents for segment in self.access)


class Discount(DomainModel):
    """A multiplier override: a share off the listed products or tags, for a time."""

    multiplier: float
    product_tags: tuple[str, ...] = ()
    product_name: str | None = None
    starting_at: UtcDatetime
    ending_before: UtcDatetime | None = None


class SubscriptionTerm(DomainModel):
    """A subscription: its product, how many, and how often it is billed."""

    product_name: str
    quantity: int
    billing_frequency: Frequency


class Entitlement(DomainModel):
    """A product added to (entitled) or excluded from the rate card by an override."""

    product_name: str
    entitled: bool


class ContractTerms(DomainModel):
    """One contract's terms as Metronome holds them, with its credits' and commits' balances."""

    contract_id: str
    rate_card_id: str | None = None
    invoice_frequency: Frequency
    billing_anchor: UtcDatetime
    """The day invoices are anchored on: the 1st of a month, or the contract's start."""
    starting_at: UtcDatetime
    net_payment_terms_days: int | None = None
    discounts: tuple[Discount, ...] = ()
    subscriptions: tuple[SubscriptionTerm, ...] = ()
    entitlements: tuple[Entitlement, ...] = ()
    grants: tuple[Grant, ...] = ()


class PageInvoiceLine(DomainModel):
    """One line of an invoice on the page: product, quantity, amount."""

    name: str
    quantity: float | None = None
    total_cents: int


class PageInvoice(DomainModel):
    """An invoice of any status, with the contract it belongs to and its lines."""

    id: str
    status: str
    contract_id: str | None = None
    start_timestamp: UtcDatetime
    end_timestamp: UtcDatetime
    total_cents: int
    line_items: tuple[PageInvoiceLine, ...] = ()


class CustomerPage(DomainModel):
    """Everything the customer page adds to the account's records, for one customer."""

    customer_id: str
    fetched_at: UtcDatetime
    contracts: tuple[ContractTerms, ...] = ()
    invoices: tuple[PageInvoice, ...] = ()
    """Newest billing period first."""

    def terms_of(self, contract_id: str) -> ContractTerms | None:
        return next((t for t in self.contracts if t.contract_id == contract_id), None)

"""The contract wizard's draft: everything its four steps collect, exactly as the user typed it.

Dates and amounts stay strings so a half-typed form survives an autosave and comes back as it
was left; `metro_tui.drafts.validation` reads them into checked terms.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field

from metro_tui.drafts.invoice_schedule import InvoiceFrequency, SendOn

CreditSchedule = Literal["ONE_TIME", "MONTHLY", "CUSTOM"]

DEFAULT_NET_PAYMENT_TERMS = "30"


class DraftPart(BaseModel):
    """Base for the draft's models: unknown keys in a saved file are an error, not ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DiscountDraft(DraftPart):
    """A discount of `percent` on products carrying any of `tags`, from `start_date` to `end_date`.

    A blank start means the contract start; a blank end means until the contract ends.
    """

    percent: str = ""
    tags: list[str] = Field(default_factory=list)
    start_date: str = ""
    end_date: str = ""


class CreditSegmentDraft(DraftPart):
    """One segment of a custom credit schedule; `end_date` is the segment's last day."""

    start_date: str = ""
    end_date: str = ""
    invoice_amount: str = ""
    credit_amount: str = ""


class CreditDraft(DraftPart):
    """A credit (free) or a prepaid commit (when it has an invoice amount).

    One-time and monthly credits use the dates and amounts here; a custom credit uses its
    `segments` instead (the other fields are kept so switching schedule loses nothing).
    """

    product_id: str | None = None
    """A FIXED product: its name is the invoice line item for the credit."""
    applicable_tags: list[str] = Field(default_factory=list)
    schedule: CreditSchedule = "ONE_TIME"
    start_date: str = ""
    end_date: str = ""
    invoice_amount: str = ""
    credit_amount: str = ""
    segments: list[CreditSegmentDraft] = Field(default_factory=list)


class ContractDraft(DraftPart):
    """A contract being built for one Stripe customer, autosaved as the user goes."""

    stripe_customer_id: str
    customer_name: str
    metronome_customer_id: str | None = None
    """None while the Stripe customer has no Metronome customer; set once one is created."""
    uniqueness_key: str = Field(default_factory=lambda: str(uuid4()), frozen=True)
    """Sent with the create request so a retried create never makes a second contract."""

    # Step 1: invoicing
    name: str = ""
    start_date: str
    end_date: str = ""
    """The contract's last day (inclusive); blank for an open-ended contract."""
    invoice_frequency: InvoiceFrequency = "MONTHLY"
    send_on: SendOn = "FIRST_OF_MONTH"
    net_payment_terms: str = DEFAULT_NET_PAYMENT_TERMS

    # Step 2: pricing
    rate_card_id: str | None = None
    discounts: list[DiscountDraft] = Field(default_factory=list)
    subscription_quantities: dict[str, str] = Field(default_factory=dict)
    """Initial quantity per subscription product id; a blank quantity adds no subscription."""
    entitlements: dict[str, bool] = Field(default_factory=dict)
    """Product id -> checked, for products the user checked or unchecked on the price list."""

    # Step 3: credits
    credits: list[CreditDraft] = Field(default_factory=list)

    @classmethod
    def for_customer(
        cls,
        *,
        stripe_customer_id: str,
        customer_name: str,
        metronome_customer_id: str | None,
        today: date,
    ) -> ContractDraft:
        """A fresh draft for a customer, starting today, with a new uniqueness key."""
        return cls(
            stripe_customer_id=stripe_customer_id,
            customer_name=customer_name,
            metronome_customer_id=metronome_customer_id,
            start_date=today.isoformat(),
        )

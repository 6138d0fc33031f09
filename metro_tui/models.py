"""Domain models in billing terms: what the API adapters return and the services compute on.

Money is an int of cents (rate prices are float cents per unit, since Metronome allows
fractional unit prices). Every datetime is timezone-aware and normalised to UTC.

The records an account holds by the hundred thousand (customers, billing configurations,
contracts, invoices and their lines) are NamedTuples rather than pydantic models: a model
instance carries a dict and a set besides its values, about 1.2 KB each, where a tuple
takes a tenth of that and is built several times faster. They do not validate, so they are
built only by the API adapters and the cache, which pass every datetime through `utc`. The
few records of the catalogue (products, rate cards, rates) and usage events stay pydantic
models. The daily usage counts and the provision status are plain values of `figures.py`,
which the first frame draws before pydantic is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Literal, NamedTuple

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from metro_tui.figures import ProvisionStatus as ProvisionStatus
from metro_tui.figures import UsageDay as UsageDay


def utc(value: datetime) -> datetime:
    """`value` as a UTC datetime; a datetime without a timezone names no instant, so it fails."""
    if value.tzinfo is UTC:
        return value
    if value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no timezone")
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(utc)]
"""A timezone-aware datetime, converted to UTC so comparisons and day boundaries agree."""

ProductType = Literal["USAGE", "SUBSCRIPTION", "FIXED", "COMPOSITE"]


class DomainModel(BaseModel):
    """Base for the validating models: immutable, so snapshots can be shared between views."""

    model_config = ConfigDict(frozen=True)


class StripeCustomer(NamedTuple):
    """A customer as Stripe knows it."""

    id: str
    name: str | None
    email: str | None
    created: datetime
    livemode: bool


class MetronomeCustomer(NamedTuple):
    """A customer as Metronome knows it."""

    id: str
    name: str
    created_at: datetime
    archived_at: datetime | None = None
    ingest_aliases: tuple[str, ...] = ()


class BillingConfiguration(NamedTuple):
    """A Metronome customer's billing provider configuration (the Stripe link lives here)."""

    id: str
    customer_id: str
    billing_provider: str
    delivery_method: str | None = None
    stripe_customer_id: str | None = None
    archived_at: datetime | None = None


class Contract(NamedTuple):
    """A Metronome contract, reduced to what the app shows and the definitions need."""

    id: str
    customer_id: str
    starting_at: datetime
    name: str | None = None
    rate_card_id: str | None = None
    rate_card_name: str | None = None
    ending_before: datetime | None = None
    archived_at: datetime | None = None
    product_names: tuple[str, ...] = ()
    """Union of products on subscriptions, commits, credits and overrides."""
    uniqueness_key: str | None = None


class InvoiceLineItem(NamedTuple):
    """One line of an invoice."""

    name: str
    product_id: str | None
    total_cents: int


class Invoice(NamedTuple):
    """A Metronome invoice; only FINALIZED ones count as revenue."""

    id: str
    customer_id: str
    status: str
    start_timestamp: datetime
    end_timestamp: datetime
    total_cents: int
    line_items: Sequence[InvoiceLineItem] = ()
    """A tuple, or as the cache keeps them, rows of the snapshot's table of distinct lines
    (`sync/line_table.py`, an `invoice_columns.InvoiceLines`); either equals the tuple of the
    same records."""


class Product(DomainModel):
    """A Metronome contract product."""

    id: str
    name: str
    type: ProductType
    tags: tuple[str, ...] = ()


class RateCard(DomainModel):
    """A Metronome rate card: the base pricing a contract starts from."""

    id: str
    name: str
    description: str | None = None


class Rate(DomainModel):
    """One product's price on a rate card or a contract's rate schedule."""

    product_id: str
    product_name: str
    product_tags: tuple[str, ...] = ()
    price: float
    """Cents per unit; may be fractional."""
    entitled: bool
    billing_frequency: str | None = None
    starting_at: UtcDatetime
    ending_before: UtcDatetime | None = None


class UsageEvent(DomainModel):
    """One ingested usage event, as far as duplicate detection needs it."""

    transaction_id: str
    received_at: UtcDatetime

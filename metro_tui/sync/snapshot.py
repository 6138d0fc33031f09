"""Everything the app knows about one account, as last loaded."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from metro_tui.models import (
    BillingConfiguration,
    Contract,
    Invoice,
    MetronomeCustomer,
    Product,
    RateCard,
    StripeCustomer,
    UsageDay,
)

SNAPSHOT_VERSION = 1


class AccountSnapshot(BaseModel):
    """Raw records per kind; every figure on screen is computed from these by the services.

    Per-customer records are keyed by Metronome customer id. A snapshot is filled in place
    while a sync runs (on the UI's event loop, so readers never see a torn update).
    """

    version: int = SNAPSHOT_VERSION
    fetched_at: datetime | None = None
    stripe_customers: list[StripeCustomer] = Field(default_factory=list)
    metronome_customers: list[MetronomeCustomer] = Field(default_factory=list)
    billing_configurations: dict[str, list[BillingConfiguration]] = Field(default_factory=dict)
    contracts: dict[str, list[Contract]] = Field(default_factory=dict)
    invoices: dict[str, list[Invoice]] = Field(default_factory=dict)
    rate_cards: list[RateCard] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    usage_days: list[UsageDay] | None = None
    """None when the backend does not expose daily usage counts (live Metronome)."""
    failures: list[str] = Field(default_factory=list)
    """What could not be loaded, in plain words, after retries."""

    def all_invoices(self) -> list[Invoice]:
        return [invoice for invoices in self.invoices.values() for invoice in invoices]

    def all_billing_configurations(self) -> list[BillingConfiguration]:
        return [config for configs in self.billing_configurations.values() for config in configs]

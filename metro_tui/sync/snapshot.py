"""Everything the app knows about one account, as last loaded."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

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
from metro_tui.page_records import CustomerPage

CustomerFailures = dict[str, str]
"""Metronome customer id -> why one kind of its records could not be loaded."""


@dataclass(frozen=True, slots=True)
class LoadState:
    """How far an unfinished load had got: what a partial snapshot holds beyond its records.

    Which customers' records are in is told by the per-customer maps themselves (a customer
    with no key there and no failure is still to load); this says what those cannot.
    """

    customers_listed: bool = False
    """Every Metronome customer is listed: the count of customers is final."""
    usage_loaded: bool = False
    """The daily usage counts have arrived (or failed): `usage_days` is final."""


@dataclass
class AccountSnapshot:
    """Raw records per kind; every figure on screen is computed from these by the services.

    Per-customer records are keyed by Metronome customer id; a customer whose records of a
    kind could not be loaded has no key there and an entry in the matching `failed_*` map.
    A snapshot is filled in place while a sync runs (on the UI's event loop, so readers never
    see a torn update); once complete it is never changed, only replaced.
    """

    fetched_at: datetime | None = None
    stripe_customers: list[StripeCustomer] = field(default_factory=list)
    metronome_customers: list[MetronomeCustomer] = field(default_factory=list)
    billing_configurations: dict[str, tuple[BillingConfiguration, ...]] = field(
        default_factory=dict
    )
    contracts: dict[str, tuple[Contract, ...]] = field(default_factory=dict)
    invoices: dict[str, Sequence[Invoice]] = field(default_factory=dict)
    """A tuple of records per customer, or as the cache keeps them, rows of one table of the
    account's invoices (`sync/invoice_table.py`); either equals the tuple of the same records."""
    rate_cards: list[RateCard] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    usage_days: list[UsageDay] | None = None
    """None when the backend does not expose daily usage counts (live Metronome)."""
    failures: list[str] = field(default_factory=list)
    """What could not be loaded, in plain words, after retries."""
    failed_billing_configurations: CustomerFailures = field(default_factory=dict)
    failed_contracts: CustomerFailures = field(default_factory=dict)
    failed_invoices: CustomerFailures = field(default_factory=dict)
    usage_failure: str | None = None
    """Why the daily usage counts could not be loaded (then `usage_days` is None)."""
    pricing_failure: str | None = None
    """Why the rate cards or products could not be loaded."""
    customer_pages: dict[str, CustomerPage] = field(default_factory=dict)
    """The customer pages last opened, by Metronome customer id: shown at once when one is
    opened again, while it is refreshed."""
    loading: LoadState | None = None
    """None once the load is complete; while it runs (or in a checkpoint of an interrupted
    one) how far it had got. A partial snapshot is never shown or kept as a complete one."""

    @property
    def complete(self) -> bool:
        return self.loading is None

    def checkpoint(self) -> AccountSnapshot:
        """A copy of the containers as they are now, for writing while the load goes on.

        Records are immutable and shared; only the lists and maps the load fills are copied.
        """
        return dataclasses.replace(
            self,
            stripe_customers=list(self.stripe_customers),
            metronome_customers=list(self.metronome_customers),
            billing_configurations=dict(self.billing_configurations),
            contracts=dict(self.contracts),
            invoices=dict(self.invoices),
            rate_cards=list(self.rate_cards),
            products=list(self.products),
            failures=list(self.failures),
            failed_billing_configurations=dict(self.failed_billing_configurations),
            failed_contracts=dict(self.failed_contracts),
            failed_invoices=dict(self.failed_invoices),
            customer_pages=dict(self.customer_pages),
        )

    def all_invoices(self) -> list[Invoice]:
        return [invoice for invoices in self.invoices.values() for invoice in invoices]

    def all_billing_configurations(self) -> list[BillingConfiguration]:
        return [config for configs in self.billing_configurations.values() for config in configs]

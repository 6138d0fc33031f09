"""The plain values the views draw: the Overview's figures and the Customers tab's rows.

Nothing here imports pydantic or the domain models: the first frame of a warm start is drawn
from these, read from the first paint (`first_paint_codec.py`), before either is imported.
`models`, `view_models` and the services that compute them re-export them where they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ProvisionStatus(StrEnum):
    """The state of a customer's contracts, as the Customers tab shows it."""

    ACTIVE = "Active"
    ACTIVE_SOON = "Active Soon"
    RECENTLY_ENDED = "Recently Ended"


@dataclass(frozen=True, slots=True)
class UsageDay:
    """Usage events received on one UTC day: all of them, and how many were duplicates."""

    day: date
    total: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class MonthRevenue:
    """Revenue of one calendar month; `month` is ``"YYYY-MM"``."""

    month: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class RevenueChange:
    """Last month's revenue against the month before, for the Overview card."""

    last_month_cents: int
    previous_month_cents: int
    change_cents: int
    change_percent: float | None
    """None when the month before had no revenue, since no percentage of zero exists."""


@dataclass(frozen=True, slots=True)
class ProductRevenue:
    """One row of Top products; `share` is the fraction (0..1) of all line-item revenue."""

    name: str
    amount_cents: int
    share: float


@dataclass(frozen=True, slots=True)
class LoadedShare:
    """How many customers a figure covers so far, while a load is unfinished."""

    customers_loaded: int
    """Listed customers whose records the figure counts (loaded, or known to have failed)."""
    customers_listed: int
    listing_finished: bool
    """False while more customers may still be listed: the count is a lower bound."""

    @property
    def text(self) -> str:
        """e.g. "so far: 412 of 1,300 customers" ("1,300+" while still listing)."""
        more = "" if self.listing_finished else "+"
        return f"so far: {self.customers_loaded:,} of {self.customers_listed:,}{more} customers"


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """Every figure on the Overview tab."""

    total_revenue_cents: int
    revenue_last_month: RevenueChange
    revenue_by_month: list[MonthRevenue]
    new_customers: int
    top_products: list[ProductRevenue]
    usage_events: list[UsageDay] | None
    """None when the backend does not expose daily usage counts, or they failed to load."""
    customers_missing_revenue: int = 0
    """Metronome customers whose invoices could not be loaded: the revenue leaves them out."""
    revenue_error: str | None = None
    """Why there is no revenue to show at all: no customer's invoices could be loaded."""
    usage_error: str | None = None
    """Why the daily usage counts could not be loaded."""
    revenue_so_far: LoadedShare | None = None
    """Set while some customers' invoices are still to load: every revenue figure (and the
    top products) is a partial sum until then. None once they are final."""
    listing_customers: bool = False
    """The customer list is still paging in: the new-customers count is not final."""
    usage_loading: bool = False
    """The daily usage counts have not arrived yet."""


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One row of the Customers tab; unlinked Stripe customers have no Metronome figures."""

    stripe_customer_id: str
    metronome_customer_id: str | None
    name: str
    email: str
    date_created: datetime
    lifetime_billings_cents: int | None
    """None when the customer is not in Metronome, or its invoices could not be loaded."""
    provision_status: ProvisionStatus | None
    billings_error: str | None = None
    """Why the customer's invoices could not be loaded (then there are no lifetime billings)."""
    status_error: str | None = None
    """Why the customer's contracts could not be loaded (then there is no provision status)."""
    billings_loading: bool = False
    """The customer's invoices are still to load (then there are no lifetime billings yet)."""
    status_loading: bool = False
    """The customer's contracts are still to load (then there is no provision status yet)."""

    @property
    def linked(self) -> bool:
        return self.metronome_customer_id is not None

    @property
    def load_error(self) -> str | None:
        """What could not be loaded for this customer, in one line; None when all was."""
        errors = [
            f"{what}: {error}"
            for what, error in (("invoices", self.billings_error), ("contracts", self.status_error))
            if error is not None
        ]
        return "; ".join(errors) or None

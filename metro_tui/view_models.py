"""What the screens and the exports show, derived from an account snapshot by the services."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from metro_tui.figures import CustomerRow as CustomerRow
from metro_tui.figures import LoadedShare as LoadedShare
from metro_tui.figures import OverviewFigures as OverviewFigures
from metro_tui.models import Contract, Invoice, ProvisionStatus, StripeCustomer
from metro_tui.page_records import CustomerPage
from metro_tui.services.contracts import ContractSummary, summarize_contract
from metro_tui.services.customers import new_customers_count
from metro_tui.services.link_problems import LinkProblem, link_problems
from metro_tui.services.linking import CustomerLink, partition_customers
from metro_tui.services.products import ProductTotals
from metro_tui.services.provisioning import provision_status
from metro_tui.services.revenue import (
    MonthRevenue,
    add_revenue,
    change_over_last_month,
    lifetime_billings_cents,
    monthly_revenue,
    revenue_by_month,
)
from metro_tui.services.usage import usage_series
from metro_tui.sync.snapshot import AccountSnapshot

USAGE_DAYS = 30
REVENUE_MONTHS = 12


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    """The customer detail view: the row's figures, monthly billings and every contract."""

    row: CustomerRow
    billings_by_month: list[MonthRevenue]
    contracts: list[Contract]
    """Non-archived contracts, the latest start first."""
    contract_summaries: list[ContractSummary]
    page: CustomerPage | None = None
    """The terms, balances and invoices last loaded for the customer page, if any."""


@dataclass(frozen=True, slots=True, eq=False)
class AccountView:
    """The account as the views show it: one snapshot, and what is derived from it once.

    The store publishes a new one for every snapshot it adopts (a partial one while a first
    load runs); each view redraws itself from it. Compared by identity: a new one is news.
    """

    snapshot: AccountSnapshot
    now: datetime
    overview: OverviewFigures
    rows: list[CustomerRow]
    """Linked customers first, then Stripe customers not in Metronome."""
    _details: dict[str, CustomerDetail] = field(init=False, default_factory=dict, repr=False)
    """Each customer's detail, once derived: opening a page derives it, and the page derives
    it again from the account it follows, in the step before its first frame."""

    @property
    def complete(self) -> bool:
        return self.snapshot.complete

    def row_for(self, stripe_customer_id: str) -> CustomerRow | None:
        return next(
            (row for row in self.rows if row.stripe_customer_id == stripe_customer_id), None
        )

    def detail(self, row: CustomerRow) -> CustomerDetail:
        """The detail view of `row`'s customer, as this account has it."""
        customer_id = row.stripe_customer_id
        known = self._details.get(customer_id)
        if known is not None:
            return known
        current = self.row_for(customer_id)
        if current is None:  # not in this account: the detail of the row as given
            return customer_detail(self.snapshot, row, self.now)
        detail = self._details[customer_id] = customer_detail(self.snapshot, current, self.now)
        return detail


def account_view(snapshot: AccountSnapshot, now: datetime) -> AccountView:
    """Everything the views show of `snapshot`: at 100,000 customers, most of a second."""
    rows = customer_rows(snapshot, now, include_unlinked=True)
    return AccountView(snapshot, now, overview_figures(snapshot, now), rows)


def overview_figures(snapshot: AccountSnapshot, now: datetime) -> OverviewFigures:
    # By customer: the cache keeps each customer's invoices in columns, whose figures are
    # read without a record made for each invoice.
    revenue = RevenueTotals(0, Counter())
    revenue.add(snapshot.invoices.values())
    products = ProductTotals()
    products.add_customers(snapshot.invoices.values())
    listed = snapshot.metronome_customers
    # Only a partial result shows how many customers' invoices are in.
    loaded = (
        len(listed)
        if snapshot.complete
        else sum(
            1
            for customer in listed
            if customer.id in snapshot.invoices or customer.id in snapshot.failed_invoices
        )
    )
    totals = OverviewTotals(revenue, products, new_customers_count(listed, now), loaded)
    return overview_from_totals(snapshot, now, totals)


@dataclass(slots=True)
class RevenueTotals:
    """The account's FINALIZED revenue: in all, and per billing period end."""

    total_cents: int
    by_period_end: Counter[datetime]

    def add(self, customers: Iterable[Sequence[Invoice]]) -> None:
        """Add each customer's invoices."""
        self.total_cents += add_revenue(self.by_period_end, customers)


@dataclass(slots=True)
class OverviewTotals:
    """What the Overview sums or counts over the whole account, which a first load's partial
    results keep up as records come in."""

    revenue: RevenueTotals
    products: ProductTotals
    new_customers: int
    """Metronome customers created in the last 30 days (`new_customers_count`)."""
    loaded_customers: int
    """Listed Metronome customers whose invoices are in, or failed."""


def overview_from_totals(
    snapshot: AccountSnapshot, now: datetime, totals: OverviewTotals
) -> OverviewFigures:
    """The Overview of `snapshot`, given its sums and counts."""
    revenue = totals.revenue
    by_month = monthly_revenue(revenue.by_period_end, now, REVENUE_MONTHS)
    loading = snapshot.loading
    return OverviewFigures(
        total_revenue_cents=revenue.total_cents,
        revenue_last_month=change_over_last_month(by_month),
        revenue_by_month=by_month,
        new_customers=totals.new_customers,
        top_products=totals.products.top(),
        usage_events=(
            None
            if snapshot.usage_days is None
            else usage_series(snapshot.usage_days, now, USAGE_DAYS)
        ),
        customers_missing_revenue=len(snapshot.failed_invoices),
        revenue_error=_revenue_error(snapshot),
        usage_error=snapshot.usage_failure,
        revenue_so_far=_revenue_so_far(snapshot, totals.loaded_customers),
        listing_customers=loading is not None and not loading.customers_listed,
        usage_loading=loading is not None and not loading.usage_loaded,
    )


def _revenue_so_far(snapshot: AccountSnapshot, loaded: int) -> LoadedShare | None:
    """How many listed customers' invoices are in; None when the revenue is final."""
    loading = snapshot.loading
    if loading is None:
        return None
    listed = len(snapshot.metronome_customers)
    if loading.customers_listed and loaded == listed:
        return None
    return LoadedShare(loaded, listed, loading.customers_listed)


def _revenue_error(snapshot: AccountSnapshot) -> str | None:
    """When every customer's invoices failed, revenue figures of zero would be a lie."""
    failed = snapshot.failed_invoices
    if not failed or snapshot.invoices:
        return None
    return next(iter(failed.values()))


BillingsOf = Callable[[str, Sequence[Invoice]], int]
"""A Metronome customer's lifetime billings, given its invoices."""
StatusOf = Callable[[str, tuple[Contract, ...]], ProvisionStatus | None]
"""A Metronome customer's provision status, given its contracts."""


def customer_rows(
    snapshot: AccountSnapshot, now: datetime, *, include_unlinked: bool = False
) -> list[CustomerRow]:
    """Linked customers (newest Stripe customer first), then, if asked, the unlinked ones."""
    links, unlinked = partition_customers(
        snapshot.stripe_customers,
        snapshot.metronome_customers,
        snapshot.all_billing_configurations(),
    )

    def billings(_customer_id: str, invoices: Sequence[Invoice]) -> int:
        return lifetime_billings_cents(invoices)

    def status(_customer_id: str, contracts: tuple[Contract, ...]) -> ProvisionStatus | None:
        return provision_status(contracts, now)

    rows = [linked_row(snapshot, link, billings, status) for link in links]
    if include_unlinked:
        rows.extend(map(unlinked_row, unlinked))
    return rows


def unlinked_row(customer: StripeCustomer) -> CustomerRow:
    return CustomerRow(
        stripe_customer_id=customer.id,
        metronome_customer_id=None,
        name=customer.name or "",
        email=customer.email or "",
        date_created=customer.created,
        lifetime_billings_cents=None,
        provision_status=None,
    )


def linked_row(
    snapshot: AccountSnapshot, link: CustomerLink, billings_of: BillingsOf, status_of: StatusOf
) -> CustomerRow:
    customer_id = link.metronome_customer_id
    stripe_customer = link.stripe_customer
    billings_error = snapshot.failed_invoices.get(customer_id)
    status_error = snapshot.failed_contracts.get(customer_id)
    loading = not snapshot.complete
    invoices = snapshot.invoices.get(customer_id)
    contracts = snapshot.contracts.get(customer_id)
    billings_loading = loading and invoices is None and billings_error is None
    status_loading = loading and contracts is None and status_error is None
    return CustomerRow(
        stripe_customer_id=stripe_customer.id,
        metronome_customer_id=customer_id,
        name=stripe_customer.name or "",
        email=stripe_customer.email or "",
        date_created=stripe_customer.created,
        lifetime_billings_cents=(
            None
            if billings_error is not None or billings_loading
            else billings_of(customer_id, invoices or ())
        ),
        provision_status=(
            None
            if status_error is not None or status_loading
            else status_of(customer_id, contracts or ())
        ),
        billings_error=billings_error,
        status_error=status_error,
        billings_loading=billings_loading,
        status_loading=status_loading,
    )


def customer_detail(snapshot: AccountSnapshot, row: CustomerRow, now: datetime) -> CustomerDetail:
    """What the detail view shows for `row`; an unlinked customer has no billings or contracts."""
    customer_id = row.metronome_customer_id
    invoices = snapshot.invoices.get(customer_id, ()) if customer_id else ()
    contracts = sorted(
        (
            contract
            for contract in (snapshot.contracts.get(customer_id, ()) if customer_id else ())
            if contract.archived_at is None
        ),
        key=lambda contract: (contract.starting_at, contract.id),
        reverse=True,
    )
    # Contracts name their rate card by id only; its name comes from the account's rate cards.
    rate_card_names = {card.id: card.name for card in snapshot.rate_cards}
    contracts = [
        contract._replace(rate_card_name=rate_card_names.get(contract.rate_card_id))
        if contract.rate_card_name is None and contract.rate_card_id
        else contract
        for contract in contracts
    ]
    return CustomerDetail(
        row=row,
        billings_by_month=revenue_by_month(invoices, now, REVENUE_MONTHS),
        contracts=contracts,
        contract_summaries=[summarize_contract(contract, now) for contract in contracts],
        page=snapshot.customer_pages.get(customer_id) if customer_id else None,
    )


@dataclass(frozen=True, slots=True)
class LinkReport:
    """Why is a customer missing? Every broken link, and among how many customers."""

    problems: list[LinkProblem]
    metronome_customers: int
    stripe_customers: int


def link_report(snapshot: AccountSnapshot) -> LinkReport:
    return LinkReport(
        problems=link_problems(
            snapshot.stripe_customers,
            snapshot.metronome_customers,
            snapshot.all_billing_configurations(),
        ),
        metronome_customers=len(snapshot.metronome_customers),
        stripe_customers=len(snapshot.stripe_customers),
    )

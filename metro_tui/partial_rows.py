"""The Customers rows of a first load's growing snapshot, rebuilt only where something came in.

Deriving every row from scratch looks up each linked customer's records and failures (4 to 5
dict look-ups each) and links every Stripe customer again: at 2,000 customers ~55 ms a partial
result by the end of a load, at 10,000 ~0.25 s. A load only adds customers and their records,
so one row is kept per Stripe customer and rebuilt only when its link or the records of its
Metronome customer change: the rows equal `customer_rows(snapshot, now, include_unlinked=True)`
as long as they are handed every addition (`snapshot_additions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import compress

from metro_tui.models import Contract, Invoice, ProvisionStatus, StripeCustomer
from metro_tui.services.linking import CustomerLink, GrowingLinks
from metro_tui.services.provisioning import provision_status
from metro_tui.services.revenue import lifetime_billings_cents
from metro_tui.snapshot_additions import Additions
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerRow, linked_row, unlinked_row


class CustomerFigures:
    """Each customer's lifetime billings and provision status, remembered by the identity of
    its records (a load never changes them in place): a row is rebuilt as each kind of its
    records comes in, and every row when the rows start again."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._billings: dict[str, tuple[Sequence[Invoice], int]] = {}
        self._statuses: dict[str, tuple[tuple[Contract, ...], ProvisionStatus | None]] = {}

    def billings_of(self, customer_id: str, invoices: Sequence[Invoice]) -> int:
        known = self._billings.get(customer_id)
        if known is not None and known[0] is invoices:
            return known[1]
        cents = lifetime_billings_cents(invoices)
        self._billings[customer_id] = (invoices, cents)
        return cents

    def status_of(
        self, customer_id: str, contracts: tuple[Contract, ...]
    ) -> ProvisionStatus | None:
        known = self._statuses.get(customer_id)
        if known is not None and known[0] is contracts:
            return known[1]
        status = provision_status(contracts, self._now)
        self._statuses[customer_id] = (contracts, status)
        return status


class PartialRows:
    """The rows of one snapshot as it grows, from what was added to it."""

    def __init__(self, figures: CustomerFigures) -> None:
        self._figures = figures
        self._links = GrowingLinks()
        self._rows: list[CustomerRow] = []
        """A row per Stripe customer, in the Stripe list's order."""
        self._linked: list[bool] = []
        self._unlinked: list[bool] = []
        self._places: dict[str, list[int]] = {}
        """Stripe customer id -> its places in the Stripe list."""

    def rows(self) -> list[CustomerRow]:
        """The linked customers' rows, then the unlinked ones, each in the Stripe list's order."""
        rows = self._rows
        return [*compress(rows, self._linked), *compress(rows, self._unlinked)]

    def add(self, snapshot: AccountSnapshot, added: Additions) -> None:
        """Rebuild the rows that `added` changes, and add those of new Stripe customers."""
        configurations = snapshot.billing_configurations
        changed = self._links.add(
            added.metronome_customers,
            (
                configuration
                for customer_id in added.billing_configurations
                for configuration in configurations[customer_id]
            ),
        )
        for keys in (
            added.contracts,
            added.invoices,
            added.failed_contracts,
            added.failed_invoices,
        ):
            for customer_id in keys:
                changed.update(self._links.claimed_by(customer_id))
        if added.completed:
            # Rows waiting for records that never came are no longer loading.
            changed.update(
                row.stripe_customer_id
                for row in self._rows
                if row.billings_loading or row.status_loading
            )
        known = len(self._rows)
        stripe_customers = snapshot.stripe_customers
        for stripe_id in changed:
            for place in self._places.get(stripe_id, ()):
                self._put(place, self.build_row(snapshot, stripe_customers[place]))
        for customer in added.stripe_customers:
            self._places.setdefault(customer.id, []).append(known)
            self._rows.append(self.build_row(snapshot, customer))
            self._linked.append(False)
            self._unlinked.append(False)
            self._put(known, self._rows[-1])
            known += 1

    def _put(self, place: int, row: CustomerRow) -> None:
        self._rows[place] = row
        self._linked[place] = row.linked
        self._unlinked[place] = not row.linked

    def build_row(self, snapshot: AccountSnapshot, customer: StripeCustomer) -> CustomerRow:
        """A Stripe customer's row as the snapshot has it now (each row built goes through
        here, so a test can count them)."""
        customer_id = self._links.linked_customer_id(customer.id)
        if customer_id is None:
            return unlinked_row(customer)
        link = CustomerLink(customer, customer_id)
        figures = self._figures
        return linked_row(snapshot, link, figures.billings_of, figures.status_of)

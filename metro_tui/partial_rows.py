"""The Customers rows of a first load's growing snapshot, rebuilt only where something came in.

Deriving every row from scratch looks up each linked customer's records and failures (4 to 5
dict look-ups each) and links every Stripe customer again: at 2,000 customers ~55 ms a partial
result by the end of a load, at 10,000 ~0.25 s. A load only adds customers and their records,
so one row is kept per Stripe customer and rebuilt only when its link or the records of its
Metronome customer change; anything but an addition starts again from nothing, so the rows
always equal `customer_rows(snapshot, now, include_unlinked=True)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import compress
from operator import not_

from metro_tui.growing import GrowingList, GrowingMap
from metro_tui.models import Contract, Invoice, MetronomeCustomer, ProvisionStatus, StripeCustomer
from metro_tui.services.linking import CustomerLink, GrowingLinks
from metro_tui.services.provisioning import provision_status
from metro_tui.services.revenue import lifetime_billings_cents
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerRow, linked_row, unlinked_row


class PartialRows:
    """The rows of one load's snapshot as it grows; one per load."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        # By the identity of a customer's records, which a load never changes in place: kept
        # when the rows start again, since a row is rebuilt each time more of it comes in.
        self._billings: dict[str, tuple[Sequence[Invoice], int]] = {}
        self._statuses: dict[str, tuple[tuple[Contract, ...], ProvisionStatus | None]] = {}
        self._restart()

    def _restart(self) -> None:
        self._complete = False
        self._links = GrowingLinks()
        self._stripe_customers = GrowingList[StripeCustomer]()
        self._metronome_customers = GrowingList[MetronomeCustomer]()
        self._configurations = GrowingMap[str, object]()
        self._records = [GrowingMap[str, object]() for _ in range(4)]
        """The contracts, invoices and the failures of each, per Metronome customer."""
        self._rows: list[CustomerRow] = []
        """A row per Stripe customer, in the Stripe list's order."""
        self._linked: list[bool] = []
        self._places: dict[str, list[int]] = {}
        """Stripe customer id -> its places in the Stripe list."""

    def rows(self, snapshot: AccountSnapshot) -> list[CustomerRow]:
        """The linked customers' rows, then the unlinked ones, each in the Stripe list's order."""
        if not self._add(snapshot):
            self._restart()
            self._add(snapshot)
        rows, linked = self._rows, self._linked
        return [*compress(rows, linked), *compress(rows, map(not_, linked))]

    def _add(self, snapshot: AccountSnapshot) -> bool:
        """Take in what was added since the last call; False when it was not only added."""
        new_stripe = self._stripe_customers.new(snapshot.stripe_customers)
        new_metronome = self._metronome_customers.new_members(snapshot.metronome_customers)
        new_configurations = self._configurations.new(snapshot.billing_configurations)
        maps: tuple[Mapping[str, object], ...] = (
            snapshot.contracts,
            snapshot.invoices,
            snapshot.failed_contracts,
            snapshot.failed_invoices,
        )
        new_records = [read.new(records) for read, records in zip(self._records, maps, strict=True)]
        if (
            new_stripe is None
            or new_metronome is None
            or new_configurations is None
            or None in new_records
            or (self._complete and not snapshot.complete)
        ):
            return False
        changed = self._links.add(
            new_metronome,
            (
                configuration
                for customer_id in new_configurations
                for configuration in snapshot.billing_configurations[customer_id]
            ),
        )
        for keys in new_records:
            for customer_id in keys or ():
                changed.update(self._links.claimed_by(customer_id))
        if snapshot.complete and not self._complete:
            # Rows waiting for records that never came are no longer loading.
            self._complete = True
            changed.update(
                row.stripe_customer_id
                for row in self._rows
                if row.billings_loading or row.status_loading
            )
        for customer in new_stripe:
            self._places.setdefault(customer.id, []).append(len(self._rows))
            self._rows.append(self.build_row(snapshot, customer))
            self._linked.append(self._rows[-1].linked)
        stripe_customers = snapshot.stripe_customers
        for stripe_id in changed:
            for place in self._places.get(stripe_id, ()):
                if place < len(self._rows) - len(new_stripe):
                    row = self._rows[place] = self.build_row(snapshot, stripe_customers[place])
                    self._linked[place] = row.linked
        return True

    def build_row(self, snapshot: AccountSnapshot, customer: StripeCustomer) -> CustomerRow:
        """A Stripe customer's row as the snapshot has it now (each row built goes through
        here, so a test can count them)."""
        customer_id = self._links.linked_customer_id(customer.id)
        if customer_id is None:
            return unlinked_row(customer)
        link = CustomerLink(customer, customer_id)
        return linked_row(snapshot, link, self._billings_of, self._status_of)

    def _billings_of(self, customer_id: str, invoices: Sequence[Invoice]) -> int:
        known = self._billings.get(customer_id)
        if known is not None and known[0] is invoices:
            return known[1]
        cents = lifetime_billings_cents(invoices)
        self._billings[customer_id] = (invoices, cents)
        return cents

    def _status_of(
        self, customer_id: str, contracts: tuple[Contract, ...]
    ) -> ProvisionStatus | None:
        known = self._statuses.get(customer_id)
        if known is not None and known[0] is contracts:
            return known[1]
        status = provision_status(contracts, self._now)
        self._statuses[customer_id] = (contracts, status)
        return status

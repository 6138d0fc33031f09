"""The account as the app holds it: the snapshot, what is derived from it, and how it refreshes.

The app's screens read from one `AccountStore`; the store never imports Textual, so what it
computes is tested without a terminal. Figures and rows are derived once per snapshot, not per
redraw: at 100,000 customers deriving rows is the expensive part.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from metro_tui.account import (
    CustomerDetail,
    CustomerRow,
    OverviewFigures,
    customer_detail,
    customer_rows,
    overview_figures,
)
from metro_tui.models import Contract
from metro_tui.services.clock import now_for
from metro_tui.services.contracts import included_products, rate_schedule_instant
from metro_tui.sync.collector import collector_paused, exempt_live_objects, freeze_live_objects
from metro_tui.sync.engine import PartialCallback, ProgressCallback, SyncEngine
from metro_tui.sync.snapshot import AccountSnapshot

if TYPE_CHECKING:
    # Only for annotations: the connection's module imports both SDKs.
    from metro_tui.config import Settings
    from metro_tui.connection import Connection


class AccountStore:
    """One connected account's snapshot, its cache, and the figures the screens show."""

    def __init__(self, settings: Settings, connection: Connection) -> None:
        self.settings = settings
        self.connection = connection
        self.snapshot: AccountSnapshot | None = None
        self._rows: list[CustomerRow] = []
        self._figures: OverviewFigures | None = None

    @property
    def now(self) -> datetime:
        return now_for(self.settings.today)

    @property
    def stripe_livemode(self) -> bool:
        stripe = self.connection.stripe
        return stripe.livemode if stripe is not None else False

    def load_cached(self) -> str | None:
        """Adopt the cached snapshot, if any; returns a notice when the cache was unusable.

        Safe to call from a worker thread: nothing else reads the store before it returns.
        """
        with collector_paused():
            cached = self.connection.cache.load()
            if cached.snapshot is not None:
                self.adopt(cached.snapshot)
            freeze_live_objects()
        return cached.notice

    def adopt(self, snapshot: AccountSnapshot) -> None:
        """Make `snapshot` current and derive what the screens show from it."""
        self._install(snapshot, *self._derive(snapshot))

    def _derive(self, snapshot: AccountSnapshot) -> tuple[OverviewFigures, list[CustomerRow]]:
        now = self.now
        return overview_figures(snapshot, now), customer_rows(snapshot, now, include_unlinked=True)

    def _install(
        self, snapshot: AccountSnapshot, figures: OverviewFigures, rows: list[CustomerRow]
    ) -> None:
        # Derived first, swapped together: a reader never sees rows of one snapshot and
        # figures of another.
        self.snapshot, self._figures, self._rows = snapshot, figures, rows

    @property
    def overview(self) -> OverviewFigures | None:
        return self._figures

    @property
    def rows(self) -> Sequence[CustomerRow]:
        """Linked customers first, then Stripe customers not in Metronome."""
        return self._rows

    def row_for(self, stripe_customer_id: str) -> CustomerRow | None:
        return next(
            (row for row in self._rows if row.stripe_customer_id == stripe_customer_id), None
        )

    def detail(self, row: CustomerRow) -> CustomerDetail:
        current = self.row_for(row.stripe_customer_id) or row
        return customer_detail(self.snapshot or AccountSnapshot(), current, self.now)

    async def refresh(
        self,
        on_progress: ProgressCallback | None = None,
        on_partial: PartialCallback | None = None,
    ) -> AccountSnapshot:
        """Sync the account (incrementally from the current snapshot), adopt and cache it."""
        engine = SyncEngine(
            self.connection.metronome,
            self.connection.stripe,
            now=self.now,
            concurrency=self.settings.concurrency,
            on_progress=on_progress,
            on_partial=on_partial,
        )
        snapshot = await engine.run(previous=self.snapshot)
        await self._adopt_complete(snapshot)
        return snapshot

    async def refresh_customer(self, metronome_customer_id: str) -> None:
        """Reload one Metronome customer (e.g. after a contract was created for it)."""
        metronome = self.connection.metronome
        customer = await metronome.customer(metronome_customer_id)
        configurations = await metronome.billing_configurations(metronome_customer_id)
        contracts = await metronome.contracts(metronome_customer_id)
        invoices = await metronome.invoices(metronome_customer_id)
        current = self.snapshot or AccountSnapshot()
        # Records are immutable, so a new snapshot shares them and copies only the containers
        # that change: the screens may still be drawing from the current one.
        snapshot = dataclasses.replace(
            current,
            metronome_customers=[
                known for known in current.metronome_customers if known.id != customer.id
            ]
            + [customer],
            billing_configurations={
                **current.billing_configurations,
                customer.id: tuple(configurations),
            },
            contracts={**current.contracts, customer.id: tuple(contracts)},
            invoices={**current.invoices, customer.id: tuple(invoices)},
            failed_billing_configurations=_without(
                current.failed_billing_configurations, customer.id
            ),
            failed_contracts=_without(current.failed_contracts, customer.id),
            failed_invoices=_without(current.failed_invoices, customer.id),
        )
        await self._adopt_complete(snapshot)

    async def _adopt_complete(self, snapshot: AccountSnapshot) -> None:
        """Adopt a finished snapshot and cache it, the slow parts off the event loop.

        At 100,000 customers, deriving the rows takes most of a second and writing the cache
        a few; a thread leaves the loop its share of the interpreter meanwhile.
        """
        figures, rows = await asyncio.to_thread(self._derive, snapshot)
        self._install(snapshot, figures, rows)
        exempt_live_objects()
        await asyncio.to_thread(self.connection.cache.store, snapshot)

    async def included_products(self, contract: Contract) -> tuple[str, ...]:
        """The entitled products of the contract's rate schedule: today's, or for a contract
        not running today, its first or last day's."""
        rates = await self.connection.metronome.rate_schedule(
            contract.customer_id, contract.id, rate_schedule_instant(contract, self.now)
        )
        return included_products(contract, rates)


def _without(failures: dict[str, str], customer_id: str) -> dict[str, str]:
    return {key: message for key, message in failures.items() if key != customer_id}

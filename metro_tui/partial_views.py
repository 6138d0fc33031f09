"""What the views show of a first load's growing snapshot, adding only what came in since.

While a first load runs, the store shows each partial snapshot it is handed. Deriving every
figure and row from scratch sums every invoice line of the account and builds every row each
time: at 2,000 customers ~0.1 s, and at 10,000 most of a second, so partial results had to be
rare and the rows on screen stayed "loading" long after their records were in. A load only
ever adds customers and their records (each kind once), so the sums and counts are kept
between partial results and each new customer's records are added once, and a row is rebuilt
only when its customer's link or records change (`partial_rows.py`). Anything else (records
replaced or removed) starts again, so the figures always equal `account_view`'s.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from metro_tui.partial_rows import CustomerFigures, PartialRows
from metro_tui.services.customers import NEW_CUSTOMER_WINDOW
from metro_tui.services.products import ProductTotals
from metro_tui.snapshot_additions import Additions, AdditionsReader
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import AccountView, OverviewTotals, RevenueTotals, overview_from_totals


class PartialViews:
    """Derives the views of one load's snapshot as it grows; one per load."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._figures = CustomerFigures(now)
        self._restart()

    def _restart(self) -> None:
        self._reader = AdditionsReader()
        self._overview = PartialOverview(self._now)
        self._rows = PartialRows(self._figures)

    def derive(self, snapshot: AccountSnapshot) -> AccountView:
        """Every figure and row of `snapshot`, equal to `account_view(snapshot, now)`."""
        added = self._reader.read(snapshot)
        if added is None:
            self._restart()
            added = self._reader.read(snapshot)
            assert added is not None, "a new reader reads everything as added"
        self._overview.add(snapshot, added)
        self._rows.add(snapshot, added)
        overview = overview_from_totals(snapshot, self._now, self._overview.totals)
        return AccountView(snapshot, self._now, overview, self._rows.rows())


class PartialOverview:
    """The Overview's sums and counts of one snapshot as it grows, from what was added."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self.totals = OverviewTotals(RevenueTotals(0, Counter()), ProductTotals(), 0, 0)
        self._listed: Counter[str] = Counter()
        """Metronome customer id -> how many times the list names it."""
        self._loaded: set[str] = set()
        """The Metronome customers whose invoices are in, or failed."""

    def add(self, snapshot: AccountSnapshot, added: Additions) -> None:
        totals = self.totals
        since = self._now - NEW_CUSTOMER_WINDOW
        for customer in added.metronome_customers:
            self._listed[customer.id] += 1
            totals.loaded_customers += customer.id in self._loaded
            totals.new_customers += since < customer.created_at <= self._now
        for customer_id in added.invoices:
            invoices = snapshot.invoices[customer_id]
            totals.revenue.add((invoices,))
            totals.products.add(invoices)
        for customer_id in (*added.invoices, *added.failed_invoices):
            if customer_id not in self._loaded:
                self._loaded.add(customer_id)
                totals.loaded_customers += self._listed[customer_id]

"""What the views show of a first load's growing snapshot, adding only what came in since.

While a first load runs, the store shows each partial snapshot it is handed. Deriving every
figure and row from scratch sums every invoice line of the account and builds every row each
time: at 2,000 customers ~0.1 s, and at 10,000 most of a second, so partial results had to be
rare and the rows on screen stayed "loading" long after their records were in. A load only
ever adds a customer's records (each kind once), so the sums are kept between partial results
and each new customer's records are added once, and a row is rebuilt only when its customer's
link or records change (`partial_rows.py`). Anything else (records replaced or removed)
starts again, so the figures always equal `account_view`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from metro_tui.growing import GrowingMap
from metro_tui.models import Invoice
from metro_tui.partial_rows import PartialRows
from metro_tui.services.products import ProductTotals
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import AccountView, RevenueTotals, overview_from_totals


class PartialViews:
    """Derives the views of one load's snapshot as it grows; one per load."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._rows = PartialRows(now)
        self._restart_sums()

    def _restart_sums(self) -> None:
        self._counted = GrowingMap[str, Sequence[Invoice]]()
        """The invoices already in the sums, per Metronome customer."""
        self._revenue = RevenueTotals(0, Counter())
        self._products = ProductTotals()

    def derive(self, snapshot: AccountSnapshot) -> AccountView:
        """Every figure and row of `snapshot`, equal to `account_view(snapshot, now)`."""
        invoices = snapshot.invoices
        new = self._counted.new(invoices)
        if new is None:
            self._restart_sums()
            new = self._counted.new(invoices) or []
        for customer_id in new:
            self._revenue.add((invoices[customer_id],))
            self._products.add(invoices[customer_id])
        overview = overview_from_totals(snapshot, self._now, self._revenue, self._products)
        return AccountView(snapshot, self._now, overview, self._rows.rows(snapshot))

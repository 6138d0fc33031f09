"""Revenue from FINALIZED invoices: lifetime billings, totals and calendar-month figures.

An invoice belongs to the calendar month its billing period ends in, with the end exclusive:
it counts for month M when ``start of M < end_timestamp <= start of M+1``, so a period ending
at 1 November 00:00 is October's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain
from typing import TYPE_CHECKING

from metro_tui.figures import MonthRevenue as MonthRevenue
from metro_tui.figures import RevenueChange as RevenueChange
from metro_tui.invoice_columns import InvoiceColumns, InvoiceTotal

if TYPE_CHECKING:
    from metro_tui.models import Invoice


FINALIZED = "FINALIZED"


def finalized(invoices: Iterable[Invoice]) -> Iterator[Invoice]:
    """Only the invoices that count as revenue: DRAFT and VOID never do."""
    return (invoice for invoice in invoices if invoice.status == FINALIZED)


def invoice_totals(invoices: Iterable[Invoice]) -> Iterable[InvoiceTotal]:
    """Each invoice's status, period end and total; invoices kept in columns (as the cache
    reads them) give these without a record made for each."""
    if type(invoices) is not tuple and isinstance(invoices, InvoiceColumns):
        return invoices.totals()
    return ((invoice.status, invoice.end_timestamp, invoice.total_cents) for invoice in invoices)


def lifetime_billings_cents(invoices: Iterable[Invoice]) -> int:
    """Sum of the totals of one customer's FINALIZED invoices."""
    total = 0
    for status, _end, cents in invoice_totals(invoices):
        if status == FINALIZED:
            total += cents
    return total


def total_revenue_cents(invoices: Iterable[Invoice]) -> int:
    """Sum of the totals of every customer's FINALIZED invoices."""
    return lifetime_billings_cents(invoices)


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _billing_month(end_timestamp: datetime) -> tuple[int, int]:
    """The (year, month) an invoice counts for, by the exclusive period-end rule."""
    end = end_timestamp.astimezone(UTC)
    month_start = end.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if end == month_start:
        return _shift_month(end.year, end.month, -1)
    return end.year, end.month


def revenue_by_period_end(invoices: Iterable[Invoice]) -> Counter[datetime]:
    """FINALIZED revenue per billing period end: invoices share a few hundred ends, so
    monthly figures sum these rather than every invoice."""
    by_end: Counter[datetime] = Counter()
    add_revenue(by_end, (invoices,))
    return by_end


def add_revenue(by_period_end: Counter[datetime], customers: Iterable[Iterable[Invoice]]) -> int:
    """Add each customer's FINALIZED revenue to `by_period_end`, in one loop; returns the sum."""
    total = 0
    for status, end, cents in chain.from_iterable(map(invoice_totals, customers)):
        if status == FINALIZED:
            by_period_end[end] += cents
            total += cents
    return total


def _revenue_by_billing_month(by_end: Counter[datetime]) -> Counter[tuple[int, int]]:
    totals: Counter[tuple[int, int]] = Counter()
    for end, cents in by_end.items():
        totals[_billing_month(end)] += cents
    return totals


def revenue_for_month(invoices: Iterable[Invoice], year: int, month: int) -> int:
    """FINALIZED revenue of one calendar month, by the period-end rule."""
    return sum(
        invoice.total_cents
        for invoice in finalized(invoices)
        if _billing_month(invoice.end_timestamp) == (year, month)
    )


def _month_before(now: datetime, months: int) -> tuple[int, int]:
    """The (year, month) `months` calendar months before the UTC month of `now`."""
    utc_now = now.astimezone(UTC)
    return _shift_month(utc_now.year, utc_now.month, -months)


def revenue_last_month_cents(invoices: Iterable[Invoice], now: datetime) -> int:
    """FINALIZED revenue of the calendar month before the one `now` is in."""
    return revenue_for_month(invoices, *_month_before(now, 1))


def revenue_by_month(
    invoices: Iterable[Invoice], now: datetime, months: int = 12
) -> list[MonthRevenue]:
    """Revenue of the `months` calendar months ending with the previous one, oldest first."""
    return monthly_revenue(revenue_by_period_end(invoices), now, months)


def monthly_revenue(
    by_period_end: Counter[datetime], now: datetime, months: int = 12
) -> list[MonthRevenue]:
    """`revenue_by_month`, from the revenue per period end (`revenue_by_period_end`)."""
    totals = _revenue_by_billing_month(by_period_end)
    series = []
    for back in range(months, 0, -1):
        year, month = _month_before(now, back)
        series.append(MonthRevenue(f"{year:04d}-{month:02d}", totals[(year, month)]))
    return series


def change_over_last_month(series: Sequence[MonthRevenue]) -> RevenueChange:
    """The change between the last two months of a `revenue_by_month` series."""
    last, previous = (entry.amount_cents for entry in reversed(series[-2:]))
    change = last - previous
    # Multiply first: whole-number percentages then come out exact.
    percent = None if previous == 0 else change * 100 / abs(previous)
    return RevenueChange(last, previous, change, percent)

"""Revenue: FINALIZED only; an invoice counts for the month its period ends in, end exclusive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from metro_tui.models import Invoice
from metro_tui.services.revenue import (
    MonthRevenue,
    RevenueChange,
    change_over_last_month,
    lifetime_billings_cents,
    revenue_by_month,
    revenue_for_month,
    revenue_last_month_cents,
    total_revenue_cents,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def invoice(end: datetime, total_cents: int, status: str = "FINALIZED") -> Invoice:
    return Invoice(
        id=f"inv-{end.isoformat()}-{status}",
        customer_id="m1",
        status=status,
        start_timestamp=end - timedelta(days=30),
        end_timestamp=end,
        total_cents=total_cents,
    )


INVOICES = [
    invoice(datetime(2026, 11, 1, tzinfo=UTC), 10_000),  # ends at the boundary: October
    invoice(datetime(2026, 11, 1, 0, 0, 1, tzinfo=UTC), 2_000),  # 1 s later: November
    invoice(datetime(2026, 10, 1, tzinfo=UTC), 500),  # September
    invoice(datetime(2026, 10, 1, 0, 0, 1, tzinfo=UTC), 700),  # October
    invoice(datetime(2026, 10, 15, tzinfo=UTC), 99_999, status="DRAFT"),
    invoice(datetime(2026, 10, 15, tzinfo=UTC), 88_888, status="VOID"),
    invoice(datetime(2025, 11, 1, tzinfo=UTC), 300),  # October 2025: before the 12 months
    invoice(datetime(2025, 11, 15, tzinfo=UTC), 400),  # November 2025: the oldest of the 12
]


def test_lifetime_billings_and_total_revenue_count_finalized_only() -> None:
    assert lifetime_billings_cents(INVOICES) == 13_900
    assert total_revenue_cents(INVOICES) == 13_900
    assert lifetime_billings_cents([invoice(NOW, 5, status="DRAFT")]) == 0


def test_an_invoice_ending_at_a_month_start_counts_for_the_month_before() -> None:
    assert revenue_for_month(INVOICES, 2026, 10) == 10_700
    assert revenue_for_month(INVOICES, 2026, 11) == 2_000
    assert revenue_for_month(INVOICES, 2026, 9) == 500
    assert revenue_for_month(INVOICES, 2025, 10) == 300


def test_an_invoice_ending_at_a_month_start_in_another_zone_is_judged_in_utc() -> None:
    eastern = timezone(timedelta(hours=-4))
    october = invoice(datetime(2026, 10, 31, 20, 0, tzinfo=eastern), 42)
    assert revenue_for_month([october], 2026, 10) == 42
    assert revenue_for_month([october], 2026, 11) == 0


def test_revenue_last_month() -> None:
    assert revenue_last_month_cents(INVOICES, NOW) == 10_700


def test_revenue_last_month_across_a_year_end() -> None:
    december = invoice(datetime(2026, 1, 1, tzinfo=UTC), 1_234)
    january = invoice(datetime(2026, 1, 10, tzinfo=UTC), 9)
    assert revenue_last_month_cents([december, january], datetime(2026, 1, 15, tzinfo=UTC)) == (
        1_234
    )


def test_revenue_by_month_is_the_12_months_ending_last_month_oldest_first() -> None:
    series = revenue_by_month(INVOICES, NOW)
    assert [entry.month for entry in series] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    assert [entry.amount_cents for entry in series] == [400, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500, 10_700]


def test_revenue_by_month_with_fewer_months_across_a_year_end() -> None:
    december = invoice(datetime(2026, 1, 1, tzinfo=UTC), 1_234)
    series = revenue_by_month([december], datetime(2026, 1, 15, tzinfo=UTC), months=3)
    assert series == [
        MonthRevenue("2025-10", 0),
        MonthRevenue("2025-11", 0),
        MonthRevenue("2025-12", 1_234),
    ]


def test_month_over_month_change() -> None:
    assert change_over_last_month(revenue_by_month(INVOICES, NOW, 2)) == RevenueChange(
        last_month_cents=10_700,
        previous_month_cents=500,
        change_cents=10_200,
        change_percent=2040.0,
    )


def test_month_over_month_decrease() -> None:
    invoices = [
        invoice(datetime(2026, 10, 1, tzinfo=UTC), 1_000),
        invoice(datetime(2026, 11, 1, tzinfo=UTC), 250),
    ]
    change = change_over_last_month(revenue_by_month(invoices, NOW, 2))
    assert change.change_cents == -750
    assert change.change_percent == -75.0


def test_month_over_month_percent_is_none_after_a_month_without_revenue() -> None:
    invoices = [invoice(datetime(2026, 11, 1, tzinfo=UTC), 250)]
    assert change_over_last_month(revenue_by_month(invoices, NOW, 2)) == RevenueChange(
        250, 0, 250, None
    )

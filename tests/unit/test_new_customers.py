"""New customers: created in ``(now - 30 days, now]``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from metro_tui.models import MetronomeCustomer
from metro_tui.services.customers import new_customers_count

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
DAYS_30 = timedelta(days=30)


def created(at: datetime) -> MetronomeCustomer:
    return MetronomeCustomer(id=f"m-{at.isoformat()}", name="Acme", created_at=at)


def test_the_window_excludes_its_start_and_includes_now() -> None:
    customers = [
        created(NOW),  # counted: the end is inclusive
        created(NOW - DAYS_30 + SECOND),  # counted
        created(NOW - timedelta(days=10)),  # counted
        created(NOW - DAYS_30),  # not counted: the start is exclusive
        created(NOW + SECOND),  # not counted: in the future of a pinned day
        created(datetime(2020, 1, 1, tzinfo=UTC)),  # not counted
    ]
    assert new_customers_count(customers, NOW) == 3


def test_no_customers_counts_zero() -> None:
    assert new_customers_count([], NOW) == 0

"""Billing periods: where the n-th period of a cadence starting at a given moment begins."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

PERIOD_MONTHS = {"MONTHLY": 1, "QUARTERLY": 3, "ANNUAL": 12}


def period_boundary(start: datetime, frequency: str, count: int) -> datetime:
    """The start of period `count` (0-based) of a cadence starting at `start`; a month too
    short for `start`'s day ends the period on its last day."""
    if frequency == "WEEKLY":
        return start + timedelta(weeks=count)
    months = start.month - 1 + PERIOD_MONTHS[frequency] * count
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)

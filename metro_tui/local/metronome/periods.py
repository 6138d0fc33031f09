"""Billing periods: where the n-th period of a cadence starting at a given moment begins."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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


def billing_anchor(contract_start: datetime, day: str, custom_date: datetime | None) -> datetime:
    """Where a contract's usage invoice periods are counted from: its `usage_statement_schedule`
    `day` (FIRST_OF_MONTH, CONTRACT_START or CUSTOM_DATE with its `billing_anchor_date`)."""
    if day == "CUSTOM_DATE" and custom_date is not None:
        return custom_date
    start = contract_start.astimezone(UTC)
    if day == "CONTRACT_START":
        return start
    return start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Cadence:
    """Periods of `frequency` counted from `anchor`, before it as well as after."""

    frequency: str
    anchor: datetime

    def boundary(self, count: int) -> datetime:
        return period_boundary(self.anchor, self.frequency, count)

    def period_holding(self, moment: datetime) -> int:
        """The period whose boundaries hold `moment`: boundary(n) <= moment < boundary(n + 1)."""
        count = 0
        while self.boundary(count) > moment:
            count -= 1
        while self.boundary(count + 1) <= moment:
            count += 1
        return count

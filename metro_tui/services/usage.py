"""Usage events: Metronome's duplicate rule and the 30-day daily series for the Overview chart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from metro_tui.models import UsageDay, UsageEvent

DUPLICATE_WINDOW = timedelta(days=34)
"""An event is a duplicate when its transaction_id was accepted at most this long before it.

The bound is inclusive: an event exactly 34 days after the accepted one is still a duplicate;
34 days and 1 second after, it is accepted afresh.
"""


def flag_duplicates(events: Sequence[UsageEvent]) -> list[bool]:
    """For each event, in the given order, whether Metronome would flag it duplicate.

    Events are judged in order of receipt (ties keep the given order). Only accepted events
    open a window: a duplicate does not extend it. Pass events from 34 days before the period
    of interest too, or early duplicates there are missed.
    """
    flags = [False] * len(events)
    last_accepted: dict[str, datetime] = {}
    for index in sorted(range(len(events)), key=lambda i: events[i].received_at):
        event = events[index]
        accepted_at = last_accepted.get(event.transaction_id)
        if accepted_at is not None and event.received_at - accepted_at <= DUPLICATE_WINDOW:
            flags[index] = True
        else:
            last_accepted[event.transaction_id] = event.received_at
    return flags


def _series_days(now: datetime, days: int) -> list[date]:
    today = now.astimezone(UTC).date()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def usage_series(usage_days: Iterable[UsageDay], now: datetime, days: int = 30) -> list[UsageDay]:
    """One entry per UTC day for the `days` days ending today, oldest first, missing days as 0.

    Entries for the same day are added together; days outside the window are dropped.
    """
    totals: Counter[date] = Counter()
    duplicates: Counter[date] = Counter()
    for usage_day in usage_days:
        totals[usage_day.day] += usage_day.total
        duplicates[usage_day.day] += usage_day.duplicates
    return [
        UsageDay(day=day, total=totals[day], duplicates=duplicates[day])
        for day in _series_days(now, days)
    ]


def usage_series_from_events(
    events: Sequence[UsageEvent], now: datetime, days: int = 30
) -> list[UsageDay]:
    """The daily series computed from raw events, duplicates flagged by Metronome's rule."""
    flags = flag_duplicates(events)
    per_event = (
        UsageDay(day=event.received_at.date(), total=1, duplicates=int(is_duplicate))
        for event, is_duplicate in zip(events, flags, strict=True)
    )
    return usage_series(per_event, now, days)

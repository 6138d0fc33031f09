"""What "now" means for the app: the wall clock, or noon UTC of a pinned day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

_PINNED_TIME_OF_DAY = time(12, 0, tzinfo=UTC)
"""Noon keeps a pinned day far from both midnights, so day-based rules never straddle one."""


def now_for(today: date | None, wall: datetime | None = None) -> datetime:
    """Noon UTC of `today` when given (``--today``), else `wall` (or the real clock) in UTC."""
    if today is not None:
        return datetime.combine(today, _PINNED_TIME_OF_DAY)
    if wall is None:
        return datetime.now(UTC)
    if wall.tzinfo is None:
        raise ValueError("The wall clock time must carry a timezone.")
    return wall.astimezone(UTC)

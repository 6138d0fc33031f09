"""The local backend's notion of "now": noon UTC of `--today`, else the wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def now(today: str | None) -> datetime:
    if today:
        return datetime.combine(date.fromisoformat(today), time(12, 0), tzinfo=UTC)
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """RFC 3339 with a `Z`, to the second, as Metronome writes timestamps."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")

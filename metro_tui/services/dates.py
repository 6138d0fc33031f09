"""Days and months in words, the same in every locale: "Jan 5, 2026"."""

from __future__ import annotations

from datetime import date

_MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
"""Fixed English names: strftime's %b follows the user's locale."""


def format_day(day: date) -> str:
    """A day as "Jan 5, 2026"."""
    return f"{month_abbreviation(day.month)} {day.day}, {day.year}"


def month_abbreviation(month: int) -> str:
    """A month (1 to 12) as "Jan" to "Dec", whatever the user's locale."""
    return _MONTH_ABBREVIATIONS[month - 1]

"""Money as the app shows and reads it: USD, integer cents inside, dollars on screen."""

from __future__ import annotations

import re

_COMPACT_UNITS: tuple[tuple[str, int], ...] = (
    ("K", 1_000 * 100),
    ("M", 1_000_000 * 100),
    ("B", 1_000_000_000 * 100),
)
"""Suffix and its size in cents, smallest first."""

_AMOUNT = re.compile(
    r"\$?\s*(?P<whole>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<fraction>\d*))?", flags=re.ASCII
)
"""Dollars with an optional "$", optional thousands separators and an optional fraction."""

_EXAMPLE = "for example 1,250.00"


def format_cents(cents: int) -> str:
    """Dollars with thousands separators and two decimals: ``-123456`` -> ``"-$1,234.56"``."""
    sign = "-" if cents < 0 else ""
    dollars, remainder = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{remainder:02d}"


def format_compact(cents: int) -> str:
    """A short form for tight spaces: ``"$45.3K"``, ``"$1.2M"``; under $1,000 it is exact."""
    magnitude = abs(cents)
    if magnitude < _COMPACT_UNITS[0][1]:
        return format_cents(cents)
    sign = "-" if cents < 0 else ""
    largest_suffix = _COMPACT_UNITS[-1][0]
    for suffix, unit in _COMPACT_UNITS:
        # Tenths of the unit, rounded half up in integers so no float drift shows.
        tenths = (magnitude * 10 + unit // 2) // unit
        # $999,960 rounds to 1000.0K: show it in the next unit instead.
        if tenths < 10_000 or suffix == largest_suffix:
            break
    return f"{sign}${tenths // 10:,}.{tenths % 10}{suffix}"


def parse_money(text: str) -> int:
    """Read a non-negative dollar amount such as ``"$1,250.5"`` as cents (125050).

    Raises ValueError with a message fit to show the user.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"Enter an amount, {_EXAMPLE}.")
    if cleaned.lstrip("$ ").startswith("-"):
        raise ValueError("The amount cannot be negative.")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"'{cleaned}' is not an amount of money; {_EXAMPLE}.")
    whole = match.group("whole").replace(",", "")
    fraction = match.group("fraction") or ""
    if not whole and not fraction:
        raise ValueError(f"'{cleaned}' is not an amount of money; {_EXAMPLE}.")
    if len(fraction) > 2:
        raise ValueError("Use at most 2 decimal places (whole cents).")
    return int(whole or "0") * 100 + int(fraction.ljust(2, "0"))

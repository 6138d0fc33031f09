"""Money as the app shows and reads it: USD, integer cents inside, dollars on screen."""

from __future__ import annotations

import re

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

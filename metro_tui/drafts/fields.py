"""Reading typed form fields: a value, or a message the user can act on.

The `parse_*` functions read one field and raise ValueError with that message; `FieldReader`
reads many, collecting the messages by field path instead of stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from metro_tui.drafts.terms import Period
from metro_tui.services.money import parse_money

T = TypeVar("T")

FieldErrors = dict[str, str]
"""Field path -> what is wrong with it."""

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", flags=re.ASCII)
_WHOLE_NUMBER = re.compile(r"\d+", flags=re.ASCII)
_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)", flags=re.ASCII)


def parse_day(text: str) -> date:
    """A day typed as YYYY-MM-DD; "2026-02-30" is well formed but not a real day."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("Enter a date as YYYY-MM-DD")
    if not _DAY.fullmatch(cleaned):
        raise ValueError(f"'{cleaned}' is not a date; enter it as YYYY-MM-DD")
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{cleaned} is not a real date") from None


def parse_whole_number(text: str) -> int:
    """A whole number, 0 or more, typed without signs, separators or decimals."""
    cleaned = text.strip()
    if not _WHOLE_NUMBER.fullmatch(cleaned):
        raise ValueError(f"'{cleaned}' is not a whole number")
    return int(cleaned)


def parse_percent(text: str) -> Decimal:
    """A percentage from 0 to 100, "%" optional; a Decimal, so 7% off is exactly 0.93 of a price."""
    cleaned = text.strip().removesuffix("%").strip()
    if not _DECIMAL.fullmatch(cleaned):
        raise ValueError("Enter the discount as a number of percent, for example 15")
    percent = Decimal(cleaned)
    if not Decimal(0) <= percent <= Decimal(100):
        raise ValueError("Discount must be between 0 and 100 percent")
    return percent


def parse_optional_money(text: str) -> int:
    """Cents of an amount that may be left blank (blank is 0)."""
    return parse_money(text) if text.strip() else 0


class FieldReader:
    """Reads a draft's fields, keeping the first message for each field that fails."""

    def __init__(self) -> None:
        self.errors: FieldErrors = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def read(self, path: str, parse: Callable[[str], T], text: str) -> T | None:
        try:
            return parse(text)
        except ValueError as exc:
            self.fail(path, str(exc))
            return None

    def period(
        self,
        prefix: str,
        start_text: str,
        end_text: str,
        *,
        end_required: bool,
        within: Period | None,
        default_start: date | None = None,
        start_optional: bool = False,
    ) -> Period | None:
        """Start and last day (inclusive) of something; `within` is the contract it must fit in.

        The last day may be the start day: a one-day contract, discount or credit.
        """
        start_path, end_path = f"{prefix}start_date", f"{prefix}end_date"
        if start_optional and not start_text.strip():
            start = default_start
        else:
            start = self.read(start_path, parse_day, start_text)
        last_day = None
        if end_required or end_text.strip():
            last_day = self.read(end_path, parse_day, end_text)
            if last_day is None:
                return None
        if start is None:
            return None
        if last_day is not None and last_day < start:
            self.fail(end_path, "End date cannot be before the start date")
            return None
        if within is not None and not self._fits(start_path, end_path, start, last_day, within):
            return None
        return Period(start, last_day)

    def _fits(
        self, start_path: str, end_path: str, start: date, last_day: date | None, within: Period
    ) -> bool:
        failures_before = len(self.errors)
        if start < within.start:
            self.fail(
                start_path, f"Start date must be on or after the contract start ({within.start})"
            )
        contract_end = within.last_day
        if contract_end is not None and start > contract_end:
            self.fail(
                start_path,
                f"Start date must be on or before the contract end date ({contract_end})",
            )
        if contract_end is not None and last_day is not None and last_day > contract_end:
            self.fail(
                end_path, f"End date must be on or before the contract end date ({contract_end})"
            )
        return len(self.errors) == failures_before

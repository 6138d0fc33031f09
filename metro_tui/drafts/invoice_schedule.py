"""A contract's usage invoice schedule, how often and on which day: one table of each.

The wizard's choices, the Confirm step's words and the check of a rate's billing frequency all
read these tables. The values are also spelled out as `Literal` types: the draft validates
against them, and mypy checks the request against metronome-sdk's own types with them, so a
value the API does not take is a type error in `payload.py`. Adding an option is adding its
value to the type and its row to the table, side by side here (a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

InvoiceFrequency = Literal["MONTHLY", "QUARTERLY", "ANNUAL", "WEEKLY"]
"""How often usage is invoiced, as Metronome spells it (a subscription rate's billing
frequency takes the same values)."""
SendOn = Literal["FIRST_OF_MONTH", "CONTRACT_START"]
"""The day an invoice is sent, as Metronome spells it."""


@dataclass(frozen=True, slots=True)
class Frequency:
    """An invoice frequency and its words on screen."""

    value: InvoiceFrequency
    label: str
    """The wizard's choice and the Confirm step's word: "Annual"."""
    adverb: str
    """As in "billed annually"."""


@dataclass(frozen=True, slots=True)
class SendDay:
    """A day to send invoices on, and its words on screen."""

    value: SendOn
    label: str
    """The wizard's choice: "1st of the month"."""
    phrase: str
    """As the Confirm step says it: "sent on the 1st of the month"."""


FREQUENCIES: tuple[Frequency, ...] = (
    Frequency("MONTHLY", "Monthly", "monthly"),
    Frequency("QUARTERLY", "Quarterly", "quarterly"),
    Frequency("ANNUAL", "Annual", "annually"),
    Frequency("WEEKLY", "Weekly", "weekly"),
)
SEND_DAYS: tuple[SendDay, ...] = (
    SendDay("FIRST_OF_MONTH", "1st of the month", "the 1st of the month"),
    SendDay("CONTRACT_START", "Contract start date", "the contract start date"),
)

_FREQUENCIES: dict[str, Frequency] = {frequency.value: frequency for frequency in FREQUENCIES}
_SEND_DAYS: dict[str, SendDay] = {day.value: day for day in SEND_DAYS}


def frequency_named(value: str | None) -> Frequency | None:
    """The frequency Metronome calls `value` (a rate's billing frequency); None if none is."""
    return _FREQUENCIES.get(value or "")


def frequency_of(value: InvoiceFrequency) -> Frequency:
    return _FREQUENCIES[value]


def send_day_of(value: SendOn) -> SendDay:
    return _SEND_DAYS[value]

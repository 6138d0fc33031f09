"""How a contract reads in the customer detail view: name, period, "(Active)", products."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from metro_tui.models import Contract, Rate
from metro_tui.services.dates import format_day
from metro_tui.services.provisioning import is_contract_active

UNTITLED = "Untitled contract"
ACTIVE_SUFFIX = " (Active)"


@dataclass(frozen=True, slots=True)
class ContractSummary:
    """A contract as displayed: `period_text` is e.g. "Jan 5, 2026 – Dec 31, 2026"."""

    contract_id: str
    display_name: str
    period_text: str
    is_active: bool
    products: tuple[str, ...]

    @property
    def active_suffix(self) -> str:
        """The " (Active)" suffix while the contract is active now, else nothing."""
        return ACTIVE_SUFFIX if self.is_active else ""

    @property
    def period_label(self) -> str:
        """The period followed by the "(Active)" indicator when it applies."""
        return self.period_text + self.active_suffix


def last_day(ending_before: datetime) -> date:
    """The last day a contract covers, `ending_before` being exclusive.

    It is the day of the instant just before `ending_before`: the day before, for the usual
    midnight end, and that same day for an end later in a day (the contract runs part of it).
    """
    return (ending_before - timedelta(microseconds=1)).date()


def period_text(contract: Contract) -> str:
    """Start to last day, e.g. "Jan 5, 2026 – Dec 31, 2026", or "Jan 5, 2026 – no end"."""
    start = format_day(contract.starting_at.date())
    if contract.ending_before is None:
        return f"{start} – no end"
    return f"{start} – {format_day(last_day(contract.ending_before))}"


def _first_named(*names: str | None) -> str | None:
    """The first name that is not blank: a name of only spaces would show as nothing."""
    return next((name.strip() for name in names if name and name.strip()), None)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def rate_schedule_instant(contract: Contract, now: datetime) -> datetime:
    """When to read the contract's rate schedule for its products: now while it runs, else
    its first moment (not started yet) or its last second (ended).

    Outside its period a contract's rate schedule is empty, which would say it has no products.
    """
    if now < contract.starting_at:
        return contract.starting_at
    if contract.ending_before is not None and now >= contract.ending_before:
        return max(contract.starting_at, contract.ending_before - timedelta(seconds=1))
    return now


def included_products(contract: Contract, rate_schedule: Sequence[Rate] | None) -> tuple[str, ...]:
    """The entitled products of the rate schedule when known, else the contract's own products."""
    if rate_schedule is None:
        return _unique(contract.product_names)
    return _unique(rate.product_name for rate in rate_schedule if rate.entitled)


def summarize_contract(
    contract: Contract, now: datetime, rate_schedule: Sequence[Rate] | None = None
) -> ContractSummary:
    """The contract as the customer detail view shows it."""
    return ContractSummary(
        contract_id=contract.id,
        display_name=_first_named(contract.name, contract.rate_card_name) or UNTITLED,
        period_text=period_text(contract),
        is_active=is_contract_active(contract, now),
        products=included_products(contract, rate_schedule),
    )

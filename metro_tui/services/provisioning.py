"""Provision status: the state of a customer's contracts as the Customers tab shows it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from metro_tui.figures import ProvisionStatus

if TYPE_CHECKING:
    from metro_tui.models import Contract

RECENTLY_ENDED_WINDOW = timedelta(days=30)
NOT_PROVISIONED = "Not provisioned"
"""A Metronome customer with none of the three statuses: no contract in effect, none to come,
none ended in the last 30 days. The table, the detail view and the export all say this."""
NOT_IN_METRONOME = "Not in Metronome"
"""A Stripe customer with no Metronome customer, so with no contracts to have a status."""


def is_contract_active(contract: Contract, now: datetime) -> bool:
    """Whether `now` falls in ``[starting_at, ending_before)``; an archived contract never is."""
    if contract.archived_at is not None:
        return False
    started = contract.starting_at <= now
    return started and (contract.ending_before is None or now < contract.ending_before)


def provision_status(contracts: Iterable[Contract], now: datetime) -> ProvisionStatus | None:
    """Active, else Active Soon, else Recently Ended, else None; archived contracts are ignored.

    Recently Ended means ``now - 30 days <= ending_before <= now`` (both bounds inclusive).
    """
    live = [contract for contract in contracts if contract.archived_at is None]
    if any(is_contract_active(contract, now) for contract in live):
        return ProvisionStatus.ACTIVE
    if any(contract.starting_at > now for contract in live):
        return ProvisionStatus.ACTIVE_SOON
    ended_since = now - RECENTLY_ENDED_WINDOW
    for contract in live:
        if contract.ending_before is not None and ended_since <= contract.ending_before <= now:
            return ProvisionStatus.RECENTLY_ENDED
    return None


def provision_status_text(status: ProvisionStatus | None) -> str:
    """The status in words: its label, or "Not provisioned" for none."""
    return NOT_PROVISIONED if status is None else status.value

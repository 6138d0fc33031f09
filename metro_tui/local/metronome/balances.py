"""What is left of a commit or credit, and its ledger, as Metronome documents them.

Each segment of the access schedule grants its amount from `starting_at`; each FINALIZED
invoice that applied the grant draws its applied amount from the segment in force at the start
of the invoice's period; when a segment ends (`ending_before`, exclusive) what remains of it
expires. The balance is what remains of the segments in force now: expired and upcoming
segments count 0. The ledger lists these events up to now, oldest first, so its entries sum to
the balance once the remainders of ended segments have expired.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso


@dataclass(frozen=True)
class Drawdown:
    """An amount (cents, positive) a FINALIZED invoice applied from one segment of a grant."""

    grant_id: str
    segment_id: str
    invoice_id: str
    timestamp: datetime  # the start of the invoice's billing period
    amount: float


@dataclass(frozen=True)
class LedgerTypes:
    """The ledger entry types of one kind of grant, and whether its start and expiration
    entries name the segment (a postpaid commit's do not)."""

    start: str
    deduction: str
    expiration: str
    bounds_name_segment: bool = True


LEDGER_TYPES = {
    "PREPAID": LedgerTypes(
        "PREPAID_COMMIT_SEGMENT_START",
        "PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION",
        "PREPAID_COMMIT_EXPIRATION",
    ),
    "CREDIT": LedgerTypes(
        "CREDIT_SEGMENT_START", "CREDIT_AUTOMATED_INVOICE_DEDUCTION", "CREDIT_EXPIRATION"
    ),
    "POSTPAID": LedgerTypes(
        "POSTPAID_COMMIT_INITIAL_BALANCE",
        "POSTPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION",
        "POSTPAID_COMMIT_EXPIRATION",
        bounds_name_segment=False,
    ),
}


@dataclass(frozen=True)
class GrantStanding:
    """A grant's balance now and its ledger up to now (API documents)."""

    balance: float
    ledger: list[dict[str, Any]]


def grant_standing(
    grant: dict[str, Any], drawdowns: Iterable[Drawdown], now: datetime
) -> GrantStanding:
    """The balance and ledger of `grant` (a contract's commit or credit document)."""
    types = LEDGER_TYPES[grant["type"]]
    drawn: dict[str, list[Drawdown]] = defaultdict(list)
    for drawdown in drawdowns:
        drawn[drawdown.segment_id].append(drawdown)
    balance = 0.0
    timed: list[tuple[datetime, int, dict[str, Any]]] = []
    segments = grant.get("access_schedule", {}).get("schedule_items", [])
    for segment in segments:
        start = datetime.fromisoformat(segment["starting_at"])
        end = datetime.fromisoformat(segment["ending_before"])
        if start > now:
            continue
        named = {"segment_id": segment["id"]} if types.bounds_name_segment else {}
        timed.append(
            (start, 1, {"type": types.start, **_at(start), "amount": segment["amount"], **named})
        )
        remaining = segment["amount"]
        for drawdown in sorted(drawn[segment["id"]], key=lambda d: d.timestamp):
            remaining -= drawdown.amount
            timed.append(
                (
                    drawdown.timestamp,
                    2,
                    {
                        "type": types.deduction,
                        **_at(drawdown.timestamp),
                        "amount": -drawdown.amount,
                        "segment_id": segment["id"],
                        "invoice_id": drawdown.invoice_id,
                    },
                )
            )
        if end > now:
            balance += remaining
        elif remaining > 0:
            timed.append(
                (end, 0, {"type": types.expiration, **_at(end), "amount": -remaining, **named})
            )
    # At one instant a segment's expiration comes before the next one's start.
    ledger = [entry for _, _, entry in sorted(timed, key=lambda item: (item[0], item[1]))]
    return GrantStanding(balance, ledger)


def _at(moment: datetime) -> dict[str, str]:
    return {"timestamp": iso(moment)}

"""The commits and credits a recurring commit or credit creates, one per period.

Metronome creates, at the start of each period of a recurring commit (credit), a commit (credit)
on the contract that names it (`recurring_commit_id`, `recurring_credit_id`), with its own access
schedule (one segment of `commit_duration` periods, never past the recurrence's end), the
period's amount and, for a commit, the period's invoice. With a `recurrence_frequency` of its
own, the periods follow it from the recurring grant's `starting_at`; without one, they follow
the contract's usage invoices, so the first ends at the first invoice date after `starting_at`.
A first or last period cut short grants (and invoices) its share of the amount when `proration`
prorates it.

They exist only once their period has started, so they are made at read time up to the
backend's now, like subscription billing periods; their ids derive from the recurring grant's,
so every read, and the demo seed's drawdowns, name the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.metronome.periods import Cadence
from metro_tui.local.metronome.records import USD_CREDIT_TYPE, derived_id

PRORATES_FIRST = ("FIRST", "FIRST_AND_LAST")
PRORATES_LAST = ("LAST", "FIRST_AND_LAST")
# Per list of recurring grants: the list the created grants join, their type, the field naming
# their recurring grant.
RECURRING_LISTS = (
    ("recurring_commits", "commits", "PREPAID", "recurring_commit_id"),
    ("recurring_credits", "credits", "CREDIT", "recurring_credit_id"),
)
# The optional terms a created grant takes over from its recurring grant.
INHERITED = (
    "name",
    "description",
    "priority",
    "rate_type",
    "rollover_fraction",
    "applicable_product_ids",
    "applicable_product_tags",
    "custom_fields",
)


@dataclass(frozen=True)
class Period:
    """One period of a recurring grant, and the grant it creates."""

    index: int
    starting_at: datetime
    access_ending_before: datetime
    share: float  # of the full amount: below 1 for a prorated last period

    def grant_id(self, recurring_id: str) -> str:
        return derived_id(recurring_id, f"periods/{self.index}")

    def segment_id(self, recurring_id: str) -> str:
        return derived_id(recurring_id, f"periods/{self.index}/access_schedule/0")

    def invoice_item_id(self, recurring_id: str) -> str:
        return derived_id(recurring_id, f"periods/{self.index}/invoice_schedule/0")


def recurring_periods(
    recurring: Mapping[str, Any], now: datetime, usage_invoices: Cadence
) -> list[Period]:
    """The periods of `recurring` (a recurring grant, as stored or as requested) that have
    started by `now`, oldest first; `usage_invoices` is its contract's invoice cadence."""
    start = datetime.fromisoformat(recurring["starting_at"])
    end_text = recurring.get("ending_before")
    end = datetime.fromisoformat(end_text) if end_text else None
    frequency = recurring.get("recurrence_frequency")
    cadence = Cadence(frequency.upper(), start) if frequency else usage_invoices
    first = cadence.period_holding(start)
    lasts = round(recurring["commit_duration"]["value"])
    proration = recurring.get("proration", "FIRST_AND_LAST").upper()
    periods: list[Period] = []
    index = 0
    while True:
        whole_from = cadence.boundary(first + index)
        begins = max(start, whole_from)
        if begins > now or (end is not None and begins >= end):
            return periods
        following = cadence.boundary(first + index + 1)
        access_end = cadence.boundary(first + index + lasts)
        if end is not None:
            access_end = min(access_end, end)
        # The part of the whole period the grant covers, where proration counts it.
        covered_from = begins if proration in PRORATES_FIRST else whole_from
        covered_to = min(end, following) if end and proration in PRORATES_LAST else following
        share = (covered_to - covered_from) / (following - whole_from)
        periods.append(Period(index, begins, access_end, share))
        index += 1


def usage_invoice_cadence(contract: Mapping[str, Any]) -> Cadence:
    """A stored contract's usage invoice cadence, from its `usage_statement_schedule`."""
    schedule = contract["usage_statement_schedule"]
    return Cadence(schedule["frequency"], datetime.fromisoformat(schedule["billing_anchor_date"]))


def grant_amount(amount: Mapping[str, Any]) -> float:
    """An `access_amount` or `invoice_amount`: unit price times quantity (1 when unset)."""
    quantity = amount.get("quantity")
    return float(amount["unit_price"]) * (1 if quantity is None else quantity)


def with_recurring_grants(contract: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The contract with the commits and credits its recurring grants created by `now`
    after its own."""
    created: dict[str, list[dict[str, Any]]] = {}
    usage_invoices = usage_invoice_cadence(contract)
    for source, target, grant_type, link in RECURRING_LISTS:
        for recurring in contract.get(source, []):
            created.setdefault(target, []).extend(
                _created_grant(recurring, period, grant_type, link)
                for period in recurring_periods(recurring, now, usage_invoices)
            )
    if not created:
        return contract
    return {**contract, **{key: [*contract.get(key, []), *docs] for key, docs in created.items()}}


def _created_grant(
    recurring: dict[str, Any], period: Period, grant_type: str, link: str
) -> dict[str, Any]:
    recurring_id = recurring["id"]
    starts = iso(period.starting_at)
    doc: dict[str, Any] = {
        "id": period.grant_id(recurring_id),
        "type": grant_type,
        "product": recurring["product"],
        "contract": recurring["contract"],
        # When the period begins (the recurring grant's own start, for the first). No
        # `created_by`: Metronome omits it for the grants it creates.
        "created_at": starts,
        link: recurring_id,
        "access_schedule": {
            "credit_type": USD_CREDIT_TYPE,
            "schedule_items": [
                {
                    "id": period.segment_id(recurring_id),
                    "amount": grant_amount(recurring["access_amount"]) * period.share,
                    "starting_at": starts,
                    "ending_before": iso(period.access_ending_before),
                }
            ],
        },
        **{key: recurring[key] for key in INHERITED if key in recurring},
    }
    invoiced = recurring.get("invoice_amount")
    if invoiced is not None:
        quantity = invoiced["quantity"] * period.share
        doc["invoice_schedule"] = {
            "credit_type": USD_CREDIT_TYPE,
            "schedule_items": [
                {
                    "id": period.invoice_item_id(recurring_id),
                    "amount": invoiced["unit_price"] * quantity,
                    "quantity": quantity,
                    "unit_price": invoiced["unit_price"],
                    "timestamp": starts,
                }
            ],
            "do_not_invoice": False,
        }
    return doc

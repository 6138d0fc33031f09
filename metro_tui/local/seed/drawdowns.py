"""The demo invoices draw the contracts' commits and credits down, as Metronome applies them.

Each charge of an invoice is covered, as far as they reach, by the commits and credits that
apply to its product and whose access schedule is in force at the start of the invoice's
period: the lower `priority` first, then the segment that expires soonest, credits before
commits. What each one covers of a product's charges becomes a line item of its own, negative.
Only a FINALIZED invoice uses the amount up: a draft may still change and a void one was
replaced, so both show what they would apply without consuming it. A recurring commit or
credit draws through the grant it created for each period, as the backend lists them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from metro_tui.local.metronome.records import derived_id
from metro_tui.local.metronome.recurring import Period, grant_amount, recurring_periods
from metro_tui.local.metronome.store import AppliedGrant, LineItemSpec
from metro_tui.local.seed.contracts import Contract
from metro_tui.local.seed.invoices import FINALIZED, Invoice

# The contract lists holding grants, their type when the document gives none, and their rank
# among grants of equal priority and expiry (credits first).
GRANT_LISTS = (("credits", "CREDIT"), ("commits", None))


@dataclass(frozen=True)
class Segment:
    """One access schedule segment of a commit or credit."""

    grant: AppliedGrant
    name: str
    starting_at: datetime
    ending_before: datetime
    amount: float
    order: tuple[float, datetime, int, int]
    product_ids: frozenset[str] | None  # None: every product
    product_tags: frozenset[str]

    def applies_to(self, product_id: str, tags: frozenset[str]) -> bool:
        if self.product_ids is None and not self.product_tags:
            return True
        return product_id in (self.product_ids or ()) or bool(self.product_tags & tags)

    def in_force(self, moment: datetime) -> bool:
        return self.starting_at <= moment < self.ending_before


def contract_segments(contract: Contract, now: datetime) -> list[Segment]:
    """The segments of the contract's commits and credits, those its recurring ones created
    by `now` included, in the order they apply."""
    segments: list[Segment] = []
    usage_invoices = contract.usage_invoices()
    for rank, (key, fixed_type) in enumerate(GRANT_LISTS):
        for index, grant in enumerate(contract.body.get(key, [])):
            path = f"{key}/{index}"
            segments += _grant_segments(contract.id, grant, path, fixed_type, rank)
        for index, recurring in enumerate(contract.body.get(f"recurring_{key}", [])):
            recurring_id = derived_id(contract.id, f"recurring_{key}/{index}")
            periods = recurring_periods(recurring, now, usage_invoices)
            segments += _period_segments(recurring, recurring_id, periods, fixed_type, rank)
    return sorted(segments, key=lambda segment: segment.order)


def _period_segments(
    recurring: dict[str, Any],
    recurring_id: str,
    periods: list[Period],
    fixed_type: str | None,
    rank: int,
) -> list[Segment]:
    """The segment of the grant `recurring` created for each of `periods` (see `recurring`):
    a recurring commit creates prepaid commits."""
    priority = recurring.get("priority", math.inf)
    ids = recurring.get("applicable_product_ids")
    amount = grant_amount(recurring["access_amount"])
    return [
        Segment(
            grant=AppliedGrant(
                id=period.grant_id(recurring_id),
                type=fixed_type or "PREPAID",
                segment_id=period.segment_id(recurring_id),
            ),
            name=recurring.get("name", "Credit"),
            starting_at=period.starting_at,
            ending_before=period.access_ending_before,
            amount=amount * period.share,
            order=(priority, period.access_ending_before, rank, 0),
            product_ids=None if ids is None else frozenset(ids),
            product_tags=frozenset(recurring.get("applicable_product_tags", ())),
        )
        for period in periods
    ]


def _grant_segments(
    contract_id: str, grant: dict[str, Any], path: str, fixed_type: str | None, rank: int
) -> list[Segment]:
    priority = grant.get("priority", math.inf)
    ids = grant.get("applicable_product_ids")
    items = grant.get("access_schedule", {}).get("schedule_items", [])
    segments = []
    for index, item in enumerate(items):
        end = datetime.fromisoformat(item["ending_before"])
        segments.append(
            Segment(
                grant=AppliedGrant(
                    id=derived_id(contract_id, path),
                    type=fixed_type or grant["type"],
                    segment_id=derived_id(contract_id, f"{path}/access_schedule/{index}"),
                ),
                name=grant.get("name", "Credit"),
                starting_at=datetime.fromisoformat(item["starting_at"]),
                ending_before=end,
                amount=item["amount"],
                order=(priority, end, rank, index),
                product_ids=None if ids is None else frozenset(ids),
                product_tags=frozenset(grant.get("applicable_product_tags", ())),
            )
        )
    return segments


def draw_down(contract: Contract, invoices: Iterable[Invoice], now: datetime) -> list[Invoice]:
    """The contract's invoices, oldest first, each with the commits and credits it applies."""
    segments = contract_segments(contract, now)
    if not segments:
        return list(invoices)
    tags = {p.id: frozenset(p.tags) for p, _ in (*contract.usage, *contract.subscriptions)}
    remaining = {segment.grant.segment_id: segment.amount for segment in segments}
    drawn: list[Invoice] = []
    for invoice in invoices:
        available = dict(remaining)
        applied: list[LineItemSpec] = []
        for item in invoice.line_items:
            if item.product_id is None or item.total_cents <= 0:
                continue
            left = item.total_cents
            for segment in segments:
                key = segment.grant.segment_id
                if not left or not segment.in_force(invoice.start):
                    continue
                if not segment.applies_to(item.product_id, tags.get(item.product_id, frozenset())):
                    continue
                taken = min(left, math.floor(available[key]))
                if taken <= 0:
                    continue
                available[key] -= taken
                left -= taken
                applied.append(
                    LineItemSpec(segment.name, item.product_id, -taken, applied=segment.grant)
                )
        if invoice.status == FINALIZED:
            remaining = available
        drawn.append(replace(invoice, line_items=invoice.line_items + tuple(applied)))
    return drawn

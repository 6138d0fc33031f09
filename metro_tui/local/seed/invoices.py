"""The demo invoices: a monthly usage statement per contract month, FINALIZED once the month
has ended, DRAFT for the month in progress, and now and then a VOID one that was reissued."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from metro_tui.local.metronome.store import LineItemSpec
from metro_tui.local.seed.contracts import Contract
from metro_tui.local.seed.draws import (
    add_months,
    chance,
    jitter,
    month_start,
    months_between,
    new_uuid,
)

FINALIZED = "FINALIZED"
DRAFT = "DRAFT"
VOID = "VOID"
MAX_MONTHS_BACK = 18
MIN_MONTHS_BACK = 2
# Months of history shrink to INVOICE_BUDGET / customers (within 2..18) so that 100k customers
# stay near 1 GB; up to ~11k customers keep the full 18 months.
INVOICE_BUDGET = 200_000
VOID_SHARE = 0.015
DECEMBER_DIP = 0.9  # holidays: less usage


@dataclass(frozen=True)
class Invoice:
    id: str
    customer_id: str
    contract_id: str
    status: str
    start: datetime
    end: datetime
    issued_at: datetime | None
    line_items: tuple[LineItemSpec, ...]
    type: str = "USAGE"  # or SCHEDULED: a commit's purchase


def history_start(now: datetime, metronome_customers: int) -> datetime:
    """The first month invoiced: 18 months back, fewer when there are many customers."""
    months = INVOICE_BUDGET // max(1, metronome_customers)
    return add_months(month_start(now), -max(MIN_MONTHS_BACK, min(MAX_MONTHS_BACK, months)))


def contract_invoices(
    rng: random.Random,
    contract: Contract,
    now: datetime,
    first_month: datetime,
    force_void: bool = False,
) -> Iterator[Invoice]:
    """The contract's statements, oldest first; `force_void` voids the first finalized one."""
    month = max(month_start(contract.starting_at), first_month)
    while month <= now:
        following = add_months(month, 1)
        start = max(month, contract.starting_at)
        end = following
        if contract.ending_before is not None:
            end = min(end, contract.ending_before)
        if start >= end:
            return
        share = (end - start) / (following - month)
        if end > now:
            elapsed = (now - start) / (following - month)
            items = _line_items(rng, contract, month, share, elapsed)
            yield _invoice(rng, contract, DRAFT, (start, end), None, items)
            return
        if force_void or chance(rng, VOID_SHARE):
            force_void = False
            # The voided statement overcharged usage; the finalized one replaces it.
            items = _line_items(rng, contract, month, share, share * rng.uniform(1.3, 2.0))
            issued = min(end + timedelta(hours=rng.uniform(1, 6)), now)
            yield _invoice(rng, contract, VOID, (start, end), issued, items)
        items = _line_items(rng, contract, month, share, share)
        issued = min(end + timedelta(hours=rng.uniform(8, 40)), now)
        yield _invoice(rng, contract, FINALIZED, (start, end), issued, items)
        month = following


def _invoice(
    rng: random.Random,
    contract: Contract,
    status: str,
    period: tuple[datetime, datetime],
    issued_at: datetime | None,
    line_items: tuple[LineItemSpec, ...],
) -> Invoice:
    start, end = period
    return Invoice(
        new_uuid(rng), contract.customer.id, contract.id, status, start, end, issued_at, line_items
    )


def _line_items(
    rng: random.Random,
    contract: Contract,
    month: datetime,
    subscription_share: float,
    usage_share: float,
) -> tuple[LineItemSpec, ...]:
    """Usage for `usage_share` of the month (growing, noisy) and prorated subscription fees."""
    customer = contract.customer
    trend = (1 + customer.growth) ** max(0, months_between(customer.created_at, month))
    season = DECEMBER_DIP if month.month == 12 else 1.0
    prices = contract.rate_card.prices
    items: list[LineItemSpec] = []
    for product, monthly in contract.usage:
        quantity = round(
            monthly * trend * season * usage_share * jitter(rng, 0.15), product.quantity_decimals
        )
        unit_price = prices[product.key]
        if contract.discount is not None:
            in_force_at = max(month, contract.starting_at)
            unit_price = round(unit_price * contract.discount.factor(product, in_force_at), 6)
        total = round(quantity * unit_price)
        if total > 0:
            items.append(LineItemSpec(product.name, product.id, total, quantity, unit_price))
    for product, seats in contract.subscriptions:
        unit_price = prices[product.key]
        total = round(unit_price * seats * subscription_share)
        items.append(LineItemSpec(product.name, product.id, total, seats, unit_price))
    return tuple(items)

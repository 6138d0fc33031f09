"""The price list of the wizard's pricing step: each rate card price with the draft's discounts.

Nothing previews an unsaved contract, so this is computed here, the way Metronome will: with
the request's default `multiplier_override_prioritization` (LOWEST_MULTIPLIER), when several
discounts cover a product only the greatest one applies; they do not compound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from metro_tui.drafts.draft import ContractDraft
from metro_tui.drafts.fields import parse_day
from metro_tui.drafts.validation import readable_discounts
from metro_tui.models import Rate


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One product's price on the contract; prices are cents per unit, maybe fractional."""

    product_id: str
    product_name: str
    list_price: float
    effective_price: float
    entitled: bool
    """Entitled on the rate card."""
    checked: bool
    """Entitled on this contract: the user's choice, else the rate card's."""


def price_day(draft: ContractDraft, today: date) -> date:
    """The day the price list is for: the contract start, or today while it does not read."""
    try:
        return parse_day(draft.start_date)
    except ValueError:
        return today


def format_unit_price(cents: float) -> str:
    """A per-unit price in dollars, with as many decimals as it needs (at least 2, at most 8).

    Usage prices are often fractions of a cent: 0.004 cents per API call is "$0.00004".
    """
    dollars = Decimal(repr(cents)) / 100
    whole, _, fraction = f"{dollars:,.8f}".partition(".")
    return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"


def effective_prices(rates: Sequence[Rate], draft: ContractDraft, at: date) -> list[PriceLine]:
    """Every rate's list and effective price on `at`, with the draft's discounts applied."""
    discounts = [discount for discount in readable_discounts(draft) if discount.period.covers(at)]
    lines: list[PriceLine] = []
    for rate in rates:
        multipliers = [
            discount.multiplier
            for discount in discounts
            if not set(discount.tags).isdisjoint(rate.product_tags)
        ]
        lines.append(
            PriceLine(
                product_id=rate.product_id,
                product_name=rate.product_name,
                list_price=rate.price,
                effective_price=rate.price * min(multipliers, default=1.0),
                entitled=rate.entitled,
                checked=draft.entitlements.get(rate.product_id, rate.entitled),
            )
        )
    return lines

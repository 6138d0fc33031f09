"""The pricing step's price list: list price, effective price, entitlement and the user's check."""

from __future__ import annotations

from datetime import date

import pytest

from metro_tui.drafts import (
    DiscountDraft,
    PriceLine,
    effective_prices,
    format_unit_price,
    price_day,
)
from tests.drafts.catalogue import RATES, TODAY, valid_draft


def test_without_discounts_every_price_is_the_list_price() -> None:
    assert effective_prices(RATES, valid_draft(), date(2026, 12, 1)) == [
        PriceLine("p-api", "API calls", 0.25, 0.25, entitled=True, checked=True),
        PriceLine("p-storage", "Storage GB", 12.0, 12.0, entitled=True, checked=True),
        PriceLine(
            "p-support", "Premium support", 50_000.0, 50_000.0, entitled=False, checked=False
        ),
        PriceLine("p-seats", "Seats", 4_900.0, 4_900.0, entitled=True, checked=True),
        PriceLine("p-platform", "Platform fee", 120_000.0, 120_000.0, entitled=True, checked=True),
    ]


def test_discounts_apply_by_tag_within_their_dates_and_the_greatest_one_wins() -> None:
    draft = valid_draft(
        discounts=[
            DiscountDraft(percent="20", tags=["api"]),
            DiscountDraft(percent="50", tags=["compute"], start_date="2027-01-01"),
            DiscountDraft(percent="25", tags=["storage", "seats"], end_date="2026-12-31"),
            DiscountDraft(percent="half", tags=["support"]),  # still being typed: no effect
        ],
        entitlements={"p-api": False, "p-support": True},
    )
    prices = {line.product_id: line for line in effective_prices(RATES, draft, date(2026, 12, 31))}
    assert prices["p-api"] == PriceLine(
        "p-api", "API calls", 0.25, 0.2, entitled=True, checked=False
    )
    assert prices["p-storage"].effective_price == 9.0
    assert prices["p-seats"].effective_price == 3_675.0
    assert prices["p-support"] == PriceLine(
        "p-support", "Premium support", 50_000.0, 50_000.0, entitled=False, checked=True
    )
    assert prices["p-platform"].effective_price == 120_000.0

    later = {line.product_id: line for line in effective_prices(RATES, draft, date(2027, 1, 1))}
    assert later["p-api"].effective_price == 0.125  # 50% beats 20%; they do not compound
    assert later["p-storage"].effective_price == 12.0
    assert later["p-seats"].effective_price == 4_900.0


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (0.004, "$0.00004"),
        (9.6, "$0.096"),
        (9.6 * 0.85, "$0.0816"),
        (49_900, "$499.00"),
        (123_456_789.5, "$1,234,567.895"),
        (0.0, "$0.00"),
        (1e-7, "$0.00"),
    ],
)
def test_unit_prices_show_every_significant_decimal(cents: float, shown: str) -> None:
    assert format_unit_price(cents) == shown


@pytest.mark.parametrize(
    ("start_date", "day"),
    [("2027-02-01", date(2027, 2, 1)), ("2027-02-30", TODAY), ("", TODAY), ("2027-2", TODAY)],
)
def test_prices_are_for_the_contract_start_once_it_reads(start_date: str, day: date) -> None:
    assert price_day(valid_draft(start_date=start_date), TODAY) == day

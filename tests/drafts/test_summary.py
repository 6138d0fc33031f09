"""The Confirm step's read-back of a draft."""

from __future__ import annotations

import pytest

from metro_tui.drafts import (
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
    InvalidDraftError,
    draft_summary,
)
from tests.drafts.catalogue import CONTEXT, valid_draft


def test_a_minimal_draft() -> None:
    assert draft_summary(valid_draft(end_date=""), CONTEXT) == [
        ("Customer", "Acme Rockets (cus_Acme000000001)"),
        ("Metronome customer", "m-acme"),
        ("Contract name", "Acme 2027"),
        ("Period", "Dec 1, 2026 – no end"),
        ("Invoice schedule", "Monthly, sent on the 1st of the month"),
        ("Net payment terms", "30 days"),
        ("Rate card", "Standard 2026"),
        ("Subscription", "Seats: no subscription"),
        ("Subscription", "Platform fee: no subscription"),
    ]


def test_every_section() -> None:
    draft = valid_draft(
        metronome_customer_id=None,
        invoice_frequency="QUARTERLY",
        send_on="CONTRACT_START",
        net_payment_terms="1",
        discounts=[
            DiscountDraft(percent="12.50", tags=["compute", "api"]),
            DiscountDraft(
                percent="100", tags=["storage"], start_date="2027-01-01", end_date="2027-01-31"
            ),
        ],
        subscription_quantities={"p-seats": "25"},
        entitlements={"p-api": False, "p-support": True},
        credits=[
            CreditDraft(
                product_id="p-onboarding",
                start_date="2026-12-01",
                end_date="2026-12-31",
                credit_amount="1000",
                invoice_amount="800",
            ),
            CreditDraft(
                product_id="p-prepaid",
                schedule="MONTHLY",
                start_date="2027-01-01",
                credit_amount="250",
                applicable_tags=["compute"],
            ),
            CreditDraft(
                product_id="p-prepaid",
                schedule="CUSTOM",
                segments=[
                    CreditSegmentDraft(
                        start_date="2027-01-01", end_date="2027-06-30", credit_amount="10"
                    ),
                    CreditSegmentDraft(
                        start_date="2027-07-01",
                        end_date="2027-11-30",
                        credit_amount="20",
                        invoice_amount="5",
                    ),
                ],
            ),
        ],
    )
    assert draft_summary(draft, CONTEXT) == [
        ("Customer", "Acme Rockets (cus_Acme000000001)"),
        ("Metronome customer", "Created with the contract"),
        ("Contract name", "Acme 2027"),
        ("Period", "Dec 1, 2026 – Nov 30, 2027"),
        ("Invoice schedule", "Quarterly, sent on the contract start date"),
        ("Net payment terms", "1 day"),
        ("Rate card", "Standard 2026"),
        ("Discount", "12.5% off products tagged compute, api, Dec 1, 2026 – contract end"),
        ("Discount", "100% off products tagged storage, Jan 1, 2027 – Jan 31, 2027"),
        ("Subscription", "Seats × 25, billed monthly"),
        ("Subscription", "Platform fee: no subscription"),
        ("Product excluded", "API calls"),
        ("Product included", "Premium support"),
        (
            "Credit",
            "Onboarding credit: $1,000.00 of credit for $800.00, Dec 1, 2026 – Dec 31, 2026",
        ),
        (
            "Credit",
            "Prepaid usage: $250.00 of credit each month at no charge, Jan 1, 2027 – no end, "
            "for products tagged compute",
        ),
        (
            "Credit",
            "Prepaid usage (segment 1): $10.00 of credit at no charge, Jan 1, 2027 – Jun 30, 2027",
        ),
        (
            "Credit",
            "Prepaid usage (segment 2): $20.00 of credit for $5.00, Jul 1, 2027 – Nov 30, 2027",
        ),
    ]


def test_a_quantity_of_zero_is_a_subscription_and_a_blank_one_is_none() -> None:
    draft = valid_draft(subscription_quantities={"p-seats": " ", "p-platform": "0"})
    assert draft_summary(draft, CONTEXT)[-2:] == [
        ("Subscription", "Seats: no subscription"),
        ("Subscription", "Platform fee × 0, billed annually"),
    ]


def test_an_invalid_draft_has_no_summary() -> None:
    with pytest.raises(InvalidDraftError):
        draft_summary(valid_draft(rate_card_id=None), CONTEXT)

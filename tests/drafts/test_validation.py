"""Every rule of the contract wizard, with the exact message the user sees under the field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from metro_tui.drafts import (
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
    WizardStep,
    validate_step,
)
from tests.drafts.catalogue import CONTEXT, valid_draft

INVOICING, PRICING, CREDITS, CONFIRM = (
    WizardStep.INVOICING,
    WizardStep.PRICING,
    WizardStep.CREDITS,
    WizardStep.CONFIRM,
)
NOT_NEGATIVE = "The amount cannot be negative."
RATE_CARD_MISSING = "No rate card chosen: a contract needs one for its prices"


@pytest.mark.parametrize("step", list(WizardStep))
def test_a_valid_draft_passes_every_step(step: WizardStep) -> None:
    draft = valid_draft(
        discounts=[DiscountDraft(percent="10", tags=["compute"])],
        subscription_quantities={"p-seats": "2"},
        credits=[
            CreditDraft(
                product_id="p-onboarding",
                start_date="2026-12-01",
                end_date="2026-12-31",
                credit_amount="100",
            )
        ],
    )
    assert validate_step(draft, step, CONTEXT) == {}


# Step 1: invoicing


@pytest.mark.parametrize("name", ["", "   "])
def test_a_contract_needs_a_name(name: str) -> None:
    assert validate_step(valid_draft(name=name), INVOICING, CONTEXT) == {
        "name": "Enter a contract name"
    }


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a date as YYYY-MM-DD"),
        ("2026/12/01", "'2026/12/01' is not a date; enter it as YYYY-MM-DD"),
        ("1 Dec 2026", "'1 Dec 2026' is not a date; enter it as YYYY-MM-DD"),
        ("20261201", "'20261201' is not a date; enter it as YYYY-MM-DD"),
        ("2026-02-30", "2026-02-30 is not a real date"),
        ("2026-13-01", "2026-13-01 is not a real date"),
    ],
)
def test_dates_must_be_real_days_written_as_iso(typed: str, message: str) -> None:
    assert validate_step(valid_draft(start_date=typed), INVOICING, CONTEXT) == {
        "start_date": message
    }
    if typed:  # a blank end date is an open-ended contract
        assert validate_step(valid_draft(end_date=typed), INVOICING, CONTEXT) == {
            "end_date": message
        }


@pytest.mark.parametrize("end_date", ["2026-11-30", "2026-01-01"])
def test_the_end_date_cannot_be_before_the_start_date(end_date: str) -> None:
    assert validate_step(valid_draft(end_date=end_date), INVOICING, CONTEXT) == {
        "end_date": "End date cannot be before the start date"
    }


def test_the_end_date_is_the_last_day_so_ending_on_the_start_day_is_one_day() -> None:
    assert validate_step(valid_draft(end_date="2026-12-01"), INVOICING, CONTEXT) == {}


def test_a_blank_end_date_is_an_open_ended_contract() -> None:
    assert validate_step(valid_draft(end_date=""), INVOICING, CONTEXT) == {}


@pytest.mark.parametrize("typed", ["", "-1", "2.5", "thirty", "30 days"])
def test_net_payment_terms_are_a_whole_number_of_days(typed: str) -> None:
    assert validate_step(valid_draft(net_payment_terms=typed), INVOICING, CONTEXT) == {
        "net_payment_terms": "Net payment terms must be a whole number of days, 0 or more"
    }


@pytest.mark.parametrize("typed", ["0", "30", " 90 "])
def test_net_payment_terms_accept_zero_and_more(typed: str) -> None:
    assert validate_step(valid_draft(net_payment_terms=typed), INVOICING, CONTEXT) == {}


def test_step_one_reports_all_of_its_fields_at_once() -> None:
    draft = valid_draft(name="", start_date="2026-12-01", end_date="2026-02-30")
    draft.net_payment_terms = "-5"
    assert validate_step(draft, INVOICING, CONTEXT) == {
        "name": "Enter a contract name",
        "end_date": "2026-02-30 is not a real date",
        "net_payment_terms": "Net payment terms must be a whole number of days, 0 or more",
    }


# Step 2: pricing


def test_a_rate_card_must_be_chosen() -> None:
    assert validate_step(valid_draft(rate_card_id=None), PRICING, CONTEXT) == {
        "rate_card_id": RATE_CARD_MISSING
    }


def test_a_rate_card_no_longer_offered_must_be_replaced() -> None:
    draft = valid_draft(rate_card_id="rc-archived")
    assert validate_step(draft, PRICING, CONTEXT) == {
        "rate_card_id": "This rate card is no longer offered: choose another"
    }
    # Until the catalogue has loaded, nothing says the rate card is gone.
    assert validate_step(draft, PRICING, replace(CONTEXT, rate_cards=())) == {}


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        ("", "Enter the discount as a number of percent, for example 15"),
        ("ten", "Enter the discount as a number of percent, for example 15"),
        ("NaN", "Enter the discount as a number of percent, for example 15"),
        ("1e2", "Enter the discount as a number of percent, for example 15"),
        ("100.01", "Discount must be between 0 and 100 percent"),
        ("150%", "Discount must be between 0 and 100 percent"),
        ("-5", "Discount must be between 0 and 100 percent"),
    ],
)
def test_a_discount_is_a_percentage_from_0_to_100(percent: str, message: str) -> None:
    draft = valid_draft(discounts=[DiscountDraft(percent=percent, tags=["compute"])])
    assert validate_step(draft, PRICING, CONTEXT) == {"discounts.0.percent": message}


@pytest.mark.parametrize("percent", ["0", "100", "12.5", "15 %", ".5"])
def test_discount_percentages_that_are_accepted(percent: str) -> None:
    draft = valid_draft(discounts=[DiscountDraft(percent=percent, tags=["compute"])])
    assert validate_step(draft, PRICING, CONTEXT) == {}


@pytest.mark.parametrize("tags", [[], ["", "  "]])
def test_a_discount_needs_a_product_tag(tags: list[str]) -> None:
    draft = valid_draft(discounts=[DiscountDraft(percent="10", tags=tags)])
    assert validate_step(draft, PRICING, CONTEXT) == {
        "discounts.0.tags": "Choose at least one product tag for the discount"
    }


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (
            "2026-11-30",
            "",
            {
                "discounts.1.start_date": (
                    "Start date must be on or after the contract start (2026-12-01)"
                )
            },
        ),
        (
            "2027-12-01",
            "",
            {
                "discounts.1.start_date": (
                    "Start date must be on or before the contract end date (2027-11-30)"
                )
            },
        ),
        (
            "2027-01-01",
            "2027-12-01",
            {
                "discounts.1.end_date": (
                    "End date must be on or before the contract end date (2027-11-30)"
                )
            },
        ),
        (
            "2027-01-02",
            "2027-01-01",
            {"discounts.1.end_date": "End date cannot be before the start date"},
        ),
        ("2027-01-01", "2027-01-01", {}),
        ("2027-02-29", "", {"discounts.1.start_date": "2027-02-29 is not a real date"}),
        ("", "2027-02-30", {"discounts.1.end_date": "2027-02-30 is not a real date"}),
    ],
)
def test_discount_dates_must_fall_within_the_contract(
    start: str, end: str, errors: dict[str, str]
) -> None:
    draft = valid_draft(
        discounts=[
            DiscountDraft(percent="5", tags=["api"]),
            DiscountDraft(percent="10", tags=["compute"], start_date=start, end_date=end),
        ]
    )
    assert validate_step(draft, PRICING, CONTEXT) == errors


def test_discount_dates_spanning_the_whole_contract_are_accepted() -> None:
    draft = valid_draft(
        discounts=[
            DiscountDraft(
                percent="10", tags=["compute"], start_date="2026-12-01", end_date="2027-11-30"
            )
        ]
    )
    assert validate_step(draft, PRICING, CONTEXT) == {}


def test_an_open_ended_contract_allows_discounts_to_any_later_date() -> None:
    draft = valid_draft(
        end_date="",
        discounts=[
            DiscountDraft(
                percent="10", tags=["compute"], start_date="2030-01-01", end_date="2031-01-01"
            )
        ],
    )
    assert validate_step(draft, PRICING, CONTEXT) == {}


@pytest.mark.parametrize("typed", ["-1", "1.5", "two", "1e3"])
def test_a_subscription_quantity_is_a_whole_number(typed: str) -> None:
    draft = valid_draft(subscription_quantities={"p-seats": typed, "p-platform": "1"})
    assert validate_step(draft, PRICING, CONTEXT) == {
        "subscription_quantities.p-seats": "Quantity must be a whole number, 0 or more"
    }


@pytest.mark.parametrize("typed", ["25", "0", "two"])
def test_a_product_excluded_from_the_contract_takes_no_subscription(typed: str) -> None:
    draft = valid_draft(
        subscription_quantities={"p-seats": typed, "p-platform": "1"},
        entitlements={"p-seats": False},
    )
    assert validate_step(draft, PRICING, CONTEXT) == {
        "subscription_quantities.p-seats": "Seats is excluded from this contract: clear the "
        "quantity, or include it again under Prices"
    }


def test_an_excluded_product_with_no_quantity_or_included_again_is_accepted() -> None:
    excluded = valid_draft(subscription_quantities={"p-seats": ""}, entitlements={"p-seats": False})
    included = valid_draft(
        subscription_quantities={"p-seats": "25"}, entitlements={"p-seats": True}
    )
    assert validate_step(excluded, PRICING, CONTEXT) == {}
    assert validate_step(included, PRICING, CONTEXT) == {}


def test_blank_quantities_and_quantities_for_other_cards_are_not_checked() -> None:
    draft = valid_draft(subscription_quantities={"p-seats": " ", "p-elsewhere": "lots"})
    assert validate_step(draft, PRICING, CONTEXT) == {}


def test_pricing_dates_are_not_checked_against_an_unreadable_contract_period() -> None:
    draft = valid_draft(
        start_date="2026-12-xx",
        discounts=[DiscountDraft(percent="10", tags=["compute"], start_date="2020-01-01")],
    )
    assert validate_step(draft, PRICING, CONTEXT) == {}
    assert validate_step(draft, CONFIRM, CONTEXT) == {
        "start_date": "'2026-12-xx' is not a date; enter it as YYYY-MM-DD"
    }


def test_pricing_dates_are_checked_while_other_step_one_fields_are_wrong() -> None:
    draft = valid_draft(
        name="",
        discounts=[DiscountDraft(percent="10", tags=["compute"], start_date="2020-01-01")],
    )
    assert validate_step(draft, PRICING, CONTEXT) == {
        "discounts.0.start_date": "Start date must be on or after the contract start (2026-12-01)"
    }


# Step 3: credits


def credit(**changes: object) -> CreditDraft:
    fields: dict[str, object] = {
        "product_id": "p-onboarding",
        "schedule": "ONE_TIME",
        "start_date": "2026-12-01",
        "end_date": "2026-12-31",
        "invoice_amount": "",
        "credit_amount": "500",
    }
    fields.update(changes)
    return CreditDraft.model_validate(fields)


def credit_errors(*credits: CreditDraft, **draft_changes: object) -> dict[str, str]:
    return validate_step(valid_draft(credits=list(credits), **draft_changes), CREDITS, CONTEXT)


@pytest.mark.parametrize(
    ("product_id", "message"),
    [
        (None, "Choose a credit product"),
        ("", "Choose a credit product"),
        ("p-api", "The credit product must be a Fixed product"),
        ("p-seats", "The credit product must be a Fixed product"),
        ("p-unknown", "The credit product must be a Fixed product"),
    ],
)
def test_the_credit_product_must_be_a_fixed_product(product_id: str | None, message: str) -> None:
    assert credit_errors(credit(product_id=product_id)) == {"credits.0.product_id": message}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("credit_amount", "", "Enter an amount, for example 1,250.00."),
        ("credit_amount", "-10", NOT_NEGATIVE),
        ("credit_amount", "$-10", NOT_NEGATIVE),
        ("credit_amount", "ten", "'ten' is not an amount of money; for example 1,250.00."),
        ("credit_amount", "0", "Credit amount must be more than zero"),
        ("credit_amount", "$0.00", "Credit amount must be more than zero"),
        ("credit_amount", "10.001", "Use at most 2 decimal places (whole cents)."),
        ("invoice_amount", "-1", NOT_NEGATIVE),
        ("invoice_amount", "1,00", "'1,00' is not an amount of money; for example 1,250.00."),
    ],
)
def test_credit_amounts(field: str, typed: str, message: str) -> None:
    assert credit_errors(credit(**{field: typed})) == {f"credits.0.{field}": message}


def test_a_one_time_credit_needs_both_dates_and_a_monthly_one_only_a_start() -> None:
    assert credit_errors(credit(end_date="")) == {
        "credits.0.end_date": "Enter a date as YYYY-MM-DD"
    }
    assert credit_errors(credit(start_date="")) == {
        "credits.0.start_date": "Enter a date as YYYY-MM-DD"
    }
    assert credit_errors(credit(schedule="MONTHLY", end_date="")) == {}
    assert credit_errors(credit(schedule="MONTHLY", start_date="")) == {
        "credits.0.start_date": "Enter a date as YYYY-MM-DD"
    }


@pytest.mark.parametrize("schedule", ["ONE_TIME", "MONTHLY"])
def test_credit_dates_must_fall_within_the_contract(schedule: str) -> None:
    assert credit_errors(
        credit(schedule=schedule, start_date="2026-11-01", end_date="2027-12-31")
    ) == {
        "credits.0.start_date": "Start date must be on or after the contract start (2026-12-01)",
        "credits.0.end_date": "End date must be on or before the contract end date (2027-11-30)",
    }
    assert credit_errors(credit(schedule=schedule, end_date="2026-11-30")) == {
        "credits.0.end_date": "End date cannot be before the start date"
    }
    assert credit_errors(credit(schedule=schedule, end_date="2026-12-01")) == {}


def segment(start: str, end: str, credit_amount: str = "100") -> CreditSegmentDraft:
    return CreditSegmentDraft(start_date=start, end_date=end, credit_amount=credit_amount)


def test_a_custom_credit_needs_segments() -> None:
    assert credit_errors(credit(schedule="CUSTOM")) == {
        "credits.0.segments": "Add at least one segment"
    }


def test_each_segment_is_checked_like_a_one_time_credit() -> None:
    custom = credit(
        schedule="CUSTOM",
        segments=[
            segment("2026-11-01", "2026-12-31"),
            segment("2027-01-01", ""),
            CreditSegmentDraft(
                start_date="2027-03-01",
                end_date="2027-02-30",
                invoice_amount="-5",
                credit_amount="0",
            ),
        ],
    )
    assert credit_errors(custom) == {
        "credits.0.segments.0.start_date": (
            "Start date must be on or after the contract start (2026-12-01)"
        ),
        "credits.0.segments.1.end_date": "Enter a date as YYYY-MM-DD",
        "credits.0.segments.2.end_date": "2027-02-30 is not a real date",
        "credits.0.segments.2.invoice_amount": NOT_NEGATIVE,
        "credits.0.segments.2.credit_amount": "Credit amount must be more than zero",
    }


def test_custom_segments_must_not_overlap() -> None:
    custom = credit(
        schedule="CUSTOM",
        segments=[
            segment("2027-01-01", "2027-06-30"),
            segment("2026-12-01", "2026-12-31"),
            segment("2027-03-01", "2027-03-31"),  # inside segment 1
            segment("2027-06-30", "2027-07-31"),  # shares segment 1's last day
            segment("2027-08-01", "2027-11-30"),  # starts the day after segment 4 ends
        ],
    )
    assert credit_errors(custom) == {
        "credits.0.segments.2.start_date": "This segment overlaps segment 1",
        "credits.0.segments.3.start_date": "This segment overlaps segment 1",
    }


def test_errors_name_the_credit_they_belong_to() -> None:
    errors = credit_errors(credit(), credit(credit_amount="0"), credit(product_id=None))
    assert errors == {
        "credits.1.credit_amount": "Credit amount must be more than zero",
        "credits.2.product_id": "Choose a credit product",
    }


# Steps


def test_each_step_reports_only_its_own_fields_and_confirm_reports_all() -> None:
    draft = valid_draft(
        name="",
        rate_card_id=None,
        credits=[credit(credit_amount="0")],
    )
    assert validate_step(draft, INVOICING, CONTEXT) == {"name": "Enter a contract name"}
    assert validate_step(draft, PRICING, CONTEXT) == {"rate_card_id": RATE_CARD_MISSING}
    assert validate_step(draft, CREDITS, CONTEXT) == {
        "credits.0.credit_amount": "Credit amount must be more than zero"
    }
    assert validate_step(draft, CONFIRM, CONTEXT) == {
        "name": "Enter a contract name",
        "rate_card_id": RATE_CARD_MISSING,
        "credits.0.credit_amount": "Credit amount must be more than zero",
    }

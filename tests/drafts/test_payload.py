"""The wizard draft as the exact `v1.contracts.create` request, for every kind of term."""

from __future__ import annotations

from typing import Any

import pytest

from metro_tui.drafts import (
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
    InvalidDraftError,
    build_contract_params,
)
from tests.drafts.catalogue import CONTEXT, UNIQUENESS_KEY, valid_draft

USD = "2714e483-4ff1-48e4-9e25-ac732e8f24f2"

BASE: dict[str, Any] = {
    "customer_id": "m-acme",
    "name": "Acme 2027",
    "starting_at": "2026-12-01T00:00:00Z",
    "ending_before": "2027-12-01T00:00:00Z",
    "rate_card_id": "rc-standard",
    "usage_statement_schedule": {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"},
    "net_payment_terms_days": 30,
    "billing_provider_configuration": {
        "billing_provider": "stripe",
        "delivery_method": "direct_to_billing_provider",
    },
    "uniqueness_key": UNIQUENESS_KEY,
}


def test_a_minimal_draft() -> None:
    assert build_contract_params(valid_draft(), CONTEXT) == {
        "customer_id": "m-acme",
        "name": "Acme 2027",
        "starting_at": "2026-12-01T00:00:00Z",
        "ending_before": "2027-12-01T00:00:00Z",
        "rate_card_id": "rc-standard",
        "usage_statement_schedule": {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"},
        "net_payment_terms_days": 30,
        "billing_provider_configuration": {
            "billing_provider": "stripe",
            "delivery_method": "direct_to_billing_provider",
        },
        "uniqueness_key": UNIQUENESS_KEY,
    }


@pytest.mark.parametrize("frequency", ["MONTHLY", "QUARTERLY", "ANNUAL", "WEEKLY"])
@pytest.mark.parametrize("send_on", ["FIRST_OF_MONTH", "CONTRACT_START"])
def test_every_invoice_schedule(frequency: str, send_on: str) -> None:
    draft = valid_draft(invoice_frequency=frequency, send_on=send_on)
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "usage_statement_schedule": {"frequency": frequency, "day": send_on},
    }


def test_an_open_ended_contract_has_no_ending_before() -> None:
    expected = {key: value for key, value in BASE.items() if key != "ending_before"}
    assert build_contract_params(valid_draft(end_date=""), CONTEXT) == expected


def test_a_one_day_contract_ends_before_the_next_midnight() -> None:
    draft = valid_draft(end_date="2026-12-01")
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "ending_before": "2026-12-02T00:00:00Z",
    }


def test_typed_text_is_trimmed_and_net_terms_read_as_days() -> None:
    draft = valid_draft(name="  Acme 2027 ", start_date=" 2026-12-01", net_payment_terms=" 45 ")
    assert build_contract_params(draft, CONTEXT) == {**BASE, "net_payment_terms_days": 45}


def test_discounts_become_multiplier_overrides() -> None:
    draft = valid_draft(
        discounts=[
            DiscountDraft(percent="15", tags=["compute", " api ", "compute"]),
            DiscountDraft(
                percent="7%", tags=["storage"], start_date="2027-01-01", end_date="2027-03-31"
            ),
            DiscountDraft(percent="12.5", tags=["support"], start_date="2027-06-01"),
        ]
    )
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "overrides": [
            {
                "type": "MULTIPLIER",
                "multiplier": 0.85,
                "applicable_product_tags": ["compute", "api"],
                "starting_at": "2026-12-01T00:00:00Z",
            },
            {
                "type": "MULTIPLIER",
                "multiplier": 0.93,
                "applicable_product_tags": ["storage"],
                "starting_at": "2027-01-01T00:00:00Z",
                "ending_before": "2027-04-01T00:00:00Z",
            },
            {
                "type": "MULTIPLIER",
                "multiplier": 0.875,
                "applicable_product_tags": ["support"],
                "starting_at": "2027-06-01T00:00:00Z",
            },
        ],
    }


def test_unchecked_and_checked_products_become_entitlement_overrides() -> None:
    draft = valid_draft(
        entitlements={
            "p-api": False,  # entitled on the card, unchecked: excluded
            "p-storage": True,  # same as the card: nothing to send
            "p-support": True,  # not entitled on the card, checked: included
            "p-from-another-card": False,  # not on this rate card: ignored
        }
    )
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "overrides": [
            {"product_id": "p-api", "starting_at": "2026-12-01T00:00:00Z", "entitled": False},
            {"product_id": "p-support", "starting_at": "2026-12-01T00:00:00Z", "entitled": True},
        ],
    }


def test_discounts_come_before_entitlement_overrides() -> None:
    draft = valid_draft(
        discounts=[DiscountDraft(percent="100", tags=["storage"])],
        entitlements={"p-storage": False},
    )
    assert build_contract_params(draft, CONTEXT)["overrides"] == [
        {
            "type": "MULTIPLIER",
            "multiplier": 0.0,
            "applicable_product_tags": ["storage"],
            "starting_at": "2026-12-01T00:00:00Z",
        },
        {"product_id": "p-storage", "starting_at": "2026-12-01T00:00:00Z", "entitled": False},
    ]


def test_subscription_quantities_become_subscriptions() -> None:
    draft = valid_draft(
        subscription_quantities={
            "p-platform": "1",
            "p-seats": " 25 ",
            "p-from-another-card": "3",
        }
    )
    proration = {"is_prorated": True, "invoice_behavior": "BILL_IMMEDIATELY"}
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "subscriptions": [
            {
                "subscription_rate": {"product_id": "p-seats", "billing_frequency": "MONTHLY"},
                "initial_quantity": 25,
                "collection_schedule": "ADVANCE",
                "proration": proration,
                "starting_at": "2026-12-01T00:00:00Z",
            },
            {
                "subscription_rate": {"product_id": "p-platform", "billing_frequency": "ANNUAL"},
                "initial_quantity": 1,
                "collection_schedule": "ADVANCE",
                "proration": proration,
                "starting_at": "2026-12-01T00:00:00Z",
            },
        ],
    }


def test_a_blank_quantity_adds_no_subscription_and_zero_does() -> None:
    draft = valid_draft(subscription_quantities={"p-seats": "", "p-platform": "0"})
    assert build_contract_params(draft, CONTEXT)["subscriptions"] == [
        {
            "subscription_rate": {"product_id": "p-platform", "billing_frequency": "ANNUAL"},
            "initial_quantity": 0,
            "collection_schedule": "ADVANCE",
            "proration": {"is_prorated": True, "invoice_behavior": "BILL_IMMEDIATELY"},
            "starting_at": "2026-12-01T00:00:00Z",
        }
    ]


def one_time(invoice_amount: str, **changes: object) -> CreditDraft:
    fields: dict[str, object] = {
        "product_id": "p-onboarding",
        "schedule": "ONE_TIME",
        "start_date": "2026-12-01",
        "end_date": "2027-02-28",
        "invoice_amount": invoice_amount,
        "credit_amount": "$1,000",
    }
    fields.update(changes)
    return CreditDraft.model_validate(fields)


def test_a_one_time_credit_without_an_invoice_amount_is_a_credit() -> None:
    draft = valid_draft(credits=[one_time("")])
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "credits": [
            {
                "product_id": "p-onboarding",
                "access_schedule": {
                    "credit_type_id": USD,
                    "schedule_items": [
                        {
                            "amount": 100_000,
                            "starting_at": "2026-12-01T00:00:00Z",
                            "ending_before": "2027-03-01T00:00:00Z",
                        }
                    ],
                },
            }
        ],
    }


def test_a_zero_invoice_amount_is_no_invoice() -> None:
    with_zero = build_contract_params(valid_draft(credits=[one_time("0.00")]), CONTEXT)
    assert with_zero == build_contract_params(valid_draft(credits=[one_time("")]), CONTEXT)


def test_a_one_time_credit_with_an_invoice_amount_is_a_prepaid_commit() -> None:
    draft = valid_draft(credits=[one_time("800.50", applicable_tags=["compute", "storage"])])
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "commits": [
            {
                "type": "PREPAID",
                "product_id": "p-onboarding",
                "applicable_product_tags": ["compute", "storage"],
                "access_schedule": {
                    "credit_type_id": USD,
                    "schedule_items": [
                        {
                            "amount": 100_000,
                            "starting_at": "2026-12-01T00:00:00Z",
                            "ending_before": "2027-03-01T00:00:00Z",
                        }
                    ],
                },
                "invoice_schedule": {
                    "schedule_items": [{"timestamp": "2026-12-01T00:00:00Z", "amount": 80_050}]
                },
            }
        ],
    }


def monthly(invoice_amount: str, end_date: str = "") -> CreditDraft:
    return CreditDraft(
        product_id="p-prepaid",
        schedule="MONTHLY",
        start_date="2027-01-01",
        end_date=end_date,
        invoice_amount=invoice_amount,
        credit_amount="250",
    )


def test_a_monthly_credit_without_an_invoice_amount_is_a_recurring_credit() -> None:
    draft = valid_draft(credits=[monthly("", end_date="2027-06-30")])
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "recurring_credits": [
            {
                "product_id": "p-prepaid",
                "access_amount": {"credit_type_id": USD, "unit_price": 25_000, "quantity": 1},
                "commit_duration": {"value": 1, "unit": "PERIODS"},
                "recurrence_frequency": "MONTHLY",
                "priority": 1,
                "starting_at": "2027-01-01T00:00:00Z",
                "ending_before": "2027-07-01T00:00:00Z",
            }
        ],
    }


def test_a_monthly_credit_with_an_invoice_amount_is_a_recurring_commit() -> None:
    draft = valid_draft(end_date="", credits=[monthly("200")])
    expected = {key: value for key, value in BASE.items() if key != "ending_before"}
    assert build_contract_params(draft, CONTEXT) == {
        **expected,
        "recurring_commits": [
            {
                "product_id": "p-prepaid",
                "access_amount": {"credit_type_id": USD, "unit_price": 25_000, "quantity": 1},
                "invoice_amount": {"credit_type_id": USD, "unit_price": 20_000, "quantity": 1},
                "commit_duration": {"value": 1, "unit": "PERIODS"},
                "recurrence_frequency": "MONTHLY",
                "priority": 1,
                "starting_at": "2027-01-01T00:00:00Z",
            }
        ],
    }


def custom(*invoice_amounts: str) -> CreditDraft:
    starts_and_ends = [("2026-12-01", "2027-03-31"), ("2027-04-01", "2027-11-30")]
    return CreditDraft(
        product_id="p-prepaid",
        schedule="CUSTOM",
        applicable_tags=["compute"],
        segments=[
            CreditSegmentDraft(
                start_date=start, end_date=end, invoice_amount=invoice, credit_amount=credit
            )
            for (start, end), invoice, credit in zip(
                starts_and_ends, invoice_amounts, ["5,000", "7,500.25"], strict=True
            )
        ],
    )


CUSTOM_ACCESS = {
    "credit_type_id": USD,
    "schedule_items": [
        {
            "amount": 500_000,
            "starting_at": "2026-12-01T00:00:00Z",
            "ending_before": "2027-04-01T00:00:00Z",
        },
        {
            "amount": 750_025,
            "starting_at": "2027-04-01T00:00:00Z",
            "ending_before": "2027-12-01T00:00:00Z",
        },
    ],
}


def test_a_custom_credit_without_invoice_amounts_is_a_credit_with_several_segments() -> None:
    draft = valid_draft(credits=[custom("", "")])
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "credits": [
            {
                "product_id": "p-prepaid",
                "applicable_product_tags": ["compute"],
                "access_schedule": CUSTOM_ACCESS,
            }
        ],
    }


def test_a_custom_credit_with_invoice_amounts_is_a_commit_invoiced_per_segment() -> None:
    draft = valid_draft(credits=[custom("4,000", "")])
    assert build_contract_params(draft, CONTEXT) == {
        **BASE,
        "commits": [
            {
                "type": "PREPAID",
                "product_id": "p-prepaid",
                "applicable_product_tags": ["compute"],
                "access_schedule": CUSTOM_ACCESS,
                "invoice_schedule": {
                    "schedule_items": [{"timestamp": "2026-12-01T00:00:00Z", "amount": 400_000}]
                },
            }
        ],
    }
    both_invoiced = build_contract_params(valid_draft(credits=[custom("4,000", "6000")]), CONTEXT)
    assert both_invoiced["commits"][0]["invoice_schedule"] == {
        "schedule_items": [
            {"timestamp": "2026-12-01T00:00:00Z", "amount": 400_000},
            {"timestamp": "2027-04-01T00:00:00Z", "amount": 600_000},
        ]
    }


def test_every_section_together_and_recurring_priority_follows_the_wizard_order() -> None:
    draft = valid_draft(
        invoice_frequency="QUARTERLY",
        send_on="CONTRACT_START",
        net_payment_terms="15",
        discounts=[DiscountDraft(percent="10", tags=["storage"])],
        entitlements={"p-support": True},
        subscription_quantities={"p-seats": "3"},
        credits=[one_time(""), monthly("", end_date="2027-06-30"), monthly("100")],
    )
    params = build_contract_params(draft, CONTEXT)
    assert sorted(params) == sorted(
        [*BASE, "overrides", "subscriptions", "credits", "recurring_credits", "recurring_commits"]
    )
    assert params["usage_statement_schedule"] == {"frequency": "QUARTERLY", "day": "CONTRACT_START"}
    assert params["net_payment_terms_days"] == 15
    assert [item["priority"] for item in params["recurring_credits"]] == [2]
    assert [item["priority"] for item in params["recurring_commits"]] == [3]
    assert len(params["overrides"]) == 2


def test_an_invalid_draft_is_refused_with_its_messages() -> None:
    with pytest.raises(InvalidDraftError) as raised:
        build_contract_params(valid_draft(name=" ", net_payment_terms="thirty"), CONTEXT)
    assert raised.value.errors == {
        "name": "Enter a contract name",
        "net_payment_terms": "Net payment terms must be a whole number of days, 0 or more",
    }
    assert isinstance(raised.value, ValueError)


def test_a_customer_not_yet_in_metronome_has_no_request_yet() -> None:
    with pytest.raises(ValueError, match="no Metronome customer yet"):
        build_contract_params(valid_draft(metronome_customer_id=None), CONTEXT)

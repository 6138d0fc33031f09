"""Contract terms, balances and invoices in words: the exact sentences the page shows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from metro_tui.page_records import (
    AccessSegment,
    ContractTerms,
    Discount,
    Entitlement,
    Frequency,
    Grant,
    SubscriptionTerm,
)
from metro_tui.services.contract_terms import (
    balance_text,
    discount_text,
    entitlement_texts,
    grant_terms_text,
    grant_title,
    invoice_schedule_text,
    payment_terms_text,
    percent_text,
    periods_text,
    quantity_text,
    span_text,
    status_word,
    subscription_text,
)

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def _terms(anchor: datetime, net: int | None = 30) -> ContractTerms:
    return ContractTerms(
        contract_id="c",
        invoice_frequency="MONTHLY",
        billing_anchor=anchor,
        starting_at=anchor,
        net_payment_terms_days=net,
    )


def test_a_discount_on_tags_names_them_sorted_and_its_last_day() -> None:
    discount = Discount(
        multiplier=0.85,
        product_tags=("compute", "ai"),
        starting_at=_at(2026, 11, 23),
        ending_before=_at(2027, 6, 1),
    )
    assert discount_text(discount) == "15% off tags ai, compute · Nov 23, 2026 – May 31, 2027"


def test_a_discount_on_one_product_without_end() -> None:
    discount = Discount(multiplier=0.875, product_name="Seats", starting_at=_at(2026, 1, 5))
    assert discount_text(discount) == "12.5% off Seats · Jan 5, 2026 – no end"


def test_a_discount_on_everything() -> None:
    discount = Discount(multiplier=0.9, starting_at=_at(2026, 1, 1), ending_before=_at(2026, 2, 1))
    assert discount_text(discount) == "10% off every product · Jan 1, 2026 – Jan 31, 2026"


@pytest.mark.parametrize(("share", "text"), [(0.15, "15%"), (0.125, "12.5%"), (1.0, "100%")])
def test_percentages_have_no_needless_decimals(share: float, text: str) -> None:
    assert percent_text(share) == text


def test_a_subscription() -> None:
    seats = SubscriptionTerm(product_name="Seats", quantity=10, billing_frequency="MONTHLY")
    assert subscription_text(seats) == "Seats × 10, billed monthly"
    fee = SubscriptionTerm(product_name="Platform fee", quantity=1, billing_frequency="ANNUAL")
    assert subscription_text(fee) == "Platform fee × 1, billed annually"


def test_the_invoice_schedule_says_when_invoices_are_sent() -> None:
    assert invoice_schedule_text(_terms(_at(2026, 3, 1))) == (
        "Monthly, sent on the 1st of the month"
    )
    assert invoice_schedule_text(_terms(_at(2026, 3, 17))) == (
        "Monthly, sent on the contract start day"
    )


def test_payment_terms() -> None:
    assert payment_terms_text(_terms(_at(2026, 3, 1), 30)) == "Net 30 days"
    assert payment_terms_text(_terms(_at(2026, 3, 1), 1)) == "Net 1 day"
    assert payment_terms_text(_terms(_at(2026, 3, 1), None)) == "Not set"


def test_entitlement_overrides_read_as_added_and_excluded_products() -> None:
    entitlements = (
        Entitlement(product_name="GPU hours", entitled=False),
        Entitlement(product_name="Seats", entitled=True),
        Entitlement(product_name="Storage GB-month", entitled=False),
    )
    assert entitlement_texts(entitlements) == [
        ("Added", "Seats"),
        ("Excluded", "GPU hours, Storage GB-month"),
    ]
    assert entitlement_texts(()) == []


def _commit(balance: int | None, start: datetime, end: datetime) -> Grant:
    return Grant(
        id="g",
        kind="commit",
        commit_type="PREPAID",
        name="Annual prepaid commitment",
        product_name="Prepaid credits",
        access=(AccessSegment(amount_cents=4_800_000, starting_at=start, ending_before=end),),
        paid_cents=4_320_000,
        balance_cents=balance,
    )


def test_a_prepaid_commit_names_what_is_granted_and_what_the_customer_pays() -> None:
    commit = _commit(123_456, _at(2026, 1, 5), _at(2029, 1, 5))
    assert (
        grant_title(commit) == "Annual prepaid commitment (Prepaid commit, product Prepaid credits)"
    )
    assert grant_terms_text(commit) == (
        "$48,000.00 granted · customer pays $43,200.00 · Jan 5, 2026 – Jan 4, 2029"
    )


def test_a_free_credit_and_a_recurring_one() -> None:
    credit = Grant(
        id="c",
        kind="credit",
        product_name="Onboarding credit",
        access=(AccessSegment(amount_cents=20_100, starting_at=_at(2025, 5, 1)),),
    )
    assert grant_title(credit) == "Onboarding credit (Credit, product Onboarding credit)"
    assert grant_terms_text(credit) == "$201.00 granted · free · May 1, 2025 – no end"
    monthly = credit.model_copy(update={"recurrence": "MONTHLY"})
    assert grant_title(monthly) == "Onboarding credit (Recurring credit, product Onboarding credit)"
    assert grant_terms_text(monthly) == "$201.00 granted monthly · free · May 1, 2025 – no end"


def test_balances_in_each_state() -> None:
    running = (_at(2026, 1, 5), _at(2029, 1, 5))
    assert balance_text(_commit(123_456, *running), NOW) == "$1,234.56 of $48,000.00 left"
    assert balance_text(_commit(0, *running), NOW) == "Used up"
    assert balance_text(_commit(0, _at(2025, 5, 1), _at(2025, 6, 1)), NOW) == "Expired"
    assert balance_text(_commit(0, _at(2027, 1, 1), _at(2028, 1, 1)), NOW) == "Starts Jan 1, 2027"
    assert balance_text(_commit(None, *running), NOW) == "Not given by Metronome"


@pytest.mark.parametrize(
    ("status", "word"), [("FINALIZED", "Finalized"), ("DRAFT", "Draft"), ("VOID", "Void")]
)
def test_invoice_statuses_as_words(status: str, word: str) -> None:
    assert status_word(status) == word


@pytest.mark.parametrize(
    ("quantity", "text"), [(None, "—"), (10.0, "10"), (1136708.0, "1,136,708"), (2580.1, "2,580.1")]
)
def test_quantities(quantity: float | None, text: str) -> None:
    assert quantity_text(quantity) == text


def test_a_recurring_commit_says_what_each_period_grants_costs_and_lasts() -> None:
    commit = _commit(None, _at(2026, 1, 5), _at(2027, 1, 5)).model_copy(
        update={"recurrence": "QUARTERLY", "lasts_periods": 1, "paid_cents": 45_000}
    )
    assert grant_title(commit) == (
        "Annual prepaid commitment (Recurring prepaid commit, product Prepaid credits)"
    )
    assert grant_terms_text(commit) == (
        "$48,000.00 granted quarterly · customer pays $450.00 quarterly · each grant lasts "
        "1 quarter · Jan 5, 2026 – Jan 4, 2027"
    )


@pytest.mark.parametrize(
    ("count", "frequency", "text"),
    [(1, "MONTHLY", "1 month"), (3, "MONTHLY", "3 months"), (2, "ANNUAL", "2 years")],
)
def test_periods(count: int, frequency: Frequency, text: str) -> None:
    assert periods_text(count, frequency) == text


def _monthly(balance: int | None, period_granted: int | None, end: datetime | None) -> Grant:
    """A $500.00 monthly recurring commit from Jan 5, 2026, with the balance and amount of the
    grant it created for the current period."""
    return Grant(
        id="r",
        kind="commit",
        name="Monthly commitment",
        product_name="Prepaid credits",
        access=(
            AccessSegment(amount_cents=50_000, starting_at=_at(2026, 1, 5), ending_before=end),
        ),
        recurrence="MONTHLY",
        lasts_periods=1,
        balance_cents=balance,
        period_granted_cents=period_granted,
    )


def test_a_recurring_grant_says_what_is_left_of_this_periods_grant() -> None:
    assert balance_text(_monthly(40_000, 50_000, None), NOW) == (
        "$400.00 left of this period's $500.00"
    )
    assert balance_text(_monthly(0, 50_000, None), NOW) == "$0.00 left of this period's $500.00"
    # A last period cut short by the recurrence's end grants its share.
    assert balance_text(_monthly(12_345, 16_129, _at(2026, 12, 10)), NOW) == (
        "$123.45 left of this period's $161.29"
    )


def test_a_recurring_grant_out_of_its_dates_or_without_a_balance() -> None:
    assert balance_text(_monthly(None, None, _at(2026, 6, 5)), NOW) == "Expired"
    upcoming = _monthly(None, None, None).model_copy(
        update={"access": (AccessSegment(amount_cents=50_000, starting_at=_at(2027, 2, 1)),)}
    )
    assert balance_text(upcoming, NOW) == "Starts Feb 1, 2027"
    assert balance_text(_monthly(None, None, None), NOW) == "Not given by Metronome"


@pytest.mark.parametrize(
    ("starting_at", "ending_before", "text"),
    [
        (
            datetime(2026, 11, 23, tzinfo=UTC),
            datetime(2027, 6, 1, tzinfo=UTC),
            "Nov 23, 2026 – May 31, 2027",
        ),
        (datetime(2025, 7, 1, tzinfo=UTC), datetime(2025, 7, 2, tzinfo=UTC), "Jul 1, 2025"),
        (
            datetime(2025, 7, 1, tzinfo=UTC),
            datetime(2025, 7, 3, tzinfo=UTC),
            "Jul 1, 2025 – Jul 2, 2025",
        ),
        (datetime(2025, 7, 1, tzinfo=UTC), None, "Jul 1, 2025 – no end"),
    ],
)
def test_a_span_of_one_day_is_that_day(
    starting_at: datetime, ending_before: datetime | None, text: str
) -> None:
    """A commit purchase is invoiced for the single day it is billed."""
    assert span_text(starting_at, ending_before) == text

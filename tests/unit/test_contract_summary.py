"""Contract display: name fallbacks, period text, "(Active)", products included."""

from __future__ import annotations

from datetime import UTC, datetime

from metro_tui.models import Contract, Rate
from metro_tui.services.contracts import ContractSummary, rate_schedule_instant, summarize_contract

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
JAN_5 = datetime(2026, 1, 5, tzinfo=UTC)
NEXT_JAN_1 = datetime(2027, 1, 1, tzinfo=UTC)


def contract(
    name: str | None = "Enterprise 2026",
    rate_card_name: str | None = "Standard",
    starting_at: datetime = JAN_5,
    ending_before: datetime | None = NEXT_JAN_1,
    archived: bool = False,
) -> Contract:
    return Contract(
        id="c1",
        customer_id="m1",
        name=name,
        rate_card_id="rc1",
        rate_card_name=rate_card_name,
        starting_at=starting_at,
        ending_before=ending_before,
        archived_at=JAN_5 if archived else None,
        product_names=("API calls", "Seats", "API calls"),
    )


def rate(name: str, entitled: bool) -> Rate:
    return Rate(
        product_id=f"p-{name}",
        product_name=name,
        price=12.5,
        entitled=entitled,
        starting_at=JAN_5,
    )


def test_an_active_contract_with_an_end() -> None:
    assert summarize_contract(contract(), NOW) == ContractSummary(
        contract_id="c1",
        display_name="Enterprise 2026",
        period_text="Jan 5, 2026 – Dec 31, 2026",
        is_active=True,
        products=("API calls", "Seats"),
    )
    assert summarize_contract(contract(), NOW).period_label == (
        "Jan 5, 2026 – Dec 31, 2026 (Active)"
    )


def test_an_open_ended_contract() -> None:
    summary = summarize_contract(contract(ending_before=None), NOW)
    assert summary.period_label == "Jan 5, 2026 – no end (Active)"


def test_a_contract_ending_exactly_now_is_not_active() -> None:
    midnight = datetime(2026, 11, 24, tzinfo=UTC)
    summary = summarize_contract(contract(ending_before=midnight), midnight)
    assert not summary.is_active
    assert summary.active_suffix == ""
    assert summary.period_label == "Jan 5, 2026 – Nov 23, 2026"


def test_an_end_later_in_a_day_shows_that_day() -> None:
    summary = summarize_contract(contract(ending_before=datetime(2027, 1, 1, 12, tzinfo=UTC)), NOW)
    assert summary.period_text == "Jan 5, 2026 – Jan 1, 2027"


def test_a_future_contract_is_not_active() -> None:
    starts = datetime(2026, 12, 1, tzinfo=UTC)
    summary = summarize_contract(contract(starting_at=starts, ending_before=None), NOW)
    assert summary.period_label == "Dec 1, 2026 – no end"


def test_an_archived_contract_is_not_active() -> None:
    assert not summarize_contract(contract(archived=True), NOW).is_active


def test_the_name_falls_back_to_the_rate_card_then_untitled() -> None:
    assert summarize_contract(contract(name=None), NOW).display_name == "Standard"
    assert summarize_contract(contract(name="  "), NOW).display_name == "Standard"
    untitled = contract(name=None, rate_card_name=None)
    assert summarize_contract(untitled, NOW).display_name == "Untitled contract"


def test_products_come_from_the_entitled_rates_of_the_schedule_when_given() -> None:
    schedule = [
        rate("Storage", entitled=True),
        rate("Support", entitled=False),
        rate("API calls", entitled=True),
        rate("Storage", entitled=True),
    ]
    summary = summarize_contract(contract(), NOW, rate_schedule=schedule)
    assert summary.products == ("Storage", "API calls")
    assert summarize_contract(contract(), NOW, rate_schedule=[]).products == ()


def test_rate_schedule_is_read_inside_the_contracts_period() -> None:
    """Outside its period a contract's schedule is empty: read it on its first or last day."""
    running = contract()
    assert rate_schedule_instant(running, NOW) == NOW
    not_started = contract(starting_at=NEXT_JAN_1, ending_before=None)
    assert rate_schedule_instant(not_started, NOW) == NEXT_JAN_1
    ended = contract(ending_before=datetime(2026, 6, 1, tzinfo=UTC))
    assert rate_schedule_instant(ended, NOW) == datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC)
    ended_at_now = contract(ending_before=NOW)
    assert rate_schedule_instant(ended_at_now, NOW) == datetime(
        2026, 11, 24, 11, 59, 59, tzinfo=UTC
    )

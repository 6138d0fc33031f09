"""Usage events: the 34-day duplicate rule and the zero-filled 30-day series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from metro_tui.models import UsageDay, UsageEvent
from metro_tui.services.usage import flag_duplicates, usage_series, usage_series_from_events

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
DAYS_34 = timedelta(days=34)


def event(transaction_id: str, received_at: datetime) -> UsageEvent:
    return UsageEvent(transaction_id=transaction_id, received_at=received_at)


def test_a_repeat_exactly_34_days_later_is_a_duplicate() -> None:
    assert flag_duplicates([event("a", T0), event("a", T0 + DAYS_34)]) == [False, True]


def test_a_repeat_34_days_and_1_second_later_is_accepted() -> None:
    later = T0 + DAYS_34 + timedelta(seconds=1)
    assert flag_duplicates([event("a", T0), event("a", later)]) == [False, False]


def test_a_duplicate_does_not_extend_the_window() -> None:
    events = [
        event("a", T0),
        event("a", T0 + timedelta(days=20)),
        event("a", T0 + timedelta(days=40)),
        event("a", T0 + timedelta(days=41)),
    ]
    assert flag_duplicates(events) == [False, True, False, True]


def test_events_are_judged_in_order_of_receipt_and_flags_follow_input_order() -> None:
    events = [event("a", T0 + timedelta(days=1)), event("b", T0), event("a", T0)]
    assert flag_duplicates(events) == [True, False, False]


def test_same_instant_repeats_keep_the_first_given() -> None:
    assert flag_duplicates([event("a", T0), event("a", T0), event("b", T0)]) == [
        False,
        True,
        False,
    ]


def test_the_series_is_30_days_ending_today_zero_filled() -> None:
    series = usage_series(
        [
            UsageDay(day=date(2026, 11, 24), total=10, duplicates=2),
            UsageDay(day=date(2026, 10, 26), total=5, duplicates=1),
            UsageDay(day=date(2026, 10, 25), total=99, duplicates=9),  # before the window
            UsageDay(day=date(2026, 11, 25), total=98, duplicates=8),  # after today
            UsageDay(day=date(2026, 11, 1), total=3, duplicates=0),
            UsageDay(day=date(2026, 11, 1), total=4, duplicates=1),  # same day: added
        ],
        NOW,
    )
    assert len(series) == 30
    assert series[0] == UsageDay(day=date(2026, 10, 26), total=5, duplicates=1)
    assert series[-1] == UsageDay(day=date(2026, 11, 24), total=10, duplicates=2)
    assert [entry.day for entry in series] == [
        date(2026, 10, 26) + timedelta(days=offset) for offset in range(30)
    ]
    non_zero = {entry.day: (entry.total, entry.duplicates) for entry in series if entry.total}
    assert non_zero == {
        date(2026, 10, 26): (5, 1),
        date(2026, 11, 1): (7, 1),
        date(2026, 11, 24): (10, 2),
    }


def test_the_series_length_follows_days() -> None:
    assert usage_series([], NOW, days=2) == [
        UsageDay(day=date(2026, 11, 23), total=0, duplicates=0),
        UsageDay(day=date(2026, 11, 24), total=0, duplicates=0),
    ]


def test_the_series_from_raw_events_uses_events_before_the_window_for_duplicates() -> None:
    events = [
        event("a", datetime(2026, 10, 20, 9, 0, tzinfo=UTC)),  # outside the window, accepted
        event("a", datetime(2026, 11, 20, 9, 0, tzinfo=UTC)),  # 31 days later: duplicate
        event("b", datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)),
        event("b", datetime(2026, 11, 24, 0, 0, tzinfo=UTC)),  # duplicate
        event("c", datetime(2026, 11, 24, 11, 0, tzinfo=UTC)),
    ]
    series = usage_series_from_events(events, NOW)
    assert len(series) == 30
    non_zero = {entry.day: (entry.total, entry.duplicates) for entry in series if entry.total}
    assert non_zero == {date(2026, 11, 20): (2, 1), date(2026, 11, 24): (2, 1)}

"""What "now" is: noon UTC of a pinned day, else the wall clock in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from metro_tui.services.clock import now_for


def test_a_pinned_day_is_noon_utc() -> None:
    assert now_for(date(2026, 11, 24)) == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_a_pinned_day_wins_over_the_wall_clock() -> None:
    wall = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    assert now_for(date(2026, 11, 24), wall) == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_the_wall_clock_is_converted_to_utc() -> None:
    wall = datetime(2026, 11, 24, 20, 30, tzinfo=timezone(timedelta(hours=-5)))
    now = now_for(None, wall)
    assert now == datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert now.tzinfo is UTC


def test_a_naive_wall_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        now_for(None, datetime(2026, 11, 24, 12, 0))


def test_without_a_pinned_day_it_is_the_real_time_in_utc() -> None:
    before = datetime.now(UTC)
    now = now_for(None)
    assert before <= now <= datetime.now(UTC)
    assert now.tzinfo is UTC

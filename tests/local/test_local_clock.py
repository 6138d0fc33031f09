"""The local backend's timestamps: RFC 3339 in UTC, to the second, with a `Z`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from metro_tui.local.clock import iso


def test_a_moment_is_written_in_utc_to_the_second() -> None:
    moment = datetime(2026, 11, 24, 20, 30, 5, 999_999, tzinfo=timezone(timedelta(hours=-5)))

    assert iso(moment) == "2026-11-25T01:30:05.000Z"


def test_every_moment_is_written_as_strftime_writes_it() -> None:
    moments = [
        datetime(year, 1, 1, tzinfo=UTC) + timedelta(seconds=step * 3_607, microseconds=step)
        for year in (1, 999, 1000, 2026, 9998)
        for step in range(0, 10_000, 97)
    ]

    assert [iso(moment) for moment in moments] == [
        moment.strftime("%Y-%m-%dT%H:%M:%S.000Z") for moment in moments
    ]

"""The periods of a recurring commit or credit: on its own frequency from its start, or on the
usage statements' cadence when it has none, first and last cut short as `proration` says."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from metro_tui.local.metronome.periods import Cadence
from metro_tui.local.metronome.recurring import recurring_periods

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
MONTHLY_FROM_THE_FIRST = Cadence("MONTHLY", datetime(2026, 1, 1, tzinfo=UTC))


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T00:00:00+00:00")


def recurring(start: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    grant = {"starting_at": f"{start}T00:00:00+00:00", "commit_duration": {"value": 1}}
    if end is not None:
        grant["ending_before"] = f"{end}T00:00:00+00:00"
    return grant | fields


def periods(grant: dict[str, Any], cadence: Cadence = MONTHLY_FROM_THE_FIRST) -> list[Any]:
    return [
        (p.index, p.starting_at, p.access_ending_before, p.share)
        for p in recurring_periods(grant, NOW, cadence)
    ]


def test_without_a_frequency_of_its_own_a_grant_follows_the_usage_statements() -> None:
    # Sep 16 to Nov 21: Sep 16 - Oct 1 is 15 of September's 30 days; Nov 1 - 21, 20 of 30.
    assert periods(recurring("2026-09-16", "2026-11-21")) == [
        (0, at("2026-09-16"), at("2026-10-01"), 0.5),
        (1, at("2026-10-01"), at("2026-11-01"), 1.0),
        (2, at("2026-11-01"), at("2026-11-21"), 20 / 30),
    ]


@pytest.mark.parametrize(
    ("proration", "first_share", "last_share"),
    [
        ("NONE", 1.0, 1.0),
        ("FIRST", 0.5, 1.0),
        ("LAST", 1.0, 20 / 30),
        ("first_and_last", 0.5, 20 / 30),
    ],
)
def test_proration_says_which_cut_short_period_grants_its_share(
    proration: str, first_share: float, last_share: float
) -> None:
    shares = [p[3] for p in periods(recurring("2026-09-16", "2026-11-21", proration=proration))]
    assert shares == [first_share, 1.0, last_share]


def test_a_frequency_of_its_own_counts_periods_from_the_grants_start() -> None:
    grant = recurring("2026-09-16", None, recurrence_frequency="MONTHLY")
    assert periods(grant) == [
        (0, at("2026-09-16"), at("2026-10-16"), 1.0),
        (1, at("2026-10-16"), at("2026-11-16"), 1.0),
        (2, at("2026-11-16"), at("2026-12-16"), 1.0),
    ]


def test_the_usage_statements_cadence_is_counted_from_its_anchor_before_it_too() -> None:
    # Quarterly statements anchored on Feb 15: a grant from Jan 1 first runs to Feb 15
    # (45 of the 92 days from Nov 15), each grant usable for two quarters.
    quarterly = Cadence("QUARTERLY", at("2026-02-15"))
    grant = recurring("2026-01-01", "2026-06-01") | {"commit_duration": {"value": 2}}
    assert periods(grant, quarterly) == [
        (0, at("2026-01-01"), at("2026-05-15"), 45 / 92),
        (1, at("2026-02-15"), at("2026-06-01"), 1.0),
        (2, at("2026-05-15"), at("2026-06-01"), 17 / 92),
    ]

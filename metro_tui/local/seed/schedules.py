"""When the demo customers' contracts run: dates chosen so that every provision status occurs
relative to today, including customers with several contracts and customers with none."""

from __future__ import annotations

import functools
import random
from collections import Counter
from datetime import datetime
from itertools import accumulate

from metro_tui.local.seed.draws import add_months, days, midnight, month_start, months_between

ACTIVE = "Active"
ACTIVE_SOON = "Active Soon"
RECENTLY_ENDED = "Recently Ended"
NO_STATUS = ""

# How often each contract history occurs, and the provision status it gives today.
SCENARIO_WEIGHTS = {
    "active_open": 34,
    "active_ending": 16,
    "renewed": 12,
    "renewal_pending": 5,
    "active_soon": 6,
    "recently_ended": 7,
    "long_ended": 7,
    "no_contract": 8,
}
SCENARIO_STATUS = {
    "active_open": ACTIVE,
    "active_ending": ACTIVE,
    "renewed": ACTIVE,
    "renewal_pending": ACTIVE,
    "active_soon": ACTIVE_SOON,
    "recently_ended": RECENTLY_ENDED,
    "long_ended": NO_STATUS,
    "no_contract": NO_STATUS,
}
# Whole months of history (first contract month to this month) each history needs.
MIN_HISTORY_MONTHS = {"recently_ended": 2, "renewed": 4, "long_ended": 5}

Span = tuple[datetime, datetime | None]


def first_contract_start(customer_created: datetime, now: datetime) -> datetime:
    """Contracts start on the 1st after sign-up; this month's sign-ups start the same day."""
    start = add_months(month_start(customer_created), 1)
    return start if start <= now else midnight(customer_created)


def assign_scenarios(rng: random.Random, first_starts: list[datetime], now: datetime) -> list[str]:
    """One contract history per customer, every history present whenever some customer is
    old enough for it (the oldest customers are pressed into service for rare ones)."""
    this_month = month_start(now)
    history = [months_between(first, this_month) for first in first_starts]
    scenarios = [_draw(rng, months) for months in history]
    counts = Counter(scenarios)
    for scenario in SCENARIO_WEIGHTS:
        if counts[scenario]:
            continue
        for index, months in enumerate(history):
            current = scenarios[index]
            if _eligible(scenario, months) and counts[current] > 1:
                scenarios[index] = scenario
                counts[current] -= 1
                counts[scenario] += 1
                break
    return scenarios


def _eligible(scenario: str, history_months: int) -> bool:
    return history_months >= MIN_HISTORY_MONTHS.get(scenario, 0)


def _draw(rng: random.Random, history_months: int) -> str:
    names, cumulative = _open_scenarios(min(history_months, max(MIN_HISTORY_MONTHS.values())))
    return rng.choices(names, cum_weights=cumulative)[0]


@functools.cache
def _open_scenarios(history_months: int) -> tuple[list[str], list[int]]:
    """The histories a customer this old can have, with their cumulative weights."""
    names = [name for name in SCENARIO_WEIGHTS if _eligible(name, history_months)]
    return names, list(accumulate(SCENARIO_WEIGHTS[name] for name in names))


def scenario_spans(rng: random.Random, scenario: str, first: datetime, now: datetime) -> list[Span]:
    """The (starting_at, ending_before) of each contract of a history, oldest first."""
    this_month = month_start(now)
    history = months_between(first, this_month)
    if scenario == "active_open":
        return [(first, None)]
    if scenario == "active_ending":
        return [(first, add_months(this_month, rng.randint(2, 14)))]
    if scenario == "recently_ended":
        # Ends at a midnight 1-27 days ago: within 30 days of now whatever day today is.
        return [(first, midnight(now) - days(rng.randint(1, 27)))]
    if scenario == "long_ended":
        return [_long_ended(rng, first, history, this_month)]
    if scenario == "renewed":
        switch = add_months(first, rng.randint(3, history - 1))
        renewal_end = add_months(switch, 12)
        return [(first, switch), (switch, renewal_end if renewal_end > now else None)]
    if scenario == "renewal_pending":
        renewal = add_months(this_month, 1)
        return [(first, renewal), (renewal, add_months(renewal, 12))]
    if scenario == "active_soon":
        start = add_months(this_month, rng.randint(1, 2))
        upcoming: Span = (start, add_months(start, 12))
        if history >= MIN_HISTORY_MONTHS["long_ended"] and rng.random() < 0.4:
            return [_long_ended(rng, first, history, this_month), upcoming]
        return [upcoming]
    return []


def _long_ended(rng: random.Random, first: datetime, history: int, this_month: datetime) -> Span:
    """At least three months long, ended on a 1st at least a month before this month."""
    return (first, add_months(this_month, -rng.randint(2, history - 3)))


def provision_status(spans: list[Span], now: datetime) -> str:
    """The status the app must show for these contracts (DESIGN.md's definition)."""
    if any(start <= now and (end is None or now < end) for start, end in spans):
        return ACTIVE
    if any(start > now for start, _ in spans):
        return ACTIVE_SOON
    if any(end is not None and now - days(30) <= end <= now for _, end in spans):
        return RECENTLY_ENDED
    return NO_STATUS

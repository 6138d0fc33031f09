"""Deterministic randomness and calendar arithmetic for the demo dataset.

Every seeding stage draws from its own stream derived from the seed, so a change to how one
stage draws never shifts the ids, names or amounts another stage produces.
"""

from __future__ import annotations

import functools
import math
import random
import string
import uuid
from datetime import UTC, datetime, timedelta

from metro_tui.local.clock import iso

ALPHANUMERIC = string.ascii_letters + string.digits


def stream(seed: int, name: str) -> random.Random:
    """The random stream of one seeding stage (string seeds hash stably across runs)."""
    return random.Random(f"metro-tui/{seed}/{name}")


def new_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from `rng`, so ids repeat for the same seed."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(ALPHANUMERIC, k=length))


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def jitter(rng: random.Random, spread: float) -> float:
    """A factor within 1 ± spread."""
    return 1.0 + rng.uniform(-spread, spread)


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """A value between low and high, spread evenly across orders of magnitude."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def month_start(moment: datetime) -> datetime:
    return midnight(moment).replace(day=1)


def add_months(first_of_month: datetime, months: int) -> datetime:
    """The first of the month `months` after (or before, if negative) `first_of_month`."""
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return first_of_month.replace(year=index // 12, month=index % 12 + 1, day=1)


def months_between(earlier: datetime, later: datetime) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def days(count: float) -> timedelta:
    return timedelta(days=count)


@functools.lru_cache(maxsize=4096)
def timestamp(moment: datetime) -> str:
    """`clock.iso`, memoised: the same month boundaries are written many thousands of times."""
    return iso(moment)

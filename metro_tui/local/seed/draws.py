"""Deterministic randomness and calendar arithmetic for the demo dataset.

Every seeding stage draws from its own stream derived from the seed, so a change to how one
stage draws never shifts the ids, names or amounts another stage produces.
"""

from __future__ import annotations

import functools
import math
import random
import string
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from metro_tui.local.clock import iso

ALPHANUMERIC = string.ascii_letters + string.digits
# The version and variant bits `uuid.UUID(int=..., version=4)` clears, and what it sets them to.
UUID4_MASK = (0xF000 << 64) | (0xC000 << 48)
UUID4_BITS = (4 << 76) | (0x8000 << 48)


def stream(seed: int, name: str) -> random.Random:
    """The random stream of one seeding stage (string seeds hash stably across runs)."""
    return random.Random(f"metro-tui/{seed}/{name}")


def new_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from `rng`, so ids repeat for the same seed.

    `str(uuid.UUID(int=rng.getrandbits(128), version=4))` without the object: every usage
    event draws one.
    """
    value = rng.getrandbits(128) & ~UUID4_MASK | UUID4_BITS
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


Bits = Callable[[int], int]  # a stream's `getrandbits`


def below(bits: Bits, n: int) -> int:
    """A draw in [0, n), drawn exactly as `random.Random._randbelow` draws it, so `choice` and
    `randint` give the same values: the seed makes several per event, and the methods' checks
    and calls cost more than the draws."""
    size = n.bit_length()
    drawn = bits(size)
    while drawn >= n:
        drawn = bits(size)
    return drawn


def pick(rng: random.Random, options: tuple[str, ...]) -> str:
    """`rng.choice(options)`; every option is plain ASCII, written in JSON as it is."""
    return options[below(rng.getrandbits, len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint(low, high)`."""
    return low + below(rng.getrandbits, high - low + 1)


def uniform(rng: random.Random, low: float, high: float) -> float:
    """`rng.uniform(low, high)`."""
    return low + (high - low) * rng.random()


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

"""The demo usage events: 35 days of ingest traffic from customers with active contracts, with
a weekday rhythm, gentle growth and a few per cent of re-sent (duplicate) transaction ids."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from metro_tui.local.clock import iso
from metro_tui.local.seed.contracts import Contract
from metro_tui.local.seed.draws import (
    UUID4_BITS,
    UUID4_MASK,
    between,
    days,
    jitter,
    midnight,
    pick,
    uniform,
)

HISTORY_DAYS = 35
EVENTS_PER_CUSTOMER_DAY = 15
DAILY_CAP = 2_000  # keeps seeding fast at large sizes
WEEKEND_FACTOR = 0.55
DAILY_GROWTH = 0.004
DUPLICATE_SHARE = (0.02, 0.04)
RESEND_WINDOW_HOURS = 48  # clients retry within hours, well inside Metronome's 34 days
# Share of a day's traffic per UTC hour: quiet nights, busy European and American afternoons.
HOURLY_PROFILE = (2, 2, 2, 2, 2, 3, 4, 5, 6, 7, 8, 8, 8, 9, 10, 10, 10, 9, 8, 7, 6, 4, 3, 2)

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
# An event as the usage writer takes it: (transaction_id, customer_id, event_type, timestamp,
# properties as the JSON `dumps` writes).
Event = tuple[str, str, str, str, str]


# Each event type's properties: drawn in the order the old dict literals listed them, written
# as `dumps` writes them (keys sorted).
def _api_request(r: random.Random) -> str:
    endpoint = pick(r, ("/v1/search", "/v1/orders", "/v1/users", "/v1/reports"))
    return f'{{"endpoint":"{endpoint}","status":200}}'


def _compute_usage(r: random.Random) -> str:
    instance = pick(r, ("c6i.large", "m6i.xlarge", "r6i.2xlarge"))
    hours = round(uniform(r, 0.1, 4.0), 2)
    return f'{{"cpu_hours":{hours!r},"instance_type":"{instance}"}}'


def _gpu_usage(r: random.Random) -> str:
    gpu = pick(r, ("a100", "h100", "l4"))
    hours = round(uniform(r, 0.05, 2.0), 2)
    return f'{{"gpu":"{gpu}","gpu_hours":{hours!r}}}'


def _inference(r: random.Random) -> str:
    model = pick(r, ("large-2", "small-3", "embed-1"))
    return f'{{"model":"{model}","tokens":{between(r, 200, 8_000)}}}'


def _storage_snapshot(r: random.Random) -> str:
    region = pick(r, REGIONS)
    return f'{{"gb":{round(uniform(r, 1, 500), 1)!r},"region":"{region}"}}'


def _data_transfer(r: random.Random) -> str:
    region = pick(r, REGIONS)
    return f'{{"bytes":{between(r, 10_000, 50_000_000)},"region":"{region}"}}'


def _vector_query(r: random.Random) -> str:
    index = pick(r, ("docs", "products", "support"))
    return f'{{"index":"{index}","results":{between(r, 5, 100)}}}'


EVENT_PROPERTIES: dict[str, Callable[[random.Random], str]] = {
    "api_request": _api_request,
    "compute_usage": _compute_usage,
    "gpu_usage": _gpu_usage,
    "inference": _inference,
    "storage_snapshot": _storage_snapshot,
    "data_transfer": _data_transfer,
    "vector_query": _vector_query,
}


@dataclass(frozen=True)
class IngestBatch:
    """Events received together in one hour; `resent` of them repeat earlier transactions."""

    received_at: datetime
    events: list[Event]
    resent: int


def daily_volume(active_customers: int) -> int:
    return min(DAILY_CAP, EVENTS_PER_CUSTOMER_DAY * active_customers)


def usage_window_start(now: datetime) -> datetime:
    """Midnight of the first day with usage events."""
    return midnight(now) - days(HISTORY_DAYS - 1)


def usage_batches(
    rng: random.Random, contracts: list[Contract], now: datetime
) -> Iterator[IngestBatch]:
    """Hourly ingest batches, oldest first, for every hour of the window that has ended."""
    window_start = usage_window_start(now)
    emitters = [
        c
        for c in contracts
        if c.usage
        and c.starting_at <= now
        and (c.ending_before is None or c.ending_before > window_start)
    ]
    emitters_by_id = {c.id: _emitter(c) for c in emitters}
    recent: deque[list[Event]] = deque(maxlen=RESEND_WINDOW_HOURS)
    hour_weight = sum(HOURLY_PROFILE)
    for day_index in range(HISTORY_DAYS):
        day = window_start + days(day_index)
        active = [c for c in emitters if c.is_active(day + timedelta(hours=12))]
        if not active:
            continue
        weekday = WEEKEND_FACTOR if day.weekday() >= 5 else 1.0
        volume = daily_volume(len(active)) * weekday * (1 + DAILY_GROWTH * day_index)
        volume *= jitter(rng, 0.1)
        cumulative = list(accumulate(c.customer.scale**0.5 for c in active))
        # Drawn from in place of `active`: the same length and weights, so the same draws.
        emitting = [emitters_by_id[c.id] for c in active]
        for hour, share in enumerate(HOURLY_PROFILE):
            hour_start = day + timedelta(hours=hour)
            received_at = hour_start + timedelta(minutes=59, seconds=59)
            if received_at > now:
                return
            count = round(volume * share / hour_weight)
            senders = rng.choices(emitting, cum_weights=cumulative, k=count)
            hour_text = iso(hour_start)[:14]  # "YYYY-MM-DDTHH:", shared by the hour's events
            events = _hour_events(rng, senders, hour_text)
            resent = _resends(rng, recent, len(events))
            recent.append(events)
            yield IngestBatch(received_at, events + resent, len(resent))


# An emitting contract as its events need it: its customer's id, and the event type and
# properties of each product it uses, in the contract's order.
Emitter = tuple[str, tuple[tuple[str, Callable[[random.Random], str]], ...]]
# A second of the hour, 0 to 3,590, as the end of a timestamp ("MM:SS.000Z", as `clock.iso`
# writes it): every event's timestamp is its hour's text and one of these.
SECOND_TEXT = tuple(f"{m:02d}:{s:02d}.000Z" for m, s in (divmod(n, 60) for n in range(3_591)))


def _emitter(contract: Contract) -> Emitter:
    return contract.customer.id, tuple(
        (product.event_type, EVENT_PROPERTIES[product.event_type])
        for product, _quantity in contract.usage
    )


def _hour_events(rng: random.Random, senders: list[Emitter], hour_text: str) -> list[Event]:
    """An event from each sender at a random second of the hour `hour_text`
    ("YYYY-MM-DDTHH:") names.

    The draws of `below`, `between` and `new_uuid`, written out in one loop: this is the
    seed's innermost loop (~43,000 events at 150 customers), where each call and attribute
    look-up is a measurable share of the seed.
    """
    bits = rng.getrandbits
    keep, uuid_bits = ~UUID4_MASK, UUID4_BITS
    seconds = SECOND_TEXT
    events: list[Event] = []
    append = events.append
    for customer_id, products in senders:
        count = len(products)
        size = count.bit_length()
        index = bits(size)
        while index >= count:
            index = bits(size)
        event_type, properties = products[index]
        second = bits(12)  # `between(rng, 0, 3_590)`: 3,591 values take 12 bits
        while second >= 3_591:
            second = bits(12)
        text = f"{bits(128) & keep | uuid_bits:032x}"  # `new_uuid(rng)`
        append(
            (
                f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}",
                customer_id,
                event_type,
                hour_text + seconds[second],
                properties(rng),
            )
        )
    return events


def _resends(rng: random.Random, recent: deque[list[Event]], fresh: int) -> list[Event]:
    """Events from earlier hours sent again unchanged, as a client retrying a timeout does."""
    earlier = [hour for hour in recent if hour]
    if not earlier:
        return []
    count = round(fresh * rng.uniform(*DUPLICATE_SHARE))
    return [rng.choice(rng.choice(earlier)) for _ in range(count)]

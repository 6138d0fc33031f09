"""Who the demo customers are: Stripe customers, their Metronome counterparts and the links
between them, including the broken links the troubleshooting views must find."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from metro_tui.local.seed.draws import chance, days, log_uniform, new_uuid, token
from metro_tui.local.seed.names import Company, CompanyNamer

# Customer history spans ~20 months; the square-ish skew makes recent sign-ups more common.
HISTORY_DAYS = 600
AGE_SKEW = 1.3
LINKED_SHARE = 0.8
BROKEN_SHARE = 0.025  # of each planted kind of broken link
SEGMENTS = ("startup", "growth", "enterprise")
SEGMENT_SHARES = (0.5, 0.85, 1.0)  # cumulative
# Usage size of a customer relative to the catalog's "typical customer", per segment.
SEGMENT_SCALE = {"startup": (0.15, 2.0), "growth": (1.0, 8.0), "enterprise": (6.0, 60.0)}

LINKED = "linked"  # active Stripe configuration naming an existing Stripe customer
ARCHIVED = "archived"  # its only Stripe configuration is archived: not linked
DANGLING = "dangling"  # Stripe configuration names a Stripe customer that does not exist
UNCONFIGURED = "unconfigured"  # no billing configuration at all


@dataclass(frozen=True)
class StripeCustomer:
    id: str
    company: Company
    segment: str
    created: datetime


@dataclass(frozen=True)
class MetronomeCustomer:
    id: str
    name: str
    segment: str
    created_at: datetime
    link: str
    scale: float  # usage size relative to the typical customer
    growth: float  # month-over-month usage growth
    stripe_customer_id: str | None = None  # named by its Stripe configuration
    collection_method: str = "charge_automatically"
    config_id: str | None = None
    config_archived_at: datetime | None = None

    @property
    def ingest_aliases(self) -> list[str]:
        """A customer made for a Stripe customer holds its id as an ingest alias, as
        metro-tui's "create in Metronome" sets it; a dangling link's Stripe customer never
        existed here, so that customer holds none."""
        made_for_stripe = self.link in (LINKED, ARCHIVED)
        return [self.stripe_customer_id] if made_for_stripe and self.stripe_customer_id else []


@dataclass(frozen=True)
class Customers:
    stripe: list[StripeCustomer]  # oldest first
    metronome: list[MetronomeCustomer]  # oldest first
    unlinked_stripe_ids: list[str]  # no Metronome customer, or only an archived link


def broken_count(customers: int) -> int:
    """How many of each planted broken link: at least one, ~2.5% at larger sizes."""
    return max(1, round(customers * BROKEN_SHARE))


def plan_customers(rng: random.Random, count: int, now: datetime) -> Customers:
    namer = CompanyNamer(rng)
    stripe = [
        _stripe_customer(rng, namer.company(), created)
        for created in _creation_times(rng, count, now)
    ]
    broken = broken_count(count)
    order = list(range(count))
    rng.shuffle(order)
    archived = set(order[:broken])
    linked = set(order[broken : broken + round(count * LINKED_SHARE)])
    metronome = [
        _counterpart(rng, customer, LINKED if index in linked else ARCHIVED, now)
        for index, customer in enumerate(stripe)
        if index in linked or index in archived
    ]
    known = {customer.id for customer in stripe}
    for link in (DANGLING, UNCONFIGURED):
        for created in _creation_times(rng, broken, now):
            company = namer.company()
            metronome.append(_orphan(rng, company.name, created, link, known))
    metronome.sort(key=lambda customer: customer.created_at)
    unlinked = [c.id for i, c in enumerate(stripe) if i not in linked]
    return Customers(stripe, metronome, unlinked)


def _creation_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """Stratified over the history so every size gets its share of recent sign-ups."""
    ages = [HISTORY_DAYS * ((i + rng.random()) / count) ** AGE_SKEW for i in range(count)]
    return sorted(now - days(age) - timedelta(seconds=rng.randint(60, 3600)) for age in ages)


def _stripe_customer(rng: random.Random, company: Company, created: datetime) -> StripeCustomer:
    segment = rng.choices(SEGMENTS, cum_weights=SEGMENT_SHARES)[0]
    return StripeCustomer("cus_" + token(rng, 14), company, segment, created)


def _counterpart(
    rng: random.Random, stripe: StripeCustomer, link: str, now: datetime
) -> MetronomeCustomer:
    """The Metronome customer created for a Stripe customer, minutes to days later."""
    created_at = min(
        stripe.created + timedelta(seconds=log_uniform(rng, 120, 3 * 86_400)),
        now - timedelta(seconds=30),
    )
    archived_at = None
    if link == ARCHIVED:
        archived_at = created_at + (now - created_at) * rng.uniform(0.2, 0.8)
    return MetronomeCustomer(
        id=new_uuid(rng),
        name=stripe.company.name,
        segment=stripe.segment,
        created_at=created_at,
        link=link,
        scale=_scale(rng, stripe.segment),
        growth=rng.uniform(-0.01, 0.06),
        stripe_customer_id=stripe.id,
        collection_method=_collection_method(rng),
        config_id=new_uuid(rng),
        config_archived_at=archived_at,
    )


def _orphan(
    rng: random.Random, name: str, created_at: datetime, link: str, known_stripe_ids: set[str]
) -> MetronomeCustomer:
    """A Metronome customer with no Stripe customer behind it (dangling or unconfigured)."""
    segment = rng.choices(SEGMENTS, cum_weights=SEGMENT_SHARES)[0]
    customer = MetronomeCustomer(
        id=new_uuid(rng),
        name=name,
        segment=segment,
        created_at=created_at,
        link=link,
        scale=_scale(rng, segment),
        growth=rng.uniform(-0.01, 0.06),
    )
    if link != DANGLING:
        return customer
    missing = "cus_" + token(rng, 14)
    while missing in known_stripe_ids:
        missing = "cus_" + token(rng, 14)
    return replace(
        customer,
        stripe_customer_id=missing,
        collection_method=_collection_method(rng),
        config_id=new_uuid(rng),
    )


def _scale(rng: random.Random, segment: str) -> float:
    low, high = SEGMENT_SCALE[segment]
    return log_uniform(rng, low, high)


def _collection_method(rng: random.Random) -> str:
    return "send_invoice" if chance(rng, 0.15) else "charge_automatically"

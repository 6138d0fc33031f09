"""The demo contracts: create-contract bodies as the wizard would send them (rate card,
subscriptions, discounts, entitlement overrides, prepaid commits and credits)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from metro_tui.local.metronome.periods import Cadence, billing_anchor
from metro_tui.local.seed.catalog import Catalog, Product, RateCard
from metro_tui.local.seed.customers import ARCHIVED, UNCONFIGURED, MetronomeCustomer
from metro_tui.local.seed.draws import add_months, chance, days, new_uuid, timestamp
from metro_tui.local.seed.schedules import Span

USD_CREDIT_TYPE_ID = "2714e483-4ff1-48e4-9e25-ac732e8f24f2"
# Rate cards per segment, with cumulative weights.
CARD_BY_SEGMENT = {
    "startup": (("startup", "payg"), (0.6, 1.0)),
    "growth": (("standard", "payg"), (0.85, 1.0)),
    "enterprise": (("enterprise", "standard"), (0.8, 1.0)),
}
SEATS_BY_SEGMENT = {"startup": (2, 10), "growth": (5, 40), "enterprise": (25, 400)}
PAYMENT_TERMS = {"startup": (0, 15), "growth": (15, 30, 30), "enterprise": (30, 45, 60)}
DISCOUNT_TAGS = (("compute",), ("storage",), ("ai",), ("network",), ("compute", "ai"))
NAME_TEMPLATES = (
    "{card} agreement",
    "{card} {year}",
    "Annual plan FY{yy}",
    "Pilot",
    "Master services agreement",
    "Usage agreement {year}",
)
UNNAMED_SHARE = 0.2


@dataclass(frozen=True)
class Discount:
    """A MULTIPLIER override on the products carrying any of `tags`."""

    multiplier: float
    tags: tuple[str, ...]
    starting_at: datetime
    ending_before: datetime | None

    def factor(self, product: Product, moment: datetime) -> float:
        in_force = self.starting_at <= moment and (
            self.ending_before is None or moment < self.ending_before
        )
        return self.multiplier if in_force and set(self.tags) & set(product.tags) else 1.0


@dataclass(frozen=True)
class Contract:
    id: str
    customer: MetronomeCustomer
    rate_card: RateCard
    starting_at: datetime
    ending_before: datetime | None
    created_at: datetime
    usage: tuple[tuple[Product, float], ...]  # entitled products used, monthly quantity
    subscriptions: tuple[tuple[Product, int], ...]  # product, quantity
    discount: Discount | None
    body: dict[str, Any]

    def usage_invoices(self) -> Cadence:
        """The cadence of the contract's usage invoices, which a recurring grant without a
        frequency of its own follows."""
        schedule = self.body["usage_statement_schedule"]
        anchor = billing_anchor(self.starting_at, schedule.get("day", "FIRST_OF_MONTH"), None)
        return Cadence(schedule["frequency"], anchor)

    def is_active(self, moment: datetime) -> bool:
        return self.starting_at <= moment and (
            self.ending_before is None or moment < self.ending_before
        )


@dataclass(frozen=True)
class CustomerProfile:
    """What a customer buys: its rate card and its monthly usage of each product it uses."""

    rate_card: RateCard
    usage: dict[str, float]  # product key -> monthly quantity at sign-up


def customer_profile(
    rng: random.Random, catalog: Catalog, customer: MetronomeCustomer
) -> CustomerProfile:
    keys, cumulative = CARD_BY_SEGMENT[customer.segment]
    card = catalog.rate_cards[rng.choices(keys, cum_weights=cumulative)[0]]
    products = [p for p in catalog.usage_products() if p.key in card.prices]
    used = rng.sample(products, rng.randint(2, 5))
    if chance(rng, 0.8) and products[0] not in used:
        used.append(products[0])  # most customers call the API, which every card prices
    usage = {p.key: p.monthly_quantity * customer.scale * rng.uniform(0.3, 1.6) for p in used}
    return CustomerProfile(card, usage)


def plan_contract(
    rng: random.Random,
    catalog: Catalog,
    customer: MetronomeCustomer,
    profile: CustomerProfile,
    span: Span,
    now: datetime,
) -> Contract:
    start, end = span
    card = profile.rate_card
    on_card = [p for p in catalog.usage_products() if p.key in card.prices]
    excluded = _excluded_product(rng, on_card, profile)
    usage = tuple(
        (p, profile.usage[p.key]) for p in on_card if p.key in profile.usage and p is not excluded
    )
    subscriptions = _subscriptions(rng, catalog, card, customer.segment)
    discount = _discount(rng, start, end)
    body: dict[str, Any] = {
        "customer_id": customer.id,
        "rate_card_id": card.id,
        "starting_at": timestamp(start),
        "usage_statement_schedule": {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"},
        "net_payment_terms_days": rng.choice(PAYMENT_TERMS[customer.segment]),
    }
    if not chance(rng, UNNAMED_SHARE):
        body["name"] = _name(rng, card, start)
    if end is not None:
        body["ending_before"] = timestamp(end)
    if customer.link not in (ARCHIVED, UNCONFIGURED):
        body["billing_provider_configuration"] = {
            "billing_provider": "stripe",
            "delivery_method": "direct_to_billing_provider",
        }
    overrides = _overrides(discount, excluded, start)
    if overrides:
        body["overrides"] = overrides
    if subscriptions:
        body["subscriptions"] = [_subscription(p, quantity, start) for p, quantity in subscriptions]
    monthly_value = sum(quantity * card.prices[p.key] for p, quantity in usage)
    _add_commitments(rng, catalog, body, customer.segment, monthly_value, span)
    created_at = _created_at(rng, customer.created_at, start, now)
    return Contract(
        new_uuid(rng), customer, card, start, end, created_at, usage, subscriptions, discount, body
    )


def _excluded_product(
    rng: random.Random, on_card: list[Product], profile: CustomerProfile
) -> Product | None:
    """Now and then a product the customer does not use is switched off on its contract."""
    unused = [p for p in on_card if p.key not in profile.usage]
    return rng.choice(unused) if unused and chance(rng, 0.12) else None


def _subscriptions(
    rng: random.Random, catalog: Catalog, card: RateCard, segment: str
) -> tuple[tuple[Product, int], ...]:
    chosen: list[tuple[Product, int]] = []
    if "platform_fee" in card.prices and chance(rng, 0.9):
        chosen.append((catalog.products["platform_fee"], 1))
    if "seats" in card.prices and chance(rng, 0.5):
        chosen.append((catalog.products["seats"], rng.randint(*SEATS_BY_SEGMENT[segment])))
    support_share = {"enterprise": 0.5, "growth": 0.1}.get(segment, 0.0)
    if "support" in card.prices and chance(rng, support_share):
        chosen.append((catalog.products["support"], 1))
    return tuple(chosen)


def _subscription(product: Product, quantity: int, start: datetime) -> dict[str, Any]:
    return {
        "subscription_rate": {"product_id": product.id, "billing_frequency": "MONTHLY"},
        "initial_quantity": quantity,
        "collection_schedule": "ADVANCE",
        "proration": {"is_prorated": True, "invoice_behavior": "BILL_IMMEDIATELY"},
        "starting_at": timestamp(start),
    }


def _discount(rng: random.Random, start: datetime, end: datetime | None) -> Discount | None:
    if not chance(rng, 0.3):
        return None
    until = add_months(start, 6) if chance(rng, 0.5) else None
    if end is not None and until is not None and until >= end:
        until = None
    multiplier = rng.choice((0.8, 0.85, 0.9, 0.95))
    return Discount(multiplier, rng.choice(DISCOUNT_TAGS), start, until)


def _overrides(
    discount: Discount | None, excluded: Product | None, start: datetime
) -> list[dict[str, Any]]:
    overrides: list[dict[str, Any]] = []
    if discount is not None:
        override: dict[str, Any] = {
            "type": "MULTIPLIER",
            "multiplier": discount.multiplier,
            "applicable_product_tags": list(discount.tags),
            "starting_at": timestamp(start),
        }
        if discount.ending_before is not None:
            override["ending_before"] = timestamp(discount.ending_before)
        overrides.append(override)
    if excluded is not None:
        overrides.append(
            {"product_id": excluded.id, "starting_at": timestamp(start), "entitled": False}
        )
    return overrides


def _add_commitments(
    rng: random.Random,
    catalog: Catalog,
    body: dict[str, Any],
    segment: str,
    monthly_value: float,
    span: Span,
) -> None:
    """Prepaid commits for bigger customers, onboarding or promotional credits for some."""
    start, end = span
    year_later = add_months(start, 12)
    access_end = year_later if end is None else min(end, year_later)
    commit_share = {"startup": 0.05, "growth": 0.2, "enterprise": 0.35}[segment]
    if chance(rng, commit_share) and monthly_value >= 10_000:
        amount = round(monthly_value * 12 * rng.uniform(0.5, 0.9), -3)
        body["commits"] = [
            {
                "type": "PREPAID",
                "product_id": catalog.products["prepaid"].id,
                "name": "Annual prepaid commitment",
                "access_schedule": _access(amount, start, access_end),
                "invoice_schedule": {
                    "credit_type_id": USD_CREDIT_TYPE_ID,
                    "schedule_items": [{"timestamp": timestamp(start), "amount": amount}],
                },
            }
        ]
    elif segment == "enterprise" and chance(rng, 0.15) and monthly_value >= 10_000:
        amount = round(monthly_value * rng.uniform(0.6, 0.9), -2)
        body["recurring_commits"] = [_recurring_commit(catalog, amount, start, end)]
    if chance(rng, 0.2):
        key = rng.choice(("promo", "onboarding"))
        amount = float(rng.randint(5, 50) * 1_000)
        body["credits"] = [
            {
                "product_id": catalog.products[key].id,
                "name": catalog.products[key].name,
                "priority": 1,
                "access_schedule": _access(amount, start, min(access_end, add_months(start, 3))),
            }
        ]


def _access(amount: float, start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "credit_type_id": USD_CREDIT_TYPE_ID,
        "schedule_items": [
            {"amount": amount, "starting_at": timestamp(start), "ending_before": timestamp(end)}
        ],
    }


def _recurring_commit(
    catalog: Catalog, amount: float, start: datetime, end: datetime | None
) -> dict[str, Any]:
    commit: dict[str, Any] = {
        "product_id": catalog.products["prepaid"].id,
        "name": "Monthly commitment",
        "priority": 1,
        "starting_at": timestamp(start),
        "recurrence_frequency": "MONTHLY",
        "access_amount": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "unit_price": amount,
            "quantity": 1,
        },
        "invoice_amount": {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "unit_price": amount,
            "quantity": 1,
        },
        "commit_duration": {"value": 1, "unit": "PERIODS"},
    }
    if end is not None:
        commit["ending_before"] = timestamp(end)
    return commit


def _name(rng: random.Random, card: RateCard, start: datetime) -> str:
    template = rng.choice(NAME_TEMPLATES)
    return template.format(card=card.name, year=start.year, yy=f"{start.year % 100:02d}")


def _created_at(
    rng: random.Random, customer_created: datetime, start: datetime, now: datetime
) -> datetime:
    """Signed a few days before it starts, never before the customer nor after now."""
    signed = start - days(rng.uniform(1, 20))
    earliest = min(customer_created + timedelta(minutes=10), now - timedelta(seconds=20))
    return min(max(signed, earliest), now - timedelta(seconds=10))

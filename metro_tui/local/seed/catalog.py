"""The demo product catalog: usage, subscription and credit products, and the rate cards."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime

from metro_tui.local.seed.draws import add_months, days, month_start, new_uuid

USAGE = "USAGE"
SUBSCRIPTION = "SUBSCRIPTION"
FIXED = "FIXED"
# How far back the rate cards' rates start: before any seeded contract can start.
RATES_START_MONTHS_BACK = 30


@dataclass(frozen=True)
class Product:
    """A product and, for usage products, how a typical customer (scale 1) consumes it."""

    key: str
    name: str
    type: str
    tags: tuple[str, ...]
    event_type: str = ""
    monthly_quantity: float = 0.0  # billed units per month at customer scale 1
    quantity_decimals: int = 0
    id: str = ""


PRODUCTS = (
    Product("api_calls", "API calls", USAGE, ("platform",), "api_request", 2_000_000),
    Product("compute", "Compute hours", USAGE, ("compute",), "compute_usage", 600, 2),
    Product("gpu", "GPU hours", USAGE, ("compute", "ai"), "gpu_usage", 40, 2),
    Product("inference", "Inference tokens (1K)", USAGE, ("ai",), "inference", 50_000),
    Product("storage", "Storage GB-month", USAGE, ("storage",), "storage_snapshot", 2_500, 1),
    Product("transfer", "Data transfer GB", USAGE, ("network",), "data_transfer", 1_200, 1),
    Product("vector", "Vector search queries", USAGE, ("ai", "storage"), "vector_query", 400_000),
    Product("platform_fee", "Platform fee", SUBSCRIPTION, ("platform",)),
    Product("seats", "Seats", SUBSCRIPTION, ("platform",)),
    Product("support", "Premium support", SUBSCRIPTION, ("platform", "support")),
    Product("prepaid", "Prepaid credits", FIXED, ("credit",)),
    Product("promo", "Promotional credit", FIXED, ("credit",)),
    Product("onboarding", "Onboarding credit", FIXED, ("credit",)),
)

# List prices in cents per unit (usage) or per month (subscriptions).
LIST_PRICES = {
    "api_calls": 0.004,
    "compute": 9.6,
    "gpu": 210.0,
    "inference": 0.15,
    "storage": 2.3,
    "transfer": 8.0,
    "vector": 0.02,
    "platform_fee": 49_900,
    "seats": 3_500,
    "support": 120_000,
}


@dataclass(frozen=True)
class RateCard:
    key: str
    name: str
    description: str
    prices: dict[str, float]  # product key -> price in cents
    id: str = ""


def _card(
    key: str,
    name: str,
    description: str,
    usage_factor: float,
    subscriptions: dict[str, float],
    without: tuple[str, ...] = (),
) -> RateCard:
    usage = {
        product.key: round(LIST_PRICES[product.key] * usage_factor, 6)
        for product in PRODUCTS
        if product.type == USAGE and product.key not in without
    }
    return RateCard(key, name, description, usage | subscriptions)


RATE_CARDS = (
    _card(
        "standard",
        "Standard",
        "List prices for self-serve and mid-market customers",
        1.0,
        {"platform_fee": 49_900, "seats": 3_500, "support": 120_000},
    ),
    _card(
        "enterprise",
        "Enterprise",
        "Volume pricing for annual enterprise agreements",
        0.8,
        {"platform_fee": 250_000, "seats": 3_000, "support": 400_000},
    ),
    _card(
        "startup",
        "Startup",
        "Startup program: low platform fee, no GPU capacity",
        1.0,
        {"platform_fee": 9_900, "seats": 2_500},
        without=("gpu",),
    ),
    _card("payg", "Pay as you go", "Usage only, no platform fee", 1.25, {}, without=("vector",)),
)


@dataclass(frozen=True)
class Catalog:
    """The products and rate cards with their ids, and when their rates start."""

    products: dict[str, Product]
    rate_cards: dict[str, RateCard]
    created_at: datetime
    rates_start: datetime

    def usage_products(self) -> list[Product]:
        return [product for product in self.products.values() if product.type == USAGE]


def plan_catalog(rng: random.Random, now: datetime) -> Catalog:
    rates_start = add_months(month_start(now), -RATES_START_MONTHS_BACK)
    products = {p.key: replace(p, id=new_uuid(rng)) for p in PRODUCTS}
    cards = {c.key: replace(c, id=new_uuid(rng)) for c in RATE_CARDS}
    return Catalog(products, cards, rates_start - days(12), rates_start)

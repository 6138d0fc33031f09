"""A small pricing catalogue stored straight into the local backend, shared by API tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from metro_tui.local.metronome.store import (
    RateSpec,
    insert_billing_configuration,
    insert_customer,
    insert_product,
    insert_rate_card,
)
from metro_tui.local.server import RunningBackend

USD = "2714e483-4ff1-48e4-9e25-ac732e8f24f2"
MISSING = "00000000-0000-4000-8000-000000000000"
RATES_START = datetime(2025, 12, 1, tzinfo=UTC)
PRICE_CHANGE = datetime(2026, 7, 1, tzinfo=UTC)
START, END = "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Catalog:
    customer: str
    rate_card: str
    api: str
    storage: str
    seats: str
    prepaid: str
    promo: str
    beta: str


def store_catalog(backend: RunningBackend) -> Catalog:
    """Products, a rate card (API calls repriced 250 -> 300 on 1 July 2026, Beta not entitled
    by default) and a customer with a Stripe billing configuration."""
    with backend.db.transaction() as conn:

        def product(name: str, kind: str, tags: list[str]) -> str:
            return str(
                insert_product(
                    conn, product_id=None, name=name, type=kind, tags=tags, created_at=RATES_START
                )["id"]
            )

        api = product("API calls", "USAGE", ["api", "compute"])
        storage = product("Storage", "USAGE", ["storage"])
        seats = product("Seats", "SUBSCRIPTION", ["seat"])
        prepaid = product("Prepaid credits", "FIXED", ["credit"])
        promo = product("Promotional credit", "FIXED", ["credit"])
        beta = product("Beta", "USAGE", ["beta"])
        card = insert_rate_card(
            conn,
            rate_card_id=None,
            name="Standard",
            description="List",
            created_at=RATES_START,
            rates=[
                RateSpec(api, 250, RATES_START),
                RateSpec(api, 300, PRICE_CHANGE),
                RateSpec(storage, 10, RATES_START),
                RateSpec(seats, 5000, RATES_START, billing_frequency="MONTHLY"),
                RateSpec(beta, 100, RATES_START, entitled=False),
            ],
        )
        customer = insert_customer(conn, name="Acme Corp", created_at=RATES_START)
        insert_billing_configuration(
            conn,
            customer_id=customer["id"],
            billing_provider="stripe",
            delivery_method="direct_to_billing_provider",
            configuration={"stripe_customer_id": "cus_Acme0000000001"},
            created_at=RATES_START,
        )
    return Catalog(customer["id"], card["id"], api, storage, seats, prepaid, promo, beta)

"""A small hand-made catalogue and a valid draft, shared by the wizard draft tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from metro_tui.drafts import ContractDraft, DraftContext
from metro_tui.models import Product, Rate, RateCard

TODAY = date(2026, 11, 24)
CARD_START = datetime(2026, 1, 1, tzinfo=UTC)
UNIQUENESS_KEY = "7f1d9c7e-2b8a-4a53-9d7e-2f4f7d0c1a11"

API_CALLS = Product(id="p-api", name="API calls", type="USAGE", tags=("compute", "api"))
STORAGE = Product(id="p-storage", name="Storage GB", type="USAGE", tags=("storage",))
SUPPORT = Product(id="p-support", name="Premium support", type="USAGE", tags=("support",))
SEATS = Product(id="p-seats", name="Seats", type="SUBSCRIPTION", tags=("seats",))
PLATFORM = Product(id="p-platform", name="Platform fee", type="SUBSCRIPTION")
ONBOARDING = Product(id="p-onboarding", name="Onboarding credit", type="FIXED")
PREPAID = Product(id="p-prepaid", name="Prepaid usage", type="FIXED")


def rate(
    product: Product, price: float, *, entitled: bool = True, billing_frequency: str | None = None
) -> Rate:
    return Rate(
        product_id=product.id,
        product_name=product.name,
        product_tags=product.tags,
        price=price,
        entitled=entitled,
        billing_frequency=billing_frequency,
        starting_at=CARD_START,
    )


RATES = (
    rate(API_CALLS, 0.25),
    rate(STORAGE, 12.0),
    rate(SUPPORT, 50_000.0, entitled=False),
    rate(SEATS, 4_900.0, billing_frequency="MONTHLY"),
    rate(PLATFORM, 120_000.0, billing_frequency="ANNUAL"),
)
CARD = RateCard(id="rc-standard", name="Standard 2026")

CONTEXT = DraftContext(
    today=TODAY,
    products=(API_CALLS, STORAGE, SUPPORT, SEATS, PLATFORM, ONBOARDING, PREPAID),
    rates=RATES,
    rate_cards=(CARD,),
)


def valid_draft(**changes: object) -> ContractDraft:
    """A complete, minimal draft for a linked customer: Dec 1, 2026 to Nov 30, 2027."""
    fields: dict[str, object] = {
        "stripe_customer_id": "cus_Acme000000001",
        "customer_name": "Acme Rockets",
        "metronome_customer_id": "m-acme",
        "uniqueness_key": UNIQUENESS_KEY,
        "name": "Acme 2027",
        "start_date": "2026-12-01",
        "end_date": "2027-11-30",
        "rate_card_id": CARD.id,
    }
    fields.update(changes)
    return ContractDraft.model_validate(fields)

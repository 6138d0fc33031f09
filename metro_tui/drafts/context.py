"""What the wizard knows besides the draft: the catalogue it prices against, and today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from metro_tui.models import Product, Rate, RateCard


@dataclass(frozen=True, slots=True)
class DraftContext:
    """The chosen rate card's rates, every product, the rate cards, and the app's today."""

    today: date
    products: tuple[Product, ...] = ()
    rates: tuple[Rate, ...] = ()
    """The rates of the draft's rate card (empty until one is chosen)."""
    rate_cards: tuple[RateCard, ...] = ()

    def product(self, product_id: str) -> Product | None:
        return next((item for item in self.products if item.id == product_id), None)

    def rate_card(self, rate_card_id: str) -> RateCard | None:
        return next((card for card in self.rate_cards if card.id == rate_card_id), None)

    def subscription_rates(self) -> dict[str, Rate]:
        """The first rate of each subscription product on the rate card, by product id."""
        subscription_ids = {item.id for item in self.products if item.type == "SUBSCRIPTION"}
        found: dict[str, Rate] = {}
        for rate in self.rates:
            if rate.product_id in subscription_ids and rate.billing_frequency is not None:
                found.setdefault(rate.product_id, rate)
        return found

    def rate_card_tags(self) -> tuple[str, ...]:
        """The tags on the rate card's products, sorted: what discounts and credits can name."""
        return tuple(sorted({tag for rate in self.rates for tag in rate.product_tags}))

    def credit_products(self) -> tuple[Product, ...]:
        """The FIXED products, whose names a credit's invoice line item can take."""
        return tuple(item for item in self.products if item.type == "FIXED")

    def rate_card_entitlements(self) -> dict[str, bool]:
        """Whether each product on the rate card is entitled by default, by product id."""
        entitled: dict[str, bool] = {}
        for rate in self.rates:
            entitled.setdefault(rate.product_id, rate.entitled)
        return entitled

"""Hand-built customers and billing configurations for the tests of linking and of the views
derived from it: small, readable records with every field a test does not name at a default."""

from __future__ import annotations

from datetime import UTC, datetime

from metro_tui.models import BillingConfiguration, MetronomeCustomer, StripeCustomer

ARCHIVED_AT = datetime(2026, 6, 1, tzinfo=UTC)


def stripe(customer_id: str) -> StripeCustomer:
    return StripeCustomer(
        id=customer_id,
        name=f"Stripe {customer_id}",
        email=None,
        created=datetime(2026, 1, 1, tzinfo=UTC),
        livemode=False,
    )


def metronome(customer_id: str, day: int = 1, archived: bool = False) -> MetronomeCustomer:
    """A Metronome customer created on `day` of January 2026."""
    return MetronomeCustomer(
        id=customer_id,
        name=f"Metronome {customer_id}",
        created_at=datetime(2026, 1, day, tzinfo=UTC),
        archived_at=ARCHIVED_AT if archived else None,
    )


def config(
    customer_id: str,
    stripe_id: str | None,
    provider: str = "stripe",
    archived: bool = False,
) -> BillingConfiguration:
    """A billing provider configuration of `customer_id`, naming `stripe_id`."""
    return BillingConfiguration(
        id=f"cfg-{customer_id}-{provider}",
        customer_id=customer_id,
        billing_provider=provider,
        delivery_method="direct_to_billing_provider",
        stripe_customer_id=stripe_id,
        archived_at=ARCHIVED_AT if archived else None,
    )

"""Where a customer lives in the Stripe Dashboard and in the Metronome app."""

from __future__ import annotations

METRONOME_APP_URL = "https://app.metronome.com"
METRONOME_DOCS_URL = "https://docs.metronome.com"
STRIPE_DASHBOARD_URL = "https://dashboard.stripe.com"


def metronome_customer_url(metronome_customer_id: str) -> str:
    return f"{METRONOME_APP_URL}/customers/{metronome_customer_id}"


def stripe_customer_url(stripe_customer_id: str, *, livemode: bool) -> str:
    """Test-mode customers live under /test in the Dashboard."""
    mode = "" if livemode else "/test"
    return f"{STRIPE_DASHBOARD_URL}{mode}/customers/{stripe_customer_id}"

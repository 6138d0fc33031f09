"""Customer counts for the Overview."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from metro_tui.models import MetronomeCustomer

NEW_CUSTOMER_WINDOW = timedelta(days=30)


def new_customers_count(metronome_customers: Iterable[MetronomeCustomer], now: datetime) -> int:
    """Metronome customers created in the last 30 days: ``now - 30 days < created_at <= now``."""
    since = now - NEW_CUSTOMER_WINDOW
    return sum(1 for customer in metronome_customers if since < customer.created_at <= now)

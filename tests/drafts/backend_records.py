"""Seeded customers the contract tests create contracts for, found in the backend's tables."""

from __future__ import annotations

from metro_tui.local.server import RunningBackend


def linked_customer(backend: RunningBackend) -> tuple[str, str]:
    """(Metronome id, Stripe id) of a seeded customer with an active Stripe link."""
    row = backend.db.query_one(
        "SELECT customer_id, stripe_customer_id FROM billing_configurations "
        "WHERE billing_provider = 'stripe' AND archived_at IS NULL ORDER BY seq LIMIT 1"
    )
    assert row is not None
    return row[0], row[1]


def unlinked_stripe_customer(backend: RunningBackend) -> tuple[str, str]:
    """(Stripe id, name) of a seeded Stripe customer that Metronome has never heard of."""
    row = backend.db.query_one(
        "SELECT id, name FROM stripe_customers WHERE name IS NOT NULL AND id NOT IN "
        "(SELECT stripe_customer_id FROM billing_configurations "
        "WHERE stripe_customer_id IS NOT NULL) ORDER BY seq LIMIT 1"
    )
    assert row is not None
    return row[0], row[1]


def stripe_customer_name(backend: RunningBackend, stripe_customer_id: str) -> str:
    row = backend.db.query_one(
        "SELECT name FROM stripe_customers WHERE id = ?", (stripe_customer_id,)
    )
    assert row is not None
    return str(row[0])

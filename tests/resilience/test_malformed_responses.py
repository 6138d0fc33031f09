"""Malformed answers about one customer fail that customer only, never the whole sync."""

from __future__ import annotations

import httpx
import pytest

from metro_tui.local.server import RunningBackend
from metro_tui.sync.snapshot import AccountSnapshot
from tests.resilience.accounts import shown, sync
from tests.resilience.garbling import GarblingTransport, RecordKind, Spoil

SHAPE = "the server's response was not in the expected shape"
CASES = [
    (RecordKind.INVOICES, Spoil.MISSING_FIELD, SHAPE),
    (RecordKind.INVOICES, Spoil.WRONG_TYPE, SHAPE),
    (RecordKind.INVOICES, Spoil.HTML_502, "the server failed (HTTP 502)"),
    (RecordKind.INVOICES, Spoil.NOT_JSON, SHAPE),
    (RecordKind.CONTRACTS, Spoil.MISSING_FIELD, SHAPE),
    (RecordKind.CONTRACTS, Spoil.WRONG_TYPE, SHAPE),
    (RecordKind.CONTRACTS, Spoil.HTML_502, "the server failed (HTTP 502)"),
]


def customer_with_both(snapshot: AccountSnapshot) -> str:
    """A customer with invoices and contracts, so spoiling either changes what is shown."""
    return next(
        customer.id
        for customer in snapshot.metronome_customers
        if snapshot.invoices[customer.id] and snapshot.contracts[customer.id]
    )


def without_invoices_of(snapshot: AccountSnapshot, customer_id: str) -> AccountSnapshot:
    invoices = {key: value for key, value in snapshot.invoices.items() if key != customer_id}
    return snapshot.model_copy(update={"invoices": invoices})


@pytest.mark.parametrize(("kind", "spoil", "message"), CASES, ids=lambda case: str(case))
async def test_only_the_spoiled_customer_fails(
    backend: RunningBackend, kind: RecordKind, spoil: Spoil, message: str
) -> None:
    clean = await sync(backend)
    victim = customer_with_both(clean)
    transport = GarblingTransport(victim, kind, spoil)

    async with httpx.AsyncClient(transport=transport) as client:
        spoiled = await sync(backend, http_client=client, max_retries=1)

    assert transport.spoiled >= 2  # the engine asked again after the first failure
    assert spoiled.failures == [f"Could not load {kind} of customer {victim}: {message}"]
    assert victim not in getattr(spoiled, kind)
    overview, rows = shown(spoiled)
    clean_overview, clean_rows = shown(clean)
    others = [row for row in rows if row.metronome_customer_id != victim]
    assert others == [row for row in clean_rows if row.metronome_customer_id != victim]
    assert len(others) == len(rows) - 1
    if kind is RecordKind.INVOICES:
        # Revenue is what the other customers' invoices add up to; nothing else moves.
        assert overview == shown(without_invoices_of(clean, victim))[0]
        assert overview.total_revenue_cents < clean_overview.total_revenue_cents
    else:
        assert overview == clean_overview

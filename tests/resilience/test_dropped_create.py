"""A contract create whose response is lost is retried without making a second contract."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.drafts import ContractDraft, DraftContext, create_contract
from metro_tui.local.config import BackendConfig
from metro_tui.local.server import RunningBackend, start_in_thread
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.drafts.backend_records import linked_customer, unlinked_stripe_customer


@pytest.fixture
def dropping_backend(data_file: Path) -> Iterator[RunningBackend]:
    """The seeded backend; it commits the first contract create, then drops its connection."""
    running = start_in_thread(
        data_file, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY, drop_after_commit=1)
    )
    yield running
    running.stop()


@pytest.fixture
async def gateway(dropping_backend: RunningBackend) -> AsyncIterator[MetronomeGateway]:
    gateway = MetronomeGateway(TEST_TOKEN, dropping_backend.metronome_url)
    yield gateway
    await gateway.close()


async def a_draft(
    gateway: MetronomeGateway, stripe_customer_id: str, metronome_customer_id: str | None
) -> tuple[ContractDraft, DraftContext]:
    cards = await gateway.rate_cards()
    context = DraftContext(
        today=date.fromisoformat(TEST_TODAY),
        products=tuple(await gateway.products()),
        rate_cards=tuple(cards),
    )
    draft = ContractDraft.for_customer(
        stripe_customer_id=stripe_customer_id,
        customer_name="Dropped Response Ltd",
        metronome_customer_id=metronome_customer_id,
        today=context.today,
    )
    draft.name = "Survives a lost response"
    draft.rate_card_id = next(card.id for card in cards if card.name == "Standard")
    return draft, context


def contracts_with_key(backend: RunningBackend, uniqueness_key: str) -> list[tuple[str, str]]:
    rows = backend.db.query(
        "SELECT id, customer_id FROM contracts WHERE uniqueness_key = ?", (uniqueness_key,)
    )
    return [(row[0], row[1]) for row in rows]


async def test_a_lost_response_leaves_exactly_one_contract(
    dropping_backend: RunningBackend, gateway: MetronomeGateway
) -> None:
    customer_id, stripe_id = linked_customer(dropping_backend)
    draft, context = await a_draft(gateway, stripe_id, customer_id)

    outcome = await create_contract(gateway, draft, context)

    # The first attempt was stored but its answer never came; the retry found it.
    assert outcome.already_created is True
    assert contracts_with_key(dropping_backend, draft.uniqueness_key) == [
        (outcome.contract_id, customer_id)
    ]


async def test_a_new_customer_and_its_contract_are_each_made_once(
    dropping_backend: RunningBackend, gateway: MetronomeGateway
) -> None:
    stripe_id, _name = unlinked_stripe_customer(dropping_backend)
    draft, context = await a_draft(gateway, stripe_id, None)

    outcome = await create_contract(gateway, draft, context)
    again = await create_contract(gateway, draft, context)  # e.g. the user pressed Create again

    assert outcome.created_customer is True
    assert contracts_with_key(dropping_backend, draft.uniqueness_key) == [
        (outcome.contract_id, outcome.metronome_customer_id)
    ]
    assert (again.contract_id, again.already_created) == (outcome.contract_id, True)
    linked = dropping_backend.db.query(
        "SELECT customer_id FROM billing_configurations WHERE stripe_customer_id = ?", (stripe_id,)
    )
    assert [row[0] for row in linked] == [outcome.metronome_customer_id]

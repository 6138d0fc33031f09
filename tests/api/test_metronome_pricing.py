"""The local Metronome pricing catalogue (rate cards, rates, products), through metronome-sdk."""

from __future__ import annotations

from datetime import UTC, datetime

import metronome
import pytest
from metronome import AsyncMetronome

from metro_tui.local.metronome.store import insert_rate_card
from metro_tui.local.server import RunningBackend
from tests.api.catalog import (
    MISSING,
    PRICE_CHANGE,
    RATES_START,
    USD,
    Catalog,
)

APRIL = "2026-04-01T00:00:00Z"


async def test_rate_cards_list_pages_and_get(
    client: AsyncMetronome, catalog: Catalog, empty_backend: RunningBackend
) -> None:
    with empty_backend.db.transaction() as conn:
        extra = [
            insert_rate_card(
                conn,
                rate_card_id=None,
                name=f"Card {i}",
                description="",
                created_at=RATES_START,
                rates=[],
            )["id"]
            for i in range(2)
        ]

    first = await client.v1.contracts.rate_cards.list(limit=2)
    walked = [card.id async for card in client.v1.contracts.rate_cards.list(limit=2)]
    got = await client.v1.contracts.rate_cards.retrieve(id=catalog.rate_card)

    assert [card.id for card in first.data] == [catalog.rate_card, extra[0]]
    assert first.next_page is not None
    assert walked == [catalog.rate_card, *extra]
    assert (got.data.name, got.data.description, got.data.created_at) == (
        "Standard",
        "List",
        RATES_START,
    )
    assert got.data.fiat_credit_type is not None and got.data.fiat_credit_type.id == USD


async def test_unknown_rate_card_is_404(client: AsyncMetronome) -> None:
    with pytest.raises(metronome.NotFoundError):
        await client.v1.contracts.rate_cards.retrieve(id=MISSING)
    with pytest.raises(metronome.NotFoundError):
        await client.v1.contracts.rate_cards.rates.list(rate_card_id=MISSING, at=APRIL)


async def test_rates_in_effect_at_a_moment(client: AsyncMetronome, catalog: Catalog) -> None:
    april = [
        r
        async for r in client.v1.contracts.rate_cards.rates.list(
            rate_card_id=catalog.rate_card, at=APRIL, limit=2
        )
    ]
    august = await client.v1.contracts.rate_cards.rates.list(
        rate_card_id=catalog.rate_card,
        at="2026-08-01T00:00:00Z",
        selectors=[{"product_id": catalog.api}],
    )
    before = await client.v1.contracts.rate_cards.rates.list(
        rate_card_id=catalog.rate_card, at="2025-11-30T00:00:00Z"
    )

    assert [(r.product_name, r.rate.price, r.entitled) for r in april] == [
        ("API calls", 250, True),
        ("Storage", 10, True),
        ("Seats", 5000, True),
        ("Beta", 100, False),
    ]
    api = april[0]
    assert (api.starting_at, api.ending_before, api.product_tags) == (
        RATES_START,
        PRICE_CHANGE,
        ["api", "compute"],
    )
    assert (api.rate.rate_type, api.billing_frequency) == ("FLAT", None)
    assert april[2].billing_frequency == "MONTHLY"
    assert [(r.product_id, r.rate.price, r.ending_before) for r in august.data] == [
        (catalog.api, 300, None)
    ]
    assert before.data == []


async def test_rates_need_a_moment(client: AsyncMetronome, catalog: Catalog) -> None:
    with pytest.raises(metronome.BadRequestError) as caught:
        await client.post(
            "/v1/contract-pricing/rate-cards/getRates",
            body={"rate_card_id": catalog.rate_card},
            cast_to=object,
        )
    assert caught.value.body == {"message": "at: Field required"}


async def test_products_list_and_archive_filter(
    client: AsyncMetronome, catalog: Catalog, empty_backend: RunningBackend
) -> None:
    with empty_backend.db.transaction() as conn:
        conn.execute(
            "UPDATE products SET archived_at = ?, doc = json_set(doc, '$.archived_at', "
            "?) WHERE id = ?",
            ("2026-02-01T00:00:00.000Z",) * 2 + (catalog.beta,),
        )

    live = [p async for p in client.v1.contracts.products.list(limit=2)]
    archived = await client.v1.contracts.products.list(archive_filter="ARCHIVED")
    every = await client.v1.contracts.products.list(archive_filter="ALL")

    assert [(p.current.name, p.type) for p in live] == [
        ("API calls", "USAGE"),
        ("Storage", "USAGE"),
        ("Seats", "SUBSCRIPTION"),
        ("Prepaid credits", "FIXED"),
        ("Promotional credit", "FIXED"),
    ]
    assert live[0].id == catalog.api
    assert live[0].current.tags == ["api", "compute"]
    assert live[0].initial.created_at == RATES_START
    assert [p.id for p in archived.data] == [catalog.beta]
    assert archived.data[0].archived_at == datetime(2026, 2, 1, tzinfo=UTC)
    assert len(every.data) == 6

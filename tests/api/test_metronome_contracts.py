"""Local Metronome contracts: create, v2 list/get and the rate schedule, through metronome-sdk."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import metronome
import pytest
from metronome import AsyncMetronome
from metronome.types.v1.contract_retrieve_rate_schedule_response import Data as ScheduledRate

from metro_tui.api.contract_terms import contract_terms_from_sdk
from metro_tui.local.metronome.contract_store import insert_contract
from metro_tui.local.server import RunningBackend
from metro_tui.services.contract_terms import grant_terms_text, grant_title
from tests.api.catalog import (
    END,
    MISSING,
    PRICE_CHANGE,
    START,
    USD,
    Catalog,
    utc,
)
from tests.conftest import TEST_TOKEN


def wizard_body(c: Catalog) -> dict[str, Any]:
    """What the contract wizard sends: a 10% API discount from March to June, storage not
    entitled, 3 seats, a one-time prepaid commit, a monthly commit, credits."""
    return {
        "customer_id": c.customer,
        "name": "Acme 2026",
        "rate_card_id": c.rate_card,
        "starting_at": START,
        "ending_before": END,
        "net_payment_terms_days": 30,
        "usage_statement_schedule": {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"},
        "overrides": [
            {
                "type": "MULTIPLIER",
                "multiplier": 0.9,
                "applicable_product_tags": ["api"],
                "starting_at": "2026-03-01T00:00:00Z",
                "ending_before": "2026-06-01T00:00:00Z",
            },
            {"product_id": c.storage, "starting_at": START, "entitled": False},
        ],
        "subscriptions": [
            {
                "subscription_rate": {"product_id": c.seats, "billing_frequency": "MONTHLY"},
                "initial_quantity": 3,
                "collection_schedule": "ADVANCE",
                "proration": {"is_prorated": True, "invoice_behavior": "BILL_IMMEDIATELY"},
                "starting_at": START,
            }
        ],
        "commits": [
            {
                "type": "PREPAID",
                "product_id": c.prepaid,
                "name": "Annual prepaid",
                "applicable_product_tags": ["api"],
                "access_schedule": {
                    "credit_type_id": USD,
                    "schedule_items": [
                        {"amount": 1_200_000, "starting_at": START, "ending_before": END}
                    ],
                },
                "invoice_schedule": {
                    "credit_type_id": USD,
                    "schedule_items": [{"timestamp": START, "amount": 1_000_000}],
                },
            }
        ],
        "recurring_commits": [
            {
                "product_id": c.prepaid,
                "name": "Monthly commitment",
                "priority": 1,
                "starting_at": START,
                "ending_before": END,
                "recurrence_frequency": "MONTHLY",
                "access_amount": {"credit_type_id": USD, "unit_price": 50_000, "quantity": 1},
                "invoice_amount": {"credit_type_id": USD, "unit_price": 45_000, "quantity": 1},
                "commit_duration": {"value": 1, "unit": "PERIODS"},
            }
        ],
        "credits": [
            {
                "product_id": c.promo,
                "name": "Onboarding credit",
                "priority": 2,
                "access_schedule": {
                    "schedule_items": [
                        {
                            "amount": 25_000,
                            "starting_at": START,
                            "ending_before": "2026-04-01T00:00:00Z",
                        }
                    ]
                },
            }
        ],
        "recurring_credits": [
            {
                "product_id": c.promo,
                "name": "Monthly promo",
                "priority": 3,
                "starting_at": START,
                "access_amount": {"unit_price": 5_000},
                "commit_duration": {"value": 1},
            }
        ],
        "billing_provider_configuration": {
            "billing_provider": "stripe",
            "delivery_method": "direct_to_billing_provider",
        },
        "uniqueness_key": "wizard-draft-1",
    }


async def test_wizard_contract_round_trips_through_v2_get(
    client: AsyncMetronome, catalog: Catalog
) -> None:
    created = await client.v1.contracts.create(**wizard_body(catalog))
    got = (
        await client.v2.contracts.retrieve(
            customer_id=catalog.customer, contract_id=created.data.id
        )
    ).data

    assert (got.id, got.customer_id, got.name, got.rate_card_id) == (
        created.data.id,
        catalog.customer,
        "Acme 2026",
        catalog.rate_card,
    )
    assert (got.starting_at, got.ending_before) == (utc(START), utc(END))
    assert (got.net_payment_terms_days, got.uniqueness_key) == (30, "wizard-draft-1")
    assert got.created_at == datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert (
        got.usage_statement_schedule.frequency,
        got.usage_statement_schedule.billing_anchor_date,
    ) == ("MONTHLY", utc(START))
    assert got.customer_billing_provider_configuration is not None
    assert got.customer_billing_provider_configuration.configuration == {
        "stripe_customer_id": "cus_Acme0000000001"
    }

    discount, exclusion = got.overrides
    assert (discount.type, discount.multiplier, discount.applicable_product_tags) == (
        "MULTIPLIER",
        0.9,
        ["api"],
    )
    assert (discount.starting_at, discount.ending_before) == (
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert exclusion.entitled is False and exclusion.type is None
    assert exclusion.product is not None
    assert (exclusion.product.id, exclusion.product.name) == (catalog.storage, "Storage")

    (seats,) = got.subscriptions or []
    assert (seats.subscription_rate.product.name, seats.subscription_rate.billing_frequency) == (
        "Seats",
        "MONTHLY",
    )
    assert seats.collection_schedule == "ADVANCE"
    assert (seats.proration.is_prorated, seats.proration.invoice_behavior) == (
        True,
        "BILL_IMMEDIATELY",
    )
    assert [(q.quantity, q.starting_at) for q in seats.quantity_schedule] == [(3, utc(START))]
    current = seats.billing_periods.current
    assert current is not None
    assert (current.starting_at, current.ending_before) == (
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 12, 1, tzinfo=UTC),
    )

    # Its own commit and credit; those its recurring ones created come after them.
    (commit,) = [c for c in got.commits if c.recurring_commit_id is None]
    assert (commit.type, commit.name, commit.product.id) == (
        "PREPAID",
        "Annual prepaid",
        catalog.prepaid,
    )
    assert commit.applicable_product_tags == ["api"]
    assert commit.access_schedule is not None
    assert [
        (i.amount, i.starting_at, i.ending_before) for i in commit.access_schedule.schedule_items
    ] == [(1_200_000, utc(START), utc(END))]
    assert commit.invoice_schedule is not None
    assert [
        (i.amount, i.quantity, i.unit_price, i.timestamp)
        for i in commit.invoice_schedule.schedule_items or []
    ] == [(1_000_000, 1, 1_000_000, utc(START))]

    (monthly,) = got.recurring_commits or []
    assert (monthly.access_amount.unit_price, monthly.priority) == (50_000, 1)
    assert monthly.invoice_amount is not None and monthly.invoice_amount.unit_price == 45_000
    assert (monthly.recurrence_frequency, monthly.commit_duration.value) == ("MONTHLY", 1)
    assert (monthly.starting_at, monthly.ending_before) == (utc(START), utc(END))

    (credit,) = [c for c in got.credits or [] if c.recurring_credit_id is None]
    assert (credit.type, credit.name, credit.product.name, credit.priority) == (
        "CREDIT",
        "Onboarding credit",
        "Promotional credit",
        2,
    )
    assert credit.access_schedule is not None
    assert credit.access_schedule.schedule_items[0].amount == 25_000

    (promo,) = got.recurring_credits or []
    assert (promo.name, promo.access_amount.unit_price, promo.access_amount.credit_type_id) == (
        "Monthly promo",
        5_000,
        USD,
    )
    # Without a frequency of its own it follows the usage statements, counted from theirs.
    assert (promo.recurrence_frequency, promo.anchor_date) == (None, utc(START))
    assert (monthly.recurrence_frequency, monthly.anchor_date) == ("MONTHLY", utc(START))

    listed = [c async for c in client.v2.contracts.list(customer_id=catalog.customer)]
    assert [c.id for c in listed] == [created.data.id]
    assert listed[0].model_dump() == got.model_dump()


async def test_repeated_uniqueness_key_is_409_and_creates_nothing(
    client: AsyncMetronome, catalog: Catalog, empty_backend: RunningBackend
) -> None:
    first = await client.v1.contracts.create(**wizard_body(catalog))

    with pytest.raises(metronome.ConflictError) as caught:
        await client.v1.contracts.create(**{**wizard_body(catalog), "name": "Retry"})

    assert caught.value.status_code == 409
    assert "wizard-draft-1" in caught.value.body["message"]  # type: ignore[index]
    listed = [c.id async for c in client.v2.contracts.list(customer_id=catalog.customer)]
    assert listed == [first.data.id]
    (count,) = empty_backend.db.query_one("SELECT COUNT(*) FROM contracts") or (0,)
    assert count == 1


def with_change(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `body` with the item at dotted `path` set, or removed when `value` is
    the Ellipsis."""
    changed = copy.deepcopy(body)
    *parents, last = path.split(".")
    target: Any = changed
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return changed


BAD_BODIES: list[tuple[str, Any, str]] = [
    ("starting_at", ..., "starting_at: Field required"),
    ("ending_before", START, "ending_before must be after starting_at"),
    ("starting_at", 20260101, "starting_at: Input should be a valid datetime"),
    ("rate_card_id", MISSING, f"rate_card_id: unknown rate card {MISSING}"),
    ("overrides.1.product_id", MISSING, f"overrides.product_id: unknown product_id {MISSING}"),
    (
        "overrides.0.ending_before",
        "2026-02-01T00:00:00Z",
        "overrides.0: ending_before must be after starting_at",
    ),
    (
        "overrides.0.starting_at",
        "2025-12-15T00:00:00Z",
        "overrides.0: starting_at must fall within the contract",
    ),
    (
        "overrides.0.multiplier",
        ...,
        "overrides.0: multiplier is required for a MULTIPLIER override",
    ),
    (
        "commits.0.access_schedule.schedule_items.0.ending_before",
        START,
        "commits.0.access_schedule.schedule_items.0: ending_before must be after starting_at",
    ),
    ("commits.0.access_schedule", ..., "commits.0: access_schedule is required"),
    (
        "subscriptions.0.subscription_rate.billing_frequency",
        "QUARTERLY",
        "subscription_rate: no QUARTERLY rate for product {seats} on rate card {rate_card}",
    ),
    (
        "credits.0.product_id",
        "{api}",
        "product_id: commits and credits need a FIXED product, {api} is USAGE",
    ),
    (
        "usage_statement_schedule.frequency",
        "DAILY",
        "usage_statement_schedule.frequency: Input should be 'MONTHLY', 'QUARTERLY', 'ANNUAL' "
        "or 'WEEKLY'",
    ),
    ("surprise", 1, "surprise: Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_BODIES)
async def test_invalid_contract_is_400_with_message(
    client: AsyncMetronome,
    catalog: Catalog,
    empty_backend: RunningBackend,
    path: str,
    value: Any,
    message: str,
) -> None:
    names = {"api": catalog.api, "seats": catalog.seats, "rate_card": catalog.rate_card}
    if isinstance(value, str):
        value = value.format(**names)
    body = with_change(wizard_body(catalog), path, value)

    with pytest.raises(metronome.BadRequestError) as caught:
        await client.post("/v1/contracts/create", body=body, cast_to=object)

    assert caught.value.status_code == 400
    assert caught.value.body["message"].startswith(message.format(**names))  # type: ignore[index]
    assert empty_backend.db.query_one("SELECT 1 FROM contracts") is None


async def test_malformed_json_is_400(empty_backend: RunningBackend) -> None:
    async with httpx.AsyncClient(base_url=empty_backend.metronome_url) as http:
        response = await http.post(
            "/v1/contracts/create",
            content=b'{"customer_id": ',
            headers={"Authorization": f"Bearer {TEST_TOKEN}", "Content-Type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json()["message"]


async def test_unknown_ids_are_404_in_v1(client: AsyncMetronome, catalog: Catalog) -> None:
    with pytest.raises(metronome.NotFoundError) as caught:
        await client.v1.contracts.create(**{**wizard_body(catalog), "customer_id": MISSING})
    assert caught.value.body == {"message": f"customer {MISSING} not found"}
    with pytest.raises(metronome.NotFoundError):
        await client.v1.contracts.retrieve_rate_schedule(
            customer_id=catalog.customer, contract_id=MISSING
        )


async def test_v2_reads_answer_unknown_ids_with_a_coded_400(
    client: AsyncMetronome, catalog: Catalog
) -> None:
    with pytest.raises(metronome.BadRequestError) as no_contract:
        await client.v2.contracts.retrieve(customer_id=catalog.customer, contract_id=MISSING)
    with pytest.raises(metronome.BadRequestError) as no_customer:
        await client.v2.contracts.retrieve(customer_id=MISSING, contract_id=MISSING)
    with pytest.raises(metronome.BadRequestError) as no_customer_to_list:
        await client.v2.contracts.list(customer_id=MISSING)
    with pytest.raises(metronome.BadRequestError) as malformed:
        await client.v2.contracts.list(customer_id=catalog.customer, limit=0)

    assert no_contract.value.body == {
        "code": "ContractNotFound",
        "message": f"contract {MISSING} not found",
    }
    customer_missing = {"code": "CustomerNotFound", "message": f"customer {MISSING} not found"}
    assert no_customer.value.body == customer_missing
    assert no_customer_to_list.value.body == customer_missing
    assert malformed.value.body == {
        "code": "BadRequest",
        "message": "limit must be a whole number from 1 to 20",
    }


def store_contracts(backend: RunningBackend, c: Catalog, count: int) -> list[str]:
    """`count` contracts starting on successive days, stored in shuffled order; returns
    their ids in start order."""
    days = list(range(count))
    random.Random(3).shuffle(days)
    by_start: dict[int, str] = {}
    with backend.db.transaction() as conn:
        for day in days:
            start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day)
            body = {
                "customer_id": c.customer,
                "rate_card_id": c.rate_card,
                "starting_at": start.isoformat(),
            }
            by_start[day] = insert_contract(conn, body=body, created_at=start)["id"]
    return [by_start[day] for day in range(count)]


async def test_contract_list_pages_by_body_cursor_in_start_order(
    client: AsyncMetronome, catalog: Catalog, empty_backend: RunningBackend
) -> None:
    ids = store_contracts(empty_backend, catalog, 45)

    first = await client.v2.contracts.list(customer_id=catalog.customer)
    second = await first.get_next_page()
    third = await second.get_next_page()
    small = await client.v2.contracts.list(customer_id=catalog.customer, limit=7)
    walked = [c.id async for c in client.v2.contracts.list(customer_id=catalog.customer)]

    assert [len(p.data) for p in (first, second, third)] == [20, 20, 5]
    assert third.cursor is None
    assert [c.id for p in (first, second, third) for c in p.data] == ids
    assert walked == ids
    assert [c.id for c in small.data] == ids[:7]


@pytest.mark.parametrize("limit", [0, 21, 2.5])
async def test_contract_list_limit_out_of_range_is_400(
    client: AsyncMetronome, catalog: Catalog, limit: float
) -> None:
    with pytest.raises(metronome.BadRequestError) as caught:
        await client.v2.contracts.list(customer_id=catalog.customer, limit=limit)
    assert caught.value.body == {
        "code": "BadRequest",
        "message": "limit must be a whole number from 1 to 20",
    }


async def test_contract_list_filters_archived_and_covering(
    client: AsyncMetronome, catalog: Catalog, empty_backend: RunningBackend
) -> None:
    ids = store_contracts(empty_backend, catalog, 3)
    with empty_backend.db.transaction() as conn:
        conn.execute(
            "UPDATE contracts SET archived_at = ?, doc = json_set(doc, "
            "'$.archived_at', ?) WHERE id = ?",
            ("2024-02-01T00:00:00.000Z",) * 2 + (ids[0],),
        )
        conn.execute(
            "UPDATE contracts SET ending_before = ?, doc = json_set(doc, "
            "'$.ending_before', ?) WHERE id = ?",
            ("2024-01-03T00:00:00.000Z",) * 2 + (ids[1],),
        )

    live = [c.id async for c in client.v2.contracts.list(customer_id=catalog.customer)]
    every = await client.v2.contracts.list(customer_id=catalog.customer, include_archived=True)
    covering = await client.v2.contracts.list(
        customer_id=catalog.customer, covering_date="2024-01-03T12:00:00Z"
    )

    assert live == ids[1:]
    assert [c.id for c in every.data] == ids
    assert every.data[0].archived_at == datetime(2024, 2, 1, tzinfo=UTC)
    assert [c.id for c in covering.data] == [ids[2]]


async def rate_schedule(
    client: AsyncMetronome, c: Catalog, contract_id: str, **options: Any
) -> dict[str, ScheduledRate]:
    response = await client.v1.contracts.retrieve_rate_schedule(
        customer_id=c.customer, contract_id=contract_id, **options
    )
    return {rate.product_name: rate for rate in response.data}


async def test_rate_schedule_applies_overrides_within_their_dates(
    client: AsyncMetronome, catalog: Catalog
) -> None:
    contract_id = (await client.v1.contracts.create(**wizard_body(catalog))).data.id

    april = await rate_schedule(client, catalog, contract_id, at="2026-04-01T00:00:00Z")
    august = await rate_schedule(client, catalog, contract_id, at="2026-08-01T00:00:00Z")
    today = await rate_schedule(client, catalog, contract_id)
    after_end = await rate_schedule(client, catalog, contract_id, at="2027-02-01T00:00:00Z")
    seats_only = await rate_schedule(
        client,
        catalog,
        contract_id,
        at="2026-04-01T00:00:00Z",
        selectors=[{"product_tags": ["seat"]}],
    )

    # Storage is excluded by this contract and Beta by the rate card: neither is listed.
    assert sorted(april) == ["API calls", "Seats"]
    api = april["API calls"]
    assert (api.entitled, api.list_rate.price) == (True, 250)
    assert api.override_rate is not None and api.override_rate.price == 225
    assert (api.starting_at, api.ending_before) == (
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert (api.rate_card_id, api.product_tags) == (catalog.rate_card, ["api", "compute"])
    seats = april["Seats"]
    assert (seats.list_rate.price, seats.override_rate, seats.billing_frequency) == (
        5000,
        None,
        "MONTHLY",
    )
    assert august["API calls"].list_rate.price == 300
    assert august["API calls"].override_rate is None
    assert (august["API calls"].starting_at, august["API calls"].ending_before) == (
        PRICE_CHANGE,
        utc(END),
    )
    assert today["API calls"].list_rate.price == 300
    assert after_end == {}
    assert sorted(seats_only) == ["Seats"]


async def test_lowest_multiplier_wins_and_entitlement_can_be_granted(
    client: AsyncMetronome, catalog: Catalog
) -> None:
    body = wizard_body(catalog)
    body["overrides"] = [
        {"type": "MULTIPLIER", "multiplier": 0.8, "product_id": catalog.api, "starting_at": START},
        {
            "type": "multiplier",
            "multiplier": 0.5,
            "applicable_product_tags": ["compute"],
            "starting_at": START,
        },
        {
            "type": "MULTIPLIER",
            "multiplier": 0.7,
            "applicable_product_tags": ["storage"],
            "starting_at": START,
        },
        {"product_id": catalog.beta, "entitled": True, "starting_at": START},
    ]
    contract_id = (await client.v1.contracts.create(**body)).data.id

    schedule = await rate_schedule(client, catalog, contract_id, at="2026-04-01T00:00:00Z")

    api, storage = schedule["API calls"].override_rate, schedule["Storage"].override_rate
    assert api is not None and api.price == 125
    assert storage is not None and storage.price == 7
    assert (schedule["Beta"].entitled, schedule["Beta"].list_rate.price) == (True, 100)
    assert schedule["Beta"].override_rate is None


async def test_recurring_commits_and_credits_read_as_their_terms_per_period(
    client: AsyncMetronome, catalog: Catalog
) -> None:
    """Listed with balances, as the customer page asks; a recurring credit with no frequency
    of its own recurs on the contract's usage invoice frequency (quarterly here)."""
    body = wizard_body(catalog)
    body["usage_statement_schedule"] = {"frequency": "QUARTERLY", "day": "FIRST_OF_MONTH"}
    body["recurring_commits"][0]["commit_duration"] = {"value": 2, "unit": "periods"}
    await client.v1.contracts.create(**body)
    page = await client.v2.contracts.list(customer_id=catalog.customer, include_balance=True)
    (contract,) = page.data
    terms = contract_terms_from_sdk(contract, datetime(2026, 11, 24, 12, tzinfo=UTC))
    recurring = [grant for grant in terms.grants if grant.recurrence is not None]
    assert [(grant_title(g), grant_terms_text(g)) for g in recurring] == [
        (
            "Monthly commitment (Recurring prepaid commit, product Prepaid credits)",
            "$500.00 granted monthly · customer pays $450.00 monthly · each grant lasts "
            "2 months · Jan 1, 2026 – Dec 31, 2026",
        ),
        (
            "Monthly promo (Recurring credit, product Promotional credit)",
            "$50.00 granted quarterly · free · each grant lasts 1 quarter · Jan 1, 2026 – no end",
        ),
    ]

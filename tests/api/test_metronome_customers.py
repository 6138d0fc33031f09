"""The local Metronome customers, billing configurations and invoices, through metronome-sdk."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import metronome
import pytest
from metronome import AsyncMetronome

from metro_tui.local.db import SCHEMA, Database
from metro_tui.local.metronome.store import (
    LineItemSpec,
    insert_billing_configuration,
    insert_customer,
    insert_invoice,
    insert_product,
)
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TOKEN

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STRIPE: dict[str, object] = {
    "stripe_customer_id": "cus_Acme0000000001",
    "stripe_collection_method": "charge_automatically",
}


def store_customers(backend: RunningBackend, count: int) -> list[str]:
    with backend.db.transaction() as conn:
        return [
            insert_customer(
                conn,
                name=f"Customer {i:03d}",
                created_at=T0 + timedelta(hours=i),
                ingest_aliases=[f"alias-{i}"],
            )["id"]
            for i in range(count)
        ]


async def test_customer_list_walks_every_page_once(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    ids = store_customers(empty_backend, 250)

    first = await client.v1.customers.list(limit=100)
    second = await first.get_next_page()
    third = await second.get_next_page()
    walked = [customer.id async for customer in client.v1.customers.list(limit=100)]

    assert [len(page.data) for page in (first, second, third)] == [100, 100, 50]
    assert third.next_page is None and not third.has_next_page()
    assert [c.id for page in (first, second, third) for c in page.data] == ids
    assert walked == ids
    assert first.data[0].name == "Customer 000"
    assert first.data[0].created_at == T0
    assert first.data[0].ingest_aliases == ["alias-0"]
    assert first.data[0].external_id == "alias-0"


async def test_customer_list_filters(client: AsyncMetronome, empty_backend: RunningBackend) -> None:
    ids = store_customers(empty_backend, 5)

    by_alias = await client.v1.customers.list(ingest_alias="alias-3")
    by_ids = await client.v1.customers.list(customer_ids=[ids[4], ids[1]])

    assert [c.id for c in by_alias.data] == [ids[3]]
    assert [c.id for c in by_ids.data] == [ids[1], ids[4]]


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"next_page": "not-ours"}])
async def test_customer_list_rejects_bad_paging(
    client: AsyncMetronome, params: dict[str, object]
) -> None:
    with pytest.raises(metronome.BadRequestError) as caught:
        await client.v1.customers.list(**params)  # type: ignore[arg-type]
    assert caught.value.status_code == 400
    assert isinstance(caught.value.body, dict) and caught.value.body["message"]


async def test_create_customer_with_stripe_configuration(client: AsyncMetronome) -> None:
    created = await client.v1.customers.create(
        name="Acme Corp",
        ingest_aliases=["acme"],
        custom_fields={"segment": "growth"},
        customer_billing_provider_configurations=[
            {
                "billing_provider": "stripe",
                "delivery_method": "direct_to_billing_provider",
                "configuration": STRIPE,
            }
        ],
    )
    fetched = await client.v1.customers.retrieve(customer_id=created.data.id)
    configs = await client.v1.customers.retrieve_billing_configurations(customer_id=created.data.id)

    assert (created.data.name, created.data.ingest_aliases) == ("Acme Corp", ["acme"])
    assert created.data.external_id == "acme"
    assert fetched.data.custom_fields == {"segment": "growth"}
    assert fetched.data.created_at == datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert len(configs.data) == 1
    config = configs.data[0]
    assert (config.customer_id, config.billing_provider, config.delivery_method) == (
        created.data.id,
        "stripe",
        "direct_to_billing_provider",
    )
    assert config.configuration == STRIPE
    assert config.archived_at is None


async def test_taken_ingest_alias_is_409_and_creates_nothing(client: AsyncMetronome) -> None:
    await client.v1.customers.create(name="First", ingest_aliases=["shared"])

    with pytest.raises(metronome.ConflictError) as caught:
        await client.v1.customers.create(name="Second", ingest_aliases=["fresh", "shared"])

    assert caught.value.status_code == 409
    assert "shared" in caught.value.body["message"]  # type: ignore[index]
    names = [c.name async for c in client.v1.customers.list()]
    assert names == ["First"]


async def test_create_customer_rejects_a_stripe_configuration_without_customer(
    client: AsyncMetronome,
) -> None:
    with pytest.raises(metronome.BadRequestError) as caught:
        await client.v1.customers.create(
            name="Acme",
            customer_billing_provider_configurations=[
                {
                    "billing_provider": "stripe",
                    "delivery_method": "direct_to_billing_provider",
                    "configuration": {},
                }
            ],
        )
    assert caught.value.body == {
        "message": "customer_billing_provider_configurations.0: "
        "configuration.stripe_customer_id is required "
        "for stripe"
    }


async def test_unknown_customer_is_404(client: AsyncMetronome) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(metronome.NotFoundError):
        await client.v1.customers.retrieve(customer_id=missing)
    with pytest.raises(metronome.NotFoundError):
        await client.v1.customers.retrieve_billing_configurations(customer_id=missing)
    with pytest.raises(metronome.NotFoundError):
        await client.v1.customers.invoices.list(customer_id=missing)


async def test_set_billing_configurations_and_archived_ones(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    (customer_id,) = store_customers(empty_backend, 1)
    with empty_backend.db.transaction() as conn:
        old = insert_billing_configuration(
            conn,
            customer_id=customer_id,
            billing_provider="stripe",
            delivery_method="direct_to_billing_provider",
            configuration={**STRIPE, "stripe_customer_id": "cus_Old00000000001"},
            created_at=T0,
            archived_at=T0 + timedelta(days=30),
        )

    created = await client.v1.customers.set_billing_configurations(
        data=[
            {
                "customer_id": customer_id,
                "billing_provider": "stripe",
                "delivery_method": "direct_to_billing_provider",
                "configuration": STRIPE,
            }
        ]
    )
    live = await client.v1.customers.retrieve_billing_configurations(customer_id=customer_id)
    every = await client.v1.customers.retrieve_billing_configurations(
        customer_id=customer_id, include_archived=True
    )

    assert [c.id for c in live.data] == [created.data[0].id]
    assert created.data[0].configuration == STRIPE
    assert [c.id for c in every.data] == [old["id"], created.data[0].id]
    assert every.data[0].archived_at == T0 + timedelta(days=30)
    assert every.data[0].configuration["stripe_customer_id"] == "cus_Old00000000001"


async def test_set_billing_configurations_for_unknown_customer_is_400(
    client: AsyncMetronome,
) -> None:
    with pytest.raises(metronome.BadRequestError) as caught:
        await client.v1.customers.set_billing_configurations(
            data=[
                {
                    "customer_id": "00000000-0000-4000-8000-000000000000",
                    "billing_provider": "stripe",
                    "delivery_method": "direct_to_billing_provider",
                    "configuration": STRIPE,
                }
            ]
        )
    assert caught.value.body == {
        "message": "customer_id: unknown customer 00000000-0000-4000-8000-000000000000"
    }


def store_invoices(backend: RunningBackend, customer_id: str) -> dict[str, str]:
    """Monthly invoices for 2026-01..2026-06: FINALIZED, except March VOID and June DRAFT."""
    statuses = {3: "VOID", 6: "DRAFT"}
    ids: dict[str, str] = {}
    with backend.db.transaction() as conn:
        product = insert_product(
            conn, product_id=None, name="API calls", type="USAGE", tags=["api"], created_at=T0
        )
        for month in range(1, 7):
            start, end = (
                datetime(2026, month, 1, tzinfo=UTC),
                datetime(2026, month + 1, 1, tzinfo=UTC),
            )
            status = statuses.get(month, "FINALIZED")
            invoice = insert_invoice(
                conn,
                customer_id=customer_id,
                invoice_id=None,
                status=status,
                start_timestamp=start,
                end_timestamp=end,
                contract_id=None,
                issued_at=None if status == "DRAFT" else end + timedelta(hours=3),
                line_items=[
                    LineItemSpec("API calls", product["id"], 1000 * month, 4 * month, 250),
                    LineItemSpec("Support", None, 500),
                ],
            )
            ids[f"2026-{month:02d}"] = invoice["id"]
    return ids


async def test_invoices_filter_by_status_and_period(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    (customer_id,) = store_customers(empty_backend, 1)
    ids = store_invoices(empty_backend, customer_id)

    finalized = [
        i
        async for i in client.v1.customers.invoices.list(
            customer_id=customer_id, status="FINALIZED", limit=2
        )
    ]
    spring = await client.v1.customers.invoices.list(
        customer_id=customer_id,
        starting_on=datetime(2026, 2, 1, tzinfo=UTC),
        ending_before=datetime(2026, 6, 1, tzinfo=UTC),
    )
    newest_first = await client.v1.customers.invoices.list(
        customer_id=customer_id, sort="date_desc", limit=2
    )

    assert [i.id for i in finalized] == [
        ids[m] for m in ("2026-01", "2026-02", "2026-04", "2026-05")
    ]
    assert [i.total for i in finalized] == [1500, 2500, 4500, 5500]
    # May ends on 1 June, which is not before `ending_before`.
    assert [i.id for i in spring.data] == [ids["2026-02"], ids["2026-03"], ids["2026-04"]]
    assert [i.status for i in spring.data] == ["FINALIZED", "VOID", "FINALIZED"]
    assert [i.id for i in newest_first.data] == [ids["2026-06"], ids["2026-05"]]
    assert newest_first.next_page is not None


async def test_invoice_document_shape(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    (customer_id,) = store_customers(empty_backend, 1)
    ids = store_invoices(empty_backend, customer_id)

    page = await client.v1.customers.invoices.list(customer_id=customer_id, limit=1)
    invoice = page.data[0]

    assert invoice.id == ids["2026-01"]
    assert (invoice.customer_id, invoice.status, invoice.type) == (
        customer_id,
        "FINALIZED",
        "USAGE",
    )
    assert invoice.credit_type.id == "2714e483-4ff1-48e4-9e25-ac732e8f24f2"
    assert (invoice.start_timestamp, invoice.end_timestamp) == (
        T0,
        datetime(2026, 2, 1, tzinfo=UTC),
    )
    assert invoice.issued_at == datetime(2026, 2, 1, 3, tzinfo=UTC)
    usage, support = invoice.line_items
    assert (usage.name, usage.total, usage.quantity, usage.unit_price) == (
        "API calls",
        1000,
        4,
        250,
    )
    assert (usage.type, usage.product_tags) == ("usage", ["api"])
    assert (support.name, support.total, support.product_id) == ("Support", 500, None)


async def test_documents_carry_the_fields_the_published_schema_requires(
    client: AsyncMetronome, empty_backend: RunningBackend
) -> None:
    created = await client.v1.customers.create(
        name="Acme Corp",
        customer_billing_provider_configurations=[
            {
                "billing_provider": "stripe",
                "delivery_method": "direct_to_billing_provider",
                "configuration": STRIPE,
            }
        ],
    )
    auth = {"Authorization": f"Bearer {TEST_TOKEN}"}
    async with httpx.AsyncClient(
        base_url=empty_backend.metronome_url, headers=auth, timeout=None
    ) as http:
        customer = (await http.get(f"/v1/customers/{created.data.id}")).json()["data"]
        listed = (await http.get("/v1/customers")).json()["data"]
        configs = await http.post(
            "/v1/getCustomerBillingProviderConfigurations", json={"customer_id": created.data.id}
        )

    assert customer["customer_config"] == {"salesforce_account_id": None}
    assert listed[0]["customer_config"] == {"salesforce_account_id": None}
    assert [config["archived_at"] for config in configs.json()["data"]] == [None]


def test_an_older_data_file_is_upgraded_to_the_required_fields(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(SCHEMA)
    old.execute(
        "INSERT INTO customers (id, name, created_at, doc) VALUES ('c1', 'Old', 't', ?)",
        (json.dumps({"id": "c1", "customer_config": {}}),),
    )
    old.execute(
        "INSERT INTO billing_configurations (id, customer_id, billing_provider, archived_at, doc) "
        "VALUES ('b1', 'c1', 'stripe', NULL, '{\"id\": \"b1\"}'), "
        "('b2', 'c1', 'stripe', '2026-01-01T00:00:00.000Z', '{\"id\": \"b2\"}')"
    )
    old.commit()
    old.close()

    db = Database(path)
    try:
        customers = db.docs("SELECT doc FROM customers")
        configs = db.docs("SELECT doc FROM billing_configurations ORDER BY id")
    finally:
        db.close()

    assert customers == [{"id": "c1", "customer_config": {"salesforce_account_id": None}}]
    assert configs == [
        {"id": "b1", "archived_at": None},
        {"id": "b2", "archived_at": "2026-01-01T00:00:00.000Z"},
    ]

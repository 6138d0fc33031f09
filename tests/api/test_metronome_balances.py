"""Balances, ledgers and invoice line items of the seeded showcase customer, read through
metronome-sdk in strict mode over HTTP; every expected figure is computed here from the data
file with SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from metronome import AsyncMetronome

from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TOKEN

NOW = "2026-11-24T12:00:00.000Z"


@pytest.fixture
async def sdk(backend: RunningBackend) -> AsyncIterator[AsyncMetronome]:
    async with AsyncMetronome(
        bearer_token=TEST_TOKEN,
        base_url=backend.metronome_url,
        _strict_response_validation=True,
        max_retries=0,
    ) as client:
        yield client


@pytest.fixture
def db(data_file: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{data_file}?mode=ro", uri=True)
    yield conn
    conn.close()


def showcase_customer(db: sqlite3.Connection) -> str:
    (customer_id,) = db.execute(
        "SELECT customer_id FROM contracts, json_each(doc, '$.credits') AS credit "
        "WHERE json_extract(credit.value, '$.name') = 'Launch promotion'"
    ).fetchone()
    return str(customer_id)


def grants(db: sqlite3.Connection, customer_id: str) -> dict[str, dict[str, Any]]:
    """Each commit and credit of the customer by name: granted, drawn by FINALIZED invoices,
    and its single segment's dates."""
    found: dict[str, dict[str, Any]] = {}
    for kind in ("commits", "credits"):
        rows = db.execute(
            f"SELECT grant.value FROM contracts, json_each(doc, '$.{kind}') AS grant "
            "WHERE customer_id = ?",
            (customer_id,),
        )
        for (text,) in rows:
            grant = json.loads(text)
            (segment,) = grant["access_schedule"]["schedule_items"]
            (drawn,) = db.execute(
                "SELECT COALESCE(-SUM(json_extract(item.value, '$.total')), 0) "
                "FROM invoices, json_each(invoices.doc, '$.line_items') AS item "
                "WHERE status = 'FINALIZED' AND customer_id = ? "
                "AND json_extract(item.value, '$.applied_commit_or_credit.id') = ?",
                (customer_id, grant["id"]),
            ).fetchone()
            found[grant["name"]] = {"id": grant["id"], "segment": segment, "drawn": drawn}
    return found


async def test_contract_commits_and_credits_carry_balances_and_ledgers(
    sdk: AsyncMetronome, db: sqlite3.Connection
) -> None:
    customer_id = showcase_customer(db)
    expected = grants(db, customer_id)
    contracts = [
        c
        async for c in sdk.v2.contracts.list(
            customer_id=customer_id, include_balance=True, include_ledgers=True
        )
    ]
    shown = {g.name: g for c in contracts for g in [*(c.commits or []), *(c.credits or [])]}
    assert set(shown) == {"Annual prepaid commitment", "Onboarding credit", "Launch promotion"}

    commit = expected["Annual prepaid commitment"]
    assert 0 < commit["drawn"] < commit["segment"]["amount"]  # partly used, still in force
    assert commit["segment"]["ending_before"] > NOW
    assert (
        shown["Annual prepaid commitment"].balance == commit["segment"]["amount"] - commit["drawn"]
    )

    onboarding = expected["Onboarding credit"]
    assert onboarding["drawn"] == onboarding["segment"]["amount"]  # fully used
    assert onboarding["segment"]["ending_before"] > NOW
    assert shown["Onboarding credit"].balance == 0

    promotion = expected["Launch promotion"]
    assert promotion["segment"]["ending_before"] < NOW
    remainder = promotion["segment"]["amount"] - promotion["drawn"]
    assert remainder > 0
    ledger = shown["Launch promotion"].ledger or []
    assert shown["Launch promotion"].balance == 0
    assert ledger[0].type == "CREDIT_SEGMENT_START"
    assert ledger[0].amount == promotion["segment"]["amount"]
    assert ledger[-1].type == "CREDIT_EXPIRATION"
    assert ledger[-1].amount == -remainder
    deductions = [e for e in ledger if e.type == "CREDIT_AUTOMATED_INVOICE_DEDUCTION"]
    assert -sum(e.amount for e in deductions) == promotion["drawn"]

    commit_ledger = shown["Annual prepaid commitment"].ledger or []
    assert sum(e.amount for e in commit_ledger) == commit["segment"]["amount"] - commit["drawn"]


async def test_contracts_without_the_flags_carry_neither(
    sdk: AsyncMetronome, db: sqlite3.Connection
) -> None:
    customer_id = showcase_customer(db)
    (contract,) = [c async for c in sdk.v2.contracts.list(customer_id=customer_id)]
    assert [(g.balance, g.ledger) for g in contract.commits or []] == [(None, None)]


async def test_customer_balances_list_pages_every_contract_grant(
    sdk: AsyncMetronome, db: sqlite3.Connection
) -> None:
    customer_id = showcase_customer(db)
    expected = grants(db, customer_id)
    page = await sdk.v1.contracts.list_balances(
        customer_id=customer_id, include_contract_balances=True, include_balance=True, limit=2
    )
    assert len(page.data) == 2 and page.next_page is not None
    listed = [
        g
        async for g in sdk.v1.contracts.list_balances(
            customer_id=customer_id, include_contract_balances=True, include_balance=True
        )
    ]
    balances = {g.name: g.balance for g in listed}
    assert balances == {
        name: (grant["segment"]["amount"] - grant["drawn"])
        if grant["segment"]["ending_before"] > NOW
        else 0
        for name, grant in expected.items()
    }
    # Only what is left is listed with exclude_zero_balances; nothing without contract ones.
    nonzero = await sdk.v1.contracts.list_balances(
        customer_id=customer_id, include_contract_balances=True, exclude_zero_balances=True
    )
    assert [g.name for g in nonzero.data] == ["Annual prepaid commitment"]
    assert nonzero.data[0].balance is None
    bare = await sdk.v1.contracts.list_balances(customer_id=customer_id)
    assert bare.data == []
    covering = await sdk.v1.contracts.list_balances(
        customer_id=customer_id, include_contract_balances=True, covering_date=NOW
    )
    assert {g.name for g in covering.data} == {"Annual prepaid commitment", "Onboarding credit"}
    one = await sdk.v1.contracts.list_balances(
        customer_id=customer_id,
        include_contract_balances=True,
        id=expected["Launch promotion"]["id"],
        include_ledgers=True,
    )
    assert [g.name for g in one.data] == ["Launch promotion"]


async def test_invoice_line_items_show_quantities_products_and_applied_grants(
    sdk: AsyncMetronome, db: sqlite3.Connection
) -> None:
    customer_id = showcase_customer(db)
    invoice_id, contract_id, text = db.execute(
        "SELECT id, json_extract(doc, '$.contract_id'), doc FROM invoices "
        "WHERE customer_id = ? AND status = 'FINALIZED' ORDER BY end_timestamp DESC LIMIT 1",
        (customer_id,),
    ).fetchone()
    stored = json.loads(text)
    retrieved = await sdk.v1.customers.invoices.retrieve(
        customer_id=customer_id, invoice_id=invoice_id
    )
    invoice = retrieved.data
    assert invoice.contract_id == contract_id
    assert invoice.total == sum(item["total"] for item in stored["line_items"])
    usage = [i for i in invoice.line_items if i.type == "usage"]
    assert usage and all(i.product_type == "UsageProductListItem" for i in usage)
    assert all(round((i.quantity or 0) * (i.unit_price or 0)) == i.total for i in usage)
    applied = [i for i in invoice.line_items if i.type == "applied_commit_or_credit"]
    commit_id = grants(db, customer_id)["Annual prepaid commitment"]["id"]
    assert {(i.commit_id, i.applied_commit_or_credit.id if i.applied_commit_or_credit else None)
            for i in applied} == {(commit_id, commit_id)}  # fmt: skip
    # The commit covers the usage charges exactly; the subscriptions are left to pay.
    assert sum(i.total for i in applied) == -sum(i.total for i in usage)
    fees = sum(i.total for i in invoice.line_items if i.type == "subscription")
    assert invoice.total == fees > 0
    listed = [i async for i in sdk.v1.customers.invoices.list(customer_id=customer_id)]
    assert [i for i in listed if i.id == invoice_id] == [invoice]

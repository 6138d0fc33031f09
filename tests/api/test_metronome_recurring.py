"""The commits and credits recurring ones create, period by period, with their balances: a
hand-built contract read through metronome-sdk in strict mode over HTTP, exact figures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from metronome import AsyncMetronome
from metronome.types.shared.contract_v2 import Commit, ContractV2, Credit

from metro_tui.api.contract_terms import contract_terms_from_sdk
from metro_tui.local.metronome.store import AppliedGrant, LineItemSpec, insert_invoice
from metro_tui.local.server import RunningBackend
from metro_tui.services.contract_terms import balance_text
from tests.api.catalog import USD, Catalog

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)  # the backend's today, at noon


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T00:00:00+00:00")


def contract_body(c: Catalog) -> dict[str, Any]:
    """$500.00 a month from Aug 1 (the customer pays $450.00 for each), and $31.00 a month
    from Jun 10 to Aug 25 on the usage statements' monthly cadence (no frequency of its own),
    each grant usable for two periods, the first and the last prorated."""
    return {
        "customer_id": c.customer,
        "rate_card_id": c.rate_card,
        "starting_at": "2026-06-01T00:00:00Z",
        "usage_statement_schedule": {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"},
        "recurring_commits": [
            {
                "product_id": c.prepaid,
                "name": "Monthly commitment",
                "priority": 1,
                "starting_at": "2026-08-01T00:00:00Z",
                "recurrence_frequency": "MONTHLY",
                "access_amount": {"credit_type_id": USD, "unit_price": 50_000, "quantity": 1},
                "invoice_amount": {"credit_type_id": USD, "unit_price": 45_000, "quantity": 1},
                "commit_duration": {"value": 1, "unit": "PERIODS"},
            }
        ],
        "recurring_credits": [
            {
                "product_id": c.promo,
                "name": "Summer promo",
                "priority": 2,
                "starting_at": "2026-06-10T00:00:00Z",
                "ending_before": "2026-08-25T00:00:00Z",
                "access_amount": {"unit_price": 3_100},
                "commit_duration": {"value": 2},
            }
        ],
    }


Grant = Commit | Credit
Applied = tuple[str, tuple[str, str], list[tuple[Grant, int]]]


def segment_of(grant: Grant) -> tuple[str, str]:
    assert grant.access_schedule is not None
    (segment,) = grant.access_schedule.schedule_items
    return grant.id, segment.id


def store_invoices(
    backend: RunningBackend, c: Catalog, contract: ContractV2, applied: list[Applied]
) -> None:
    """Invoices applying the created grants: (status, period, [(grant, cents)])."""
    with backend.db.transaction() as conn:
        for status, (start, end), draws in applied:
            items = []
            for grant, cents in draws:
                grant_id, segment_id = segment_of(grant)
                kind = "CREDIT" if grant.type == "CREDIT" else "PREPAID"
                name = grant.name or ""
                items += [
                    LineItemSpec("API calls", c.api, cents, cents / 300, 300),
                    LineItemSpec(
                        name, c.api, -cents, applied=AppliedGrant(grant_id, kind, segment_id)
                    ),
                ]
            insert_invoice(
                conn,
                customer_id=c.customer,
                invoice_id=None,
                status=status,
                start_timestamp=at(start),
                end_timestamp=at(end),
                line_items=items,
                contract_id=contract.id,
                issued_at=None if status == "DRAFT" else at(end),
            )


async def created_contract(client: AsyncMetronome, catalog: Catalog) -> ContractV2:
    await client.v1.contracts.create(**contract_body(catalog))
    (contract,) = [c async for c in client.v2.contracts.list(customer_id=catalog.customer)]
    return contract


async def test_each_started_period_is_a_commit_or_credit_of_its_own(
    client: AsyncMetronome, catalog: Catalog
) -> None:
    contract = await created_contract(client, catalog)
    (monthly,) = contract.recurring_commits or []
    (promo,) = contract.recurring_credits or []

    # Aug to Nov have started by Nov 24; Dec has not.
    assert [
        (
            c.type,
            c.name,
            c.product.id,
            c.priority,
            c.recurring_commit_id,
            c.created_at,
            c.created_by,
        )
        for c in contract.commits
    ] == [
        ("PREPAID", "Monthly commitment", catalog.prepaid, 1, monthly.id, at(f"2026-{m}-01"), None)
        for m in ("08", "09", "10", "11")
    ]
    assert [
        [(i.amount, i.starting_at, i.ending_before) for i in c.access_schedule.schedule_items]
        for c in contract.commits
        if c.access_schedule is not None
    ] == [
        [(50_000, at("2026-08-01"), at("2026-09-01"))],
        [(50_000, at("2026-09-01"), at("2026-10-01"))],
        [(50_000, at("2026-10-01"), at("2026-11-01"))],
        [(50_000, at("2026-11-01"), at("2026-12-01"))],
    ]
    assert [
        [
            (i.amount, i.quantity, i.unit_price, i.timestamp)
            for i in c.invoice_schedule.schedule_items
        ]
        for c in contract.commits
        if c.invoice_schedule is not None
    ] == [[(45_000, 1, 45_000, at(f"2026-{m}-01"))] for m in ("08", "09", "10", "11")]

    # With no frequency of its own the credit follows the usage statements, which start on
    # the first of each month: its first period, Jun 10 to Jul 1 (21 of June's 30 days),
    # grants 21/30 of $31.00, and the last, cut short at Aug 25 (24 of August's 31 days),
    # 24/31. Each credit lasts two periods, never past the recurrence's end.
    assert (promo.recurrence_frequency, promo.anchor_date) == (None, at("2026-06-01"))
    credits = contract.credits or []
    assert [(c.type, c.name, c.recurring_credit_id, c.created_at) for c in credits] == [
        ("CREDIT", "Summer promo", promo.id, at(day))
        for day in ("2026-06-10", "2026-07-01", "2026-08-01")
    ]
    assert [
        [(i.amount, i.starting_at, i.ending_before) for i in c.access_schedule.schedule_items]
        for c in credits
        if c.access_schedule is not None
    ] == [
        [(2_170, at("2026-06-10"), at("2026-08-01"))],
        [(3_100, at("2026-07-01"), at("2026-08-25"))],
        [(2_400, at("2026-08-01"), at("2026-08-25"))],
    ]
    # Every read names the same grants.
    again = (
        await client.v2.contracts.retrieve(customer_id=catalog.customer, contract_id=contract.id)
    ).data
    assert again.model_dump() == contract.model_dump()


async def test_created_grants_are_drawn_down_by_finalized_invoices_only(
    client: AsyncMetronome, catalog: Catalog, empty_backend: RunningBackend
) -> None:
    contract = await created_contract(client, catalog)
    august, september, _, november = contract.commits
    _, july_promo, _ = contract.credits or []
    store_invoices(
        empty_backend,
        catalog,
        contract,
        [
            ("FINALIZED", ("2026-08-01", "2026-09-01"), [(august, 30_000), (july_promo, 2_000)]),
            ("FINALIZED", ("2026-09-01", "2026-10-01"), [(september, 50_000)]),
            ("FINALIZED", ("2026-11-01", "2026-11-15"), [(november, 12_345)]),
            ("DRAFT", ("2026-11-15", "2026-12-01"), [(november, 5_000)]),
        ],
    )
    (shown,) = [
        c
        async for c in client.v2.contracts.list(
            customer_id=catalog.customer, include_balance=True, include_ledgers=True
        )
    ]
    # Only November's commit is in force now; the others and every credit have ended.
    assert [c.balance for c in shown.commits] == [0, 0, 0, 50_000 - 12_345]
    assert [c.balance for c in shown.credits or []] == [0, 0, 0]
    assert [(e.type, e.timestamp, e.amount) for e in shown.commits[0].ledger or []] == [
        ("PREPAID_COMMIT_SEGMENT_START", at("2026-08-01"), 50_000),
        ("PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION", at("2026-08-01"), -30_000),
        ("PREPAID_COMMIT_EXPIRATION", at("2026-09-01"), -20_000),
    ]
    assert [(e.type, e.timestamp, e.amount) for e in (shown.credits or [])[1].ledger or []] == [
        ("CREDIT_SEGMENT_START", at("2026-07-01"), 3_100),
        ("CREDIT_AUTOMATED_INVOICE_DEDUCTION", at("2026-08-01"), -2_000),
        ("CREDIT_EXPIRATION", at("2026-08-25"), -1_100),
    ]

    listed = [
        (g.id, g.balance)
        async for g in client.v1.contracts.list_balances(
            customer_id=catalog.customer,
            include_contract_balances=True,
            include_balance=True,
            covering_date=NOW,
        )
    ]
    assert listed == [(november.id, 37_655)]

    # The page says what is left of this period's grant, and that the promotion is over.
    terms = contract_terms_from_sdk(shown, NOW)
    assert [(g.name, balance_text(g, NOW)) for g in terms.grants] == [
        ("Monthly commitment", "$376.55 left of this period's $500.00"),
        ("Summer promo", "Expired"),
    ]

"""A customer's commits and credits with their balances and ledgers: the `include_balance` and
`include_ledgers` flags of the contract reads, and `v1/contracts/customerBalances/list`.

Balances are computed at read time from the invoices stored so far (`balances`), since they
move with time and with every invoice finalized.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request

from metro_tui.local.clock import iso
from metro_tui.local.db import Database
from metro_tui.local.metronome.balances import Drawdown, grant_standing
from metro_tui.local.metronome.pages import slice_page
from metro_tui.local.metronome.records import backend_db, backend_now, require_customer
from metro_tui.local.metronome.recurring import with_recurring_grants
from metro_tui.local.metronome.schemas import CustomerBalancesQuery

router = APIRouter()

GRANT_LISTS = ("commits", "credits")
APPLIED = "applied_commit_or_credit"


def customer_drawdowns(db: Database, customer_id: str) -> dict[str, list[Drawdown]]:
    """What the customer's FINALIZED invoices applied from each commit or credit, by its id:
    one drawdown per invoice and segment, however many products' charges it covered."""
    rows = db.query(
        "SELECT invoices.id AS invoice_id, invoices.start_timestamp AS start, "
        "json_extract(item.value, '$.applied_commit_or_credit.id') AS grant_id, "
        "json_extract(item.value, '$.commit_segment_id') AS segment_id, "
        "SUM(json_extract(item.value, '$.total')) AS total "
        "FROM invoices, json_each(invoices.doc, '$.line_items') AS item "
        "WHERE invoices.customer_id = ? AND invoices.status = 'FINALIZED' "
        "AND json_extract(item.value, '$.type') = ? "
        "GROUP BY invoices.id, grant_id, segment_id",
        (customer_id, APPLIED),
    )
    drawn: dict[str, list[Drawdown]] = defaultdict(list)
    for row in rows:
        drawn[row["grant_id"]].append(
            Drawdown(
                grant_id=row["grant_id"],
                segment_id=row["segment_id"],
                invoice_id=row["invoice_id"],
                timestamp=datetime.fromisoformat(row["start"]),
                amount=-row["total"],
            )
        )
    return drawn


def with_standing(
    contract: dict[str, Any],
    drawdowns: dict[str, list[Drawdown]],
    now: datetime,
    *,
    include_balance: bool,
    include_ledgers: bool,
) -> dict[str, Any]:
    """The contract with each commit and credit carrying its `balance` and/or `ledger`."""
    if not (include_balance or include_ledgers):
        return contract
    standing = {
        key: [
            _grant_with_standing(grant, drawdowns, now, include_balance, include_ledgers)
            for grant in contract.get(key, [])
        ]
        for key in GRANT_LISTS
    }
    return {**contract, **standing}


def _grant_with_standing(
    grant: dict[str, Any],
    drawdowns: dict[str, list[Drawdown]],
    now: datetime,
    include_balance: bool,
    include_ledgers: bool,
) -> dict[str, Any]:
    standing = grant_standing(grant, drawdowns.get(grant["id"], []), now)
    shown = dict(grant)
    if include_balance:
        shown["balance"] = standing.balance
    if include_ledgers:
        shown["ledger"] = standing.ledger
    return shown


@router.post("/v1/contracts/customerBalances/list")
def list_customer_balances(request: Request, body: CustomerBalancesQuery) -> dict[str, Any]:
    """The customer's commits and credits, contract by contract in the order they start.

    Every grant here belongs to a contract (this backend keeps no customer-level commits), so
    they are listed only with `include_contract_balances`, as Metronome lists them.
    """
    db = backend_db(request)
    require_customer(db, body.customer_id)
    now = backend_now(request)
    grants: list[dict[str, Any]] = []
    if body.include_contract_balances:
        drawdowns = customer_drawdowns(db, body.customer_id)
        for contract in _contracts(db, body.customer_id, body.include_archived):
            shown = with_standing(
                with_recurring_grants(contract, now),
                drawdowns,
                now,
                include_balance=body.include_balance or body.exclude_zero_balances,
                include_ledgers=body.include_ledgers,
            )
            grants += [grant for grant in _grants(shown) if _selected(grant, body)]
    if body.exclude_zero_balances:
        grants = [grant for grant in grants if grant["balance"] != 0]
        if not body.include_balance:
            grants = [{k: v for k, v in grant.items() if k != "balance"} for grant in grants]
    page = slice_page(grants, limit=body.limit, cursor=body.next_page, param="next_page")
    return {"data": page.docs, "next_page": page.next_cursor}


def _contracts(db: Database, customer_id: str, include_archived: bool) -> list[dict[str, Any]]:
    live = "" if include_archived else " AND archived_at IS NULL"
    return db.docs(
        f"SELECT doc FROM contracts WHERE customer_id = ?{live} ORDER BY starting_at, seq",
        (customer_id,),
    )


def _grants(contract: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in GRANT_LISTS:
        yield from contract.get(key, [])


def _selected(grant: dict[str, Any], query: CustomerBalancesQuery) -> bool:
    """The documented filters: an id, and dates the access schedule must reach."""
    if query.id is not None and grant["id"] != query.id:
        return False
    segments = grant.get("access_schedule", {}).get("schedule_items", [])
    if query.covering_date is not None:
        moment = iso(query.covering_date)
        if not any(s["starting_at"] <= moment < s["ending_before"] for s in segments):
            return False
    if query.starting_at is not None:
        moment = iso(query.starting_at)
        if not any(s["ending_before"] > moment for s in segments):
            return False
    if query.effective_before is not None:
        moment = iso(query.effective_before)
        if not any(s["starting_at"] < moment for s in segments):
            return False
    return True

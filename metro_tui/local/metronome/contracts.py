"""Contracts: create (v1), list and get (v2), and a contract's rate schedule."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request

from metro_tui.local.clock import iso
from metro_tui.local.db import Database
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.balances import Drawdown
from metro_tui.local.metronome.contract_store import insert_contract
from metro_tui.local.metronome.customer_balances import customer_drawdowns, with_standing
from metro_tui.local.metronome.pages import fetch_page, slice_page
from metro_tui.local.metronome.periods import period_boundary
from metro_tui.local.metronome.rates import contract_rate_schedule, rate_card_rates, select_rates
from metro_tui.local.metronome.records import backend_db, backend_now, require_customer
from metro_tui.local.metronome.recurring import with_recurring_grants
from metro_tui.local.metronome.schemas import ContractGet, ContractList, ContractRateScheduleQuery

router = APIRouter()

# The v2 reads name each 400 with a `code`; the document lists the not-found ones, and
# "BadRequest" is Metronome's code for a malformed request elsewhere in the v2 API.
V2_ERROR_CODES = {
    "/v2/contracts/list": {"customer_id": "CustomerNotFound"},
    "/v2/contracts/get": {"customer_id": "CustomerNotFound", "contract_id": "ContractNotFound"},
}
MALFORMED = "BadRequest"


def validation_error_code(path: str, field: str | None, missing: bool) -> str | None:
    """The `code` of a 400 for a malformed request to `path` (None where none is given): an
    id that is missing or not an id names a record that cannot be found."""
    codes = V2_ERROR_CODES.get(path)
    if codes is None:
        return None
    if field is None and missing:  # no body at all: the request names no customer
        return codes["customer_id"]
    return codes.get(field or "", MALFORMED)


@router.post("/v1/contracts/create")
def create_contract(request: Request, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    with backend_db(request).transaction() as conn:
        contract = insert_contract(conn, body=body, created_at=backend_now(request))
    return {"data": {"id": contract["id"]}}


@router.post("/v2/contracts/list")
def list_contracts(request: Request, body: ContractList) -> dict[str, Any]:
    """A customer's contracts in chronological order, paged by a `cursor` in the body."""
    db = backend_db(request)
    _require_customer_v2(db, body.customer_id)
    where = ["customer_id = ?"]
    params: list[Any] = [body.customer_id]
    if not body.include_archived:
        where.append("archived_at IS NULL")
    if body.starting_at is not None:
        where.append("starting_at >= ?")
        params.append(iso(body.starting_at))
    if body.covering_date is not None:
        where.append("starting_at <= ? AND (ending_before IS NULL OR ending_before > ?)")
        params += [iso(body.covering_date)] * 2
    page = fetch_page(
        db,
        table="contracts",
        where=" AND ".join(where),
        params=params,
        limit=int(body.limit),
        cursor=body.cursor,
        param="cursor",
        sort_key="starting_at",
    )
    now = backend_now(request)
    drawdowns = _drawdowns_if_asked(db, body)
    return {
        "data": [
            with_standing(
                as_read_at(doc, now),
                drawdowns,
                now,
                include_balance=body.include_balance,
                include_ledgers=body.include_ledgers,
            )
            for doc in page.docs
        ],
        "cursor": page.next_cursor,
    }


@router.post("/v2/contracts/get")
def get_contract(request: Request, body: ContractGet) -> dict[str, Any]:
    db = backend_db(request)
    _require_customer_v2(db, body.customer_id)
    contract = _find_contract(db, body.customer_id, body.contract_id)
    if contract is None:
        raise ApiError(400, f"contract {body.contract_id} not found", code="ContractNotFound")
    now = backend_now(request)
    standing = with_standing(
        as_read_at(contract, now),
        _drawdowns_if_asked(db, body),
        now,
        include_balance=body.include_balance,
        include_ledgers=body.include_ledgers,
    )
    return {"data": standing}


@router.post("/v1/contracts/getContractRateSchedule")
def get_contract_rate_schedule(
    request: Request,
    body: ContractRateScheduleQuery,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
    next_page: str | None = None,
) -> dict[str, Any]:
    db = backend_db(request)
    contract = _require_contract(db, body.customer_id, body.contract_id)
    at = body.at or backend_now(request)
    schedule: list[dict[str, Any]] = []
    if contract.get("rate_card_id"):
        rates = select_rates(rate_card_rates(db, contract["rate_card_id"], at), body.selectors)
        schedule = contract_rate_schedule(contract, rates, at)
    page = slice_page(schedule, limit=limit, cursor=next_page, param="next_page")
    return {"data": page.docs, "next_page": page.next_cursor}


def _drawdowns_if_asked(
    db: Database, body: ContractList | ContractGet
) -> dict[str, list[Drawdown]]:
    """The customer's drawdowns, read only when a balance or a ledger is asked for."""
    if not (body.include_balance or body.include_ledgers):
        return {}
    return customer_drawdowns(db, body.customer_id)


def _require_contract(db: Database, customer_id: str, contract_id: str) -> dict[str, Any]:
    require_customer(db, customer_id)
    contract = _find_contract(db, customer_id, contract_id)
    if contract is None:
        raise ApiError(404, f"contract {contract_id} not found")
    return contract


def _require_customer_v2(db: Database, customer_id: str) -> None:
    """The v2 contract endpoints answer an unknown customer with a 400 naming the error
    (`CustomerNotFound`), where v1 answers 404; both as Metronome's document says."""
    if not db.query_one("SELECT 1 FROM customers WHERE id = ?", (customer_id,)):
        raise ApiError(400, f"customer {customer_id} not found", code="CustomerNotFound")


def _find_contract(db: Database, customer_id: str, contract_id: str) -> dict[str, Any] | None:
    docs = db.docs(
        "SELECT doc FROM contracts WHERE id = ? AND customer_id = ?", (contract_id, customer_id)
    )
    return docs[0] if docs else None


def as_read_at(contract: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The stored contract as a read at `now` returns it: with the grants its recurring
    commits and credits have created and its subscriptions' billing periods."""
    return with_billing_periods(with_recurring_grants(contract, now), now)


def with_billing_periods(contract: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The contract with each subscription's previous, current and next billing period as of
    `now`; they move with time, so they are computed at read time rather than stored."""
    subscriptions = [
        {**s, "billing_periods": _billing_periods(s, now)}
        for s in contract.get("subscriptions", [])
    ]
    return {**contract, "subscriptions": subscriptions}


def _billing_periods(subscription: dict[str, Any], now: datetime) -> dict[str, Any]:
    start = datetime.fromisoformat(subscription["starting_at"])
    end_text = subscription.get("ending_before")
    end = datetime.fromisoformat(end_text) if end_text else None
    frequency = subscription["subscription_rate"]["billing_frequency"]
    bounds = [start]
    # Walk period boundaries until the period after the one holding `now`.
    while len(bounds) < 3 or bounds[-2] <= now:
        following = period_boundary(start, frequency, len(bounds))
        if end is not None and following >= end:
            bounds.append(end)
            break
        bounds.append(following)
    periods = [
        {"starting_at": iso(a), "ending_before": iso(b)} for a, b in itertools.pairwise(bounds)
    ]
    current = next(
        (i for i, p in enumerate(periods) if p["starting_at"] <= iso(now) < p["ending_before"]),
        None,
    )
    if current is None:
        return {"next": periods[0]} if now < start else {}
    named = {"previous": current - 1, "current": current, "next": current + 1}
    return {name: periods[i] for name, i in named.items() if 0 <= i < len(periods)}

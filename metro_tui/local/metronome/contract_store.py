"""POST /v1/contracts/create: check a request as Metronome does, then store its contract
(`contract_doc` builds the document)."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from typing import Any

from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.contract_checks import check_references
from metro_tui.local.metronome.contract_doc import store_contract
from metro_tui.local.metronome.contract_schemas import ContractCreate
from metro_tui.local.metronome.records import load_doc
from metro_tui.local.metronome.schemas import parse_body


def insert_contract(
    conn: sqlite3.Connection,
    *,
    body: dict[str, Any],
    created_at: datetime,
    contract_id: str | None = None,
) -> dict[str, Any]:
    """Validate a create-contract body as the endpoint does and store the contract."""
    request = parse_body(ContractCreate, body)
    if load_doc(conn, "customers", request.customer_id) is None:
        raise ApiError(404, f"customer {request.customer_id} not found")
    if (
        request.uniqueness_key is not None
        and conn.execute(
            "SELECT 1 FROM contracts WHERE customer_id = ? AND uniqueness_key = ?",
            (request.customer_id, request.uniqueness_key),
        ).fetchone()
    ):
        raise ApiError(
            409,
            f"a contract with uniqueness_key {request.uniqueness_key!r} "
            "already exists for this customer",
        )
    check_references(conn, request)
    return store_contract(
        conn,
        request.model_dump(),
        contract_id=contract_id or str(uuid.uuid4()),
        created_at=created_at,
    )

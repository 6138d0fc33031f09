"""Usage events: ingest, search by transaction id, and the local daily counts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import TypeAdapter, ValidationError

from metro_tui.local.clock import iso
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.records import backend_db, backend_now
from metro_tui.local.metronome.schemas import EventSearch, UsageEvent, validation_message
from metro_tui.local.metronome.usage_store import UsageWriter, properties_json

router = APIRouter()

MAX_BATCH = 100
MAX_DAYS = 366
EVENT_BATCH = TypeAdapter(list[UsageEvent])


@router.post("/v1/ingest")
def ingest(
    request: Request,
    events: Annotated[list[dict[str, Any]], Body(min_length=1, max_length=MAX_BATCH)],
) -> Response:
    """Accept a batch; upstream answers 200 with no body, duplicates included."""
    with backend_db(request).transaction() as conn:
        insert_usage_events(conn, events=events, received_at=backend_now(request))
    return Response(status_code=200)


def insert_usage_events(
    conn: sqlite3.Connection, *, events: list[dict[str, Any]], received_at: datetime
) -> list[bool]:
    """Store every event, flagging as duplicate each whose transaction_id was accepted (not
    itself a duplicate) within `usage_store.DUPLICATE_WINDOW` before `received_at`."""
    try:
        parsed = EVENT_BATCH.validate_python(events)
    except ValidationError as error:
        raise ApiError(400, validation_message(error)) from None
    writer = UsageWriter()
    writer.load_transactions(conn, {event.transaction_id for event in parsed})
    return writer.write(
        conn,
        (
            (
                e.transaction_id,
                e.customer_id,
                e.event_type,
                iso(e.timestamp),
                properties_json(e.properties),
            )
            for e in parsed
        ),
        received_at,
    )


@router.post("/v1/events/search")
def search_events(request: Request, body: EventSearch) -> list[dict[str, Any]]:
    """Every stored event with one of the transaction ids, duplicates flagged."""
    ids = list(dict.fromkeys(body.transaction_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return backend_db(request).docs(
        f"SELECT doc FROM usage_events WHERE transaction_id IN ({marks}) ORDER BY seq", ids
    )


@router.get("/local/v1/usage-events/daily")
def daily_usage_events(
    request: Request, days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 30
) -> dict[str, Any]:
    """Events received per UTC day (duplicates included, and counted apart) for the `days`
    days ending today, oldest first, days without events as zeros."""
    today = backend_now(request).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time(), tzinfo=UTC)
    end = datetime.combine(today + timedelta(days=1), time(), tzinfo=UTC)
    rows = backend_db(request).query(
        "SELECT substr(received_at, 1, 10) AS day, COUNT(*) AS total, "
        "SUM(is_duplicate) AS duplicates FROM usage_events "
        "WHERE received_at >= ? AND received_at < ? GROUP BY day",
        (iso(start), iso(end)),
    )
    counts = {row["day"]: (row["total"], row["duplicates"]) for row in rows}
    series = []
    for offset in range(days):
        day = (first + timedelta(days=offset)).isoformat()
        total, duplicates = counts.get(day, (0, 0))
        series.append({"date": day, "total": total, "duplicates": duplicates})
    return {"data": series}

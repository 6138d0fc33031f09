"""A stored usage event's document is the compact, key-ordered JSON of every field, byte for
byte, whatever characters the event's strings hold and whether or not it names a customer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from metro_tui.local.db import Database, dumps
from metro_tui.local.metronome.store import insert_customer
from metro_tui.local.metronome.usage_store import UsageWriter, event_id, properties_json

RECEIVED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_each_document_is_the_json_of_its_fields(tmp_path: Path) -> None:
    db = Database(tmp_path / "data.sqlite3")
    # Most events' properties are flat; anything else takes the encoder's general path.
    flat = {"status": 200, "région": 'é"\\\n', "cpu_hours": 0.1, "big": 1e21, "ok": True, "n": None}
    nested = {"z": [1, 2.5, None], "a": {"y": True, "b": "x"}}
    with db.transaction() as conn:
        insert_customer(conn, name='Ünïcode "Acme"', created_at=RECEIVED, customer_id="cust-1")
        flags = UsageWriter().write(
            conn,
            [
                (
                    "tx-1",
                    "cust-1",
                    "api_request",
                    "2026-11-24T11:00:00.000Z",
                    properties_json(flat),
                ),
                ('tx-"2"\n', "nobody ✓", "évent", "2026-11-24T11:30:00.000Z", properties_json({})),
                (
                    "tx-1",
                    "cust-1",
                    "api_request",
                    "2026-11-24T11:00:00.000Z",
                    properties_json(nested),
                ),
            ],
            RECEIVED,
        )
    stored = [row[0] for row in db.query("SELECT doc FROM usage_events ORDER BY seq")]
    db.close()

    common = {"processed_at": "2026-11-24T12:00:00.000Z"}
    expected = [
        {
            **common,
            "id": event_id("tx-1", 0),
            "transaction_id": "tx-1",
            "customer_id": "cust-1",
            "event_type": "api_request",
            "timestamp": "2026-11-24T11:00:00.000Z",
            "properties": flat,
            "is_duplicate": False,
            "matched_customer": {"id": "cust-1", "name": 'Ünïcode "Acme"'},
        },
        {
            **common,
            "id": event_id('tx-"2"\n', 0),
            "transaction_id": 'tx-"2"\n',
            "customer_id": "nobody ✓",
            "event_type": "évent",
            "timestamp": "2026-11-24T11:30:00.000Z",
            "properties": {},
            "is_duplicate": False,
        },
        {
            **common,
            "id": event_id("tx-1", 1),
            "transaction_id": "tx-1",
            "customer_id": "cust-1",
            "event_type": "api_request",
            "timestamp": "2026-11-24T11:00:00.000Z",
            "properties": nested,
            "is_duplicate": True,
            "matched_customer": {"id": "cust-1", "name": 'Ünïcode "Acme"'},
        },
    ]
    assert flags == [False, False, True]
    assert [json.loads(doc) for doc in stored] == expected
    assert stored == [dumps(doc) for doc in expected]

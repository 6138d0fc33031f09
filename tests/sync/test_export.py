"""`metro-tui export` over the bundled backend: exact figures, stdout for data only."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from metro_tui.cli import main
from tests.conftest import TEST_TODAY


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("METRO_TUI_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("METRO_TUI_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("METRONOME_BEARER_TOKEN", "STRIPE_API_KEY", "METRONOME_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _finalized(data: Path) -> list[dict[str, object]]:
    with sqlite3.connect(data) as conn:
        rows = conn.execute("SELECT doc FROM invoices WHERE status = 'FINALIZED'").fetchall()
    return [json.loads(doc) for (doc,) in rows]


def test_overview_json(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["export", "overview", "--local", "--data", str(data_file), "--today", TEST_TODAY])
        == 0
    )
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    invoices = _finalized(data_file)
    assert document["total_revenue_cents"] == round(sum(i["total"] for i in invoices))  # type: ignore[misc]
    october = [
        i
        for i in invoices
        if "2026-10-01T00:00:00.000Z" < str(i["end_timestamp"]) <= "2026-11-01T00:00:00.000Z"
    ]
    assert document["revenue_last_month_cents"] == round(sum(i["total"] for i in october))  # type: ignore[misc]
    assert [m["month"] for m in document["revenue_by_month"]] == [
        *(f"2025-{m:02d}" for m in (11, 12)),
        *(f"2026-{m:02d}" for m in range(1, 11)),
    ]
    assert document["revenue_by_month"][-1]["amount_cents"] == document["revenue_last_month_cents"]
    assert len(document["usage_events"]) == 30
    assert document["usage_events"][-1]["date"] == TEST_TODAY
    assert document["top_products"][-1]["name"] == "Other"
    assert len(document["top_products"]) == 6
    assert "Up to date" in captured.err


def test_customers_csv(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["export", "customers", "--format", "csv", "--local", "--data", str(data_file)]
    assert main([*args, "--today", TEST_TODAY]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows, "the seed links most Stripe customers"
    assert set(rows[0]) == {
        "stripe_customer_id",
        "metronome_customer_id",
        "name",
        "email",
        "date_created",
        "lifetime_billings_cents",
        "provision_status",
    }
    assert {row["provision_status"] for row in rows} == {
        "Active",
        "Active Soon",
        "Recently Ended",
        "Not provisioned",
    }
    with sqlite3.connect(data_file) as conn:
        stripe_ids = {row[0] for row in conn.execute("SELECT id FROM stripe_customers")}
    assert {row["stripe_customer_id"] for row in rows} <= stripe_ids


def test_overview_refuses_csv(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "overview", "--format", "csv"])
    assert exit_info.value.code == 2
    assert "JSON only" in capsys.readouterr().err

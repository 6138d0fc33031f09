"""`metro-tui export` over the bundled backend: exact figures, stdout for data only."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.cli import main
from metro_tui.local.metronome.store import LineItemSpec, insert_invoice
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.ui.page_facts import day, last_day, money, recurring_commit_facts, showcase_page


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


def _export(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Any, str]:
    """Run `metro-tui export ARGS` over the bundled backend: (the JSON printed, stderr)."""
    command = ["export", *args, "--local", "--data", str(data), "--today", TEST_TODAY]
    assert main(command) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def _finalize_next_period(backend: RunningBackend, customer_id: str, cents: int) -> None:
    """A billing period closes: the customer's next invoice, FINALIZED, as the backend issues
    them (from the end of its last period, or from November 1 for a new customer)."""
    with backend.db.transaction() as conn:
        (last_end,) = conn.execute(
            "SELECT max(end_timestamp) FROM invoices WHERE customer_id = ?", (customer_id,)
        ).fetchone()
        start = datetime.fromisoformat(last_end) if last_end else datetime(2026, 11, 1, tzinfo=UTC)
        end = start + timedelta(days=11)
        _insert_finalized(conn, customer_id, start, end, cents, issued_at=end + timedelta(hours=3))


def _insert_finalized(
    conn: sqlite3.Connection,
    customer_id: str,
    start: datetime,
    end: datetime,
    cents: int,
    *,
    issued_at: datetime,
) -> None:
    """A FINALIZED invoice of one Support line, on no contract."""
    insert_invoice(
        conn,
        customer_id=customer_id,
        invoice_id=None,
        status="FINALIZED",
        start_timestamp=start,
        end_timestamp=end,
        contract_id=None,
        issued_at=issued_at,
        line_items=[LineItemSpec("Support", None, cents)],
    )


def _new_linked_customer(backend: RunningBackend, name: str) -> tuple[str, str]:
    """A Stripe customer and its Metronome customer, created through the APIs."""
    response = httpx.post(
        f"{backend.stripe_url}/v1/customers",
        data={"name": name, "email": "billing@late-arrival.example"},
        headers={"Authorization": f"Bearer {backend.stripe_key}"},
    )
    response.raise_for_status()
    stripe_id = str(response.json()["id"])

    async def create() -> str:
        metronome = MetronomeGateway(TEST_TOKEN, backend.metronome_url)
        try:
            return await metronome.create_customer_for_stripe(name, stripe_id)
        finally:
            await metronome.close()

    return stripe_id, asyncio.run(create())


def _linked_metronome_id(data: Path) -> str:
    """A seeded Metronome customer with finalized invoices, the earliest created."""
    with sqlite3.connect(data) as conn:
        (customer_id,) = conn.execute(
            "SELECT customer_id FROM invoices WHERE status = 'FINALIZED' "
            "ORDER BY customer_id LIMIT 1"
        ).fetchone()
    return str(customer_id)


def test_an_export_refreshed_from_the_cache_equals_a_full_reload(
    data_file: Path, backend: RunningBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    before, cold = _export(data_file, capsys, "overview")
    assert "No cached account yet: loading the whole account." in cold

    existing = _linked_metronome_id(data_file)
    stripe_id, metronome_id = _new_linked_customer(backend, "Late Arrival Ltd")
    _finalize_next_period(backend, existing, 12_345)
    _finalize_next_period(backend, metronome_id, 67_800)

    overview, refreshed = _export(data_file, capsys, "overview")
    customers, _ = _export(data_file, capsys, "customers")
    full_overview, reloaded = _export(data_file, capsys, "overview", "--full")
    full_customers, _ = _export(data_file, capsys, "customers", "--full")

    assert "Refreshing the cached account" in refreshed
    assert "Reloading the whole account (--full)." in reloaded
    assert overview == full_overview
    assert customers == full_customers
    assert overview["total_revenue_cents"] == before["total_revenue_cents"] + 12_345 + 67_800
    (late,) = [row for row in customers if row["stripe_customer_id"] == stripe_id]
    assert late["metronome_customer_id"] == metronome_id
    assert late["name"] == "Late Arrival Ltd"
    assert late["lifetime_billings_cents"] == 67_800


def test_an_export_keeps_final_invoices_from_the_cache_and_full_fetches_them(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    customer_id = _linked_metronome_id(data_file)
    first, _ = _export(data_file, capsys, "customers")
    (row,) = [row for row in first if row["metronome_customer_id"] == customer_id]
    # A finalized invoice never changes, so only a request could see this edit of its oldest.
    with sqlite3.connect(data_file) as conn:
        conn.execute(
            "UPDATE invoices SET doc = json_set(doc, '$.total', json_extract(doc, '$.total') + 100)"
            " WHERE id = (SELECT id FROM invoices WHERE customer_id = ? AND status = 'FINALIZED'"
            " ORDER BY start_timestamp LIMIT 1)",
            (customer_id,),
        )

    refreshed, _ = _export(data_file, capsys, "customers")
    reloaded, _ = _export(data_file, capsys, "customers", "--full")

    assert refreshed == first
    (row_reloaded,) = [row for row in reloaded if row["metronome_customer_id"] == customer_id]
    assert row_reloaded["lifetime_billings_cents"] == row["lifetime_billings_cents"] + 100


def test_a_refresh_finds_invoices_finalized_for_periods_begun_before_the_last_known_end(
    data_file: Path, backend: RunningBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    customer_id = _linked_metronome_id(data_file)
    first, _ = _export(data_file, capsys, "customers")
    (row,) = [row for row in first if row["metronome_customer_id"] == customer_id]
    with backend.db.transaction() as conn:
        (last_end,) = conn.execute(
            "SELECT max(end_timestamp) FROM invoices WHERE customer_id = ? "
            "AND status = 'FINALIZED'",
            (customer_id,),
        ).fetchone()
        known_end = datetime.fromisoformat(last_end)
        # One finalized late for an older period, one for a period overlapping the last one.
        for start, end, cents in (
            (known_end - timedelta(days=40), known_end - timedelta(days=10), 4_321),
            (known_end - timedelta(days=12), known_end + timedelta(days=18), 8_765),
        ):
            _insert_finalized(conn, customer_id, start, end, cents, issued_at=end)

    customers, refreshed = _export(data_file, capsys, "customers")
    overview, _ = _export(data_file, capsys, "overview")
    full_customers, _ = _export(data_file, capsys, "customers", "--full")
    full_overview, _ = _export(data_file, capsys, "overview", "--full")

    assert "Refreshing the cached account" in refreshed
    (found,) = [found for found in customers if found["metronome_customer_id"] == customer_id]
    assert found["lifetime_billings_cents"] == row["lifetime_billings_cents"] + 4_321 + 8_765
    assert customers == full_customers
    assert overview == full_overview


def _export_customer(data: Path, customer_id: str) -> list[str]:
    return [
        "export",
        "customer",
        customer_id,
        "--local",
        "--data",
        str(data),
        "--today",
        TEST_TODAY,
    ]


def test_customer_page_json(data_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = showcase_page(data_file, TEST_TODAY)
    assert main(_export_customer(data_file, page.stripe_customer_id)) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["metronome_customer_id"] == page.metronome_customer_id
    (contract,) = document["contracts"]
    terms = contract["terms"]
    assert contract["rate_card"] == page.rate_card_name
    assert terms["net_payment_terms_days"] == page.contract["net_payment_terms_days"]
    (override,) = [o for o in page.contract["overrides"] if o.get("type") == "MULTIPLIER"]
    (discount,) = terms["discounts"]
    assert discount["multiplier"] == override["multiplier"]
    assert discount["product_tags"] == sorted(override["applicable_product_tags"])
    assert [(s["product"], s["quantity"]) for s in terms["subscriptions"]] == [
        (s["subscription_rate"]["product"]["name"], s["quantity_schedule"][0]["quantity"])
        for s in page.contract["subscriptions"]
    ]
    grants = [*page.contract["commits"], *page.contract["credits"]]
    assert {g["id"]: g["balance_cents"] for g in terms["credits_and_commits"]} == page.balances
    assert [g["granted_cents"] for g in terms["credits_and_commits"]] == [
        g["access_schedule"]["schedule_items"][0]["amount"] for g in grants
    ]
    assert [i["id"] for i in document["invoices"]] == [i["id"] for i in page.invoices]
    newest, exported = page.invoices[0], document["invoices"][0]
    assert exported["total_cents"] == newest["total"]
    assert exported["counts_in_billings"] is (newest["status"] == "FINALIZED")
    assert [(line["product"], line["amount_cents"]) for line in exported["line_items"]] == [
        (line["name"], line["total"]) for line in newest["line_items"]
    ]


def test_customer_page_by_metronome_id_is_the_same_page(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = showcase_page(data_file, TEST_TODAY)
    assert main(_export_customer(data_file, page.stripe_customer_id)) == 0
    by_stripe = json.loads(capsys.readouterr().out)
    assert main(_export_customer(data_file, page.metronome_customer_id)) == 0
    assert json.loads(capsys.readouterr().out) == by_stripe


def test_an_unknown_customer_is_a_clear_error(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_export_customer(data_file, "cus_nobody")) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1] == (
        "metro-tui: no linked customer has the id 'cus_nobody' "
        "(a Stripe id such as cus_… or a Metronome customer id)"
    )


def test_customer_needs_an_id_and_exports_as_json_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["export", "customer"], ["export", "customer", "cus_A", "--format", "csv"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert "export customer takes a Stripe or Metronome customer id, as JSON only" in (
            capsys.readouterr().err
        )


def test_customer_page_json_has_the_recurring_commit_per_period(
    data_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(data_file) as conn:
        contracts = [
            (customer_id, json.loads(doc))
            for customer_id, doc in conn.execute("SELECT customer_id, doc FROM contracts")
        ]
    customer_id, contract = next((c, d) for c, d in contracts if d.get("recurring_commits"))
    (recurring,) = contract["recurring_commits"]
    assert main(_export_customer(data_file, customer_id)) == 0
    document = json.loads(capsys.readouterr().out)
    (exported,) = [c for c in document["contracts"] if c["id"] == contract["id"]]
    (grant,) = [g for g in exported["terms"]["credits_and_commits"] if g["recurrence"]]
    access, invoiced = recurring["access_amount"], recurring["invoice_amount"]
    assert (grant["id"], grant["name"], grant["product"]) == (
        recurring["id"],
        recurring["name"],
        recurring["product"]["name"],
    )
    assert grant["granted_cents"] == round(access["unit_price"] * access["quantity"])
    assert grant["paid_cents"] == round(invoiced["unit_price"] * invoiced["quantity"])
    assert (grant["recurrence"], grant["lasts_periods"]) == (
        recurring["recurrence_frequency"],
        recurring["commit_duration"]["value"],
    )
    assert grant["kind"] == "Recurring prepaid commit"
    assert (recurring["recurrence_frequency"], recurring["commit_duration"]["value"]) == (
        "MONTHLY",
        1,
    )
    end = recurring.get("ending_before")
    span = f"{day(recurring['starting_at'])} – {'no end' if end is None else last_day(end)}"
    assert grant["text"] == (
        f"{money(grant['granted_cents'])} granted monthly · customer pays "
        f"{money(grant['paid_cents'])} monthly · each grant lasts 1 month · {span}"
    )
    # What is left of the grant it created for this month, as the data file says.
    facts = recurring_commit_facts(data_file, TEST_TODAY)
    assert facts.contract_id == contract["id"]
    assert (grant["balance_cents"], grant["period_granted_cents"]) == (
        round(facts.left),
        round(facts.period_amount),
    )
    assert grant["balance"] == (
        f"{money(facts.left)} left of this period's {money(facts.period_amount)}"
    )

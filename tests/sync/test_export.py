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
from tests.ui.page_facts import showcase_page


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

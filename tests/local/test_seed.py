"""The demo dataset: deterministic, complete, and every planted case really in the data."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from metronome import AsyncMetronome

from metro_tui.local.config import BackendConfig
from metro_tui.local.metronome.recurring import with_recurring_grants
from metro_tui.local.seed.dataset import SeedOptions, SeedSummary, seed_database
from metro_tui.local.server import start_in_thread
from tests.conftest import TEST_TODAY, TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
SMALL = SeedOptions(seed=3, customers=12, today=TEST_TODAY)
TABLES = (
    "meta",
    "customers",
    "billing_configurations",
    "products",
    "rate_cards",
    "rates",
    "contracts",
    "invoices",
    "usage_events",
    "stripe_customers",
)


@pytest.fixture
def db(seeded: tuple[Path, SeedSummary]) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{seeded[0]}?mode=ro", uri=True)
    yield conn
    conn.close()


@pytest.fixture
def summary(seeded: tuple[Path, SeedSummary]) -> SeedSummary:
    return seeded[1]


def docs(db: sqlite3.Connection, sql: str, *params: Any) -> list[dict[str, Any]]:
    return [json.loads(row[0]) for row in db.execute(sql, params)]


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def table_contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES
        }
    finally:
        conn.close()


def test_same_options_give_identical_data_and_another_seed_differs(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "c.sqlite3"
    summary = seed_database(first, SMALL)
    assert seed_database(second, SMALL) == summary
    seed_database(other, SeedOptions(seed=4, customers=12, today=TEST_TODAY))

    contents = table_contents(first)
    assert contents == table_contents(second)
    assert all(contents[table] for table in TABLES)
    different = table_contents(other)
    for table in ("customers", "stripe_customers", "contracts", "invoices", "usage_events"):
        assert contents[table] != different[table]


def test_refuses_a_data_file_that_holds_data(tmp_path: Path) -> None:
    path = tmp_path / "data.sqlite3"
    seed_database(path, SMALL)
    before = table_contents(path)

    with pytest.raises(ValueError, match="already holds data"):
        seed_database(path, SMALL)
    assert table_contents(path) == before


def test_refuses_too_few_customers(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 10 customers"):
        seed_database(tmp_path / "data.sqlite3", SeedOptions(customers=9, today=TEST_TODAY))


def test_reports_progress_up_to_each_stage_total(tmp_path: Path) -> None:
    reports: list[tuple[str, int, int]] = []
    seed_database(tmp_path / "data.sqlite3", SMALL, progress=lambda *r: reports.append(r))

    last = {stage: (done, total) for stage, done, total in reports}
    assert list(last) == [
        "catalog",
        "Stripe customers",
        "Metronome customers",
        "contracts",
        "invoices",
        "usage events",
    ]
    assert all(done == total for done, total in last.values())
    assert last["Stripe customers"] == (12, 12)
    assert last["usage events"] == (35, 35)
    # The longest stage moves on the console a day of events at a time, not only at its end.
    assert [done for stage, done, _ in reports if stage == "usage events"] == list(range(1, 36))


def test_records_the_options_in_meta(db: sqlite3.Connection) -> None:
    assert dict(db.execute("SELECT key, value FROM meta").fetchall()) == {
        "seed": "7",
        "customers": "40",
        "today": "2026-11-24",
    }


def test_counts_match_the_tables(db: sqlite3.Connection, summary: SeedSummary) -> None:
    def rows(table: str, where: str = "1") -> int:
        return int(db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0])

    counts = summary.counts
    assert counts["stripe_customers"] == rows("stripe_customers") == 40
    assert counts["customers"] == rows("customers")
    assert counts["billing_configurations"] == rows("billing_configurations")
    assert counts["contracts"] == rows("contracts") == 32
    assert counts["products"] == rows("products") == 13
    assert counts["rate_cards"] == rows("rate_cards") == 4
    assert counts["invoices"] == rows("invoices")
    for status in ("FINALIZED", "DRAFT", "VOID"):
        assert counts[f"invoices_{status.lower()}"] == rows("invoices", f"status = '{status}'")
        assert counts[f"invoices_{status.lower()}"] > 0
    assert counts["usage_events"] == rows("usage_events")
    assert counts["duplicate_usage_events"] == rows("usage_events", "is_duplicate = 1")
    assert counts["duplicate_usage_events"] == counts["resent_usage_events"]


def linked_stripe_ids(db: sqlite3.Connection) -> set[str]:
    """DESIGN.md: a Stripe customer named by a non-archived Stripe billing configuration."""
    return {
        row[0]
        for row in db.execute(
            "SELECT b.stripe_customer_id FROM billing_configurations b "
            "JOIN stripe_customers s ON s.id = b.stripe_customer_id "
            "WHERE b.billing_provider = 'stripe' AND b.archived_at IS NULL"
        )
    }


def test_about_80_percent_of_stripe_customers_are_linked(
    db: sqlite3.Connection, summary: SeedSummary
) -> None:
    stripe_ids = {row[0] for row in db.execute("SELECT id FROM stripe_customers")}
    linked = linked_stripe_ids(db)

    assert len(linked) == 32
    assert set(summary.unlinked_stripe_customer_ids) == stripe_ids - linked
    linked_names = {
        row[0]
        for row in db.execute(
            "SELECT c.name FROM customers c JOIN billing_configurations b ON b.customer_id = c.id "
            "WHERE b.archived_at IS NULL AND b.stripe_customer_id IN "
            "(SELECT id FROM stripe_customers)"
        )
    }
    stripe_names = {
        row[0]
        for row in db.execute(
            "SELECT name FROM stripe_customers WHERE id IN (SELECT stripe_customer_id "
            "FROM billing_configurations WHERE archived_at IS NULL)"
        )
    }
    assert linked_names == stripe_names


def test_planted_broken_links_are_broken(db: sqlite3.Connection, summary: SeedSummary) -> None:
    stripe_ids = {row[0] for row in db.execute("SELECT id FROM stripe_customers")}
    configs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for config in docs(db, "SELECT doc FROM billing_configurations"):
        configs[config["customer_id"]].append(config)

    assert len(summary.dangling_link_customer_ids) == 1
    for customer_id in summary.dangling_link_customer_ids:
        (config,) = configs[customer_id]
        assert config["archived_at"] is None
        assert config["configuration"]["stripe_customer_id"] not in stripe_ids
    assert len(summary.unconfigured_customer_ids) == 1
    for customer_id in summary.unconfigured_customer_ids:
        assert configs[customer_id] == []
    assert len(summary.archived_link_customer_ids) == 1
    for customer_id in summary.archived_link_customer_ids:
        (config,) = configs[customer_id]
        assert moment(config["archived_at"]) < NOW
        assert config["configuration"]["stripe_customer_id"] in stripe_ids
        assert config["configuration"]["stripe_customer_id"] not in linked_stripe_ids(db)
    planted = {
        *summary.dangling_link_customer_ids,
        *summary.unconfigured_customer_ids,
        *summary.archived_link_customer_ids,
    }
    for customer_id, customer_configs in configs.items():
        if customer_id not in planted:
            (config,) = customer_configs
            assert config["billing_provider"] == "stripe"
            assert config["delivery_method"] == "direct_to_billing_provider"
            assert config["configuration"]["stripe_customer_id"] in stripe_ids


def test_metronome_customers_follow_their_stripe_customers(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT c.created_at, s.created, c.name, s.name, s.email FROM customers c "
        "JOIN billing_configurations b ON b.customer_id = c.id "
        "JOIN stripe_customers s ON s.id = b.stripe_customer_id"
    ).fetchall()

    assert len(rows) == 33  # the linked ones and the one whose configuration was archived
    for created_at, stripe_created, name, stripe_name, email in rows:
        delay = moment(created_at) - datetime.fromtimestamp(stripe_created, UTC)
        assert timedelta(0) <= delay <= timedelta(days=3)
        assert name == stripe_name
        assert "@" in email and " " not in email
    stripe_created = [row[0] for row in db.execute("SELECT created FROM stripe_customers")]
    ages = [NOW - datetime.fromtimestamp(created, UTC) for created in stripe_created]
    assert max(ages) < timedelta(days=610)
    assert sum(age < timedelta(days=30) for age in ages) == 4


def test_new_customers_are_those_created_in_the_last_30_days(
    db: sqlite3.Connection, summary: SeedSummary
) -> None:
    recent = {
        customer_id
        for customer_id, created_at in db.execute("SELECT id, created_at FROM customers")
        if NOW - timedelta(days=30) < moment(created_at) <= NOW
    }

    assert recent == set(summary.new_customer_ids)
    assert len(recent) == 4


def provision_status(contracts: list[dict[str, Any]]) -> str:
    """DESIGN.md's definition, applied to the stored contract documents."""
    spans = [
        (moment(c["starting_at"]), moment(c["ending_before"]) if c.get("ending_before") else None)
        for c in contracts
        if not c.get("archived_at")
    ]
    if any(start <= NOW and (end is None or end > NOW) for start, end in spans):
        return "Active"
    if any(start > NOW for start, _ in spans):
        return "Active Soon"
    if any(end is not None and NOW - timedelta(days=30) <= end <= NOW for _, end in spans):
        return "Recently Ended"
    return ""


def test_every_provision_status_occurs(db: sqlite3.Connection, summary: SeedSummary) -> None:
    by_customer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for contract in docs(db, "SELECT doc FROM contracts ORDER BY seq"):
        by_customer[contract["customer_id"]].append(contract)
    customer_ids = [row[0] for row in db.execute("SELECT id FROM customers")]
    statuses = {cid: provision_status(by_customer[cid]) for cid in customer_ids}

    assert statuses == summary.provision_statuses
    assert Counter(statuses.values()) == {
        "Active": 21,
        "": 8,
        "Active Soon": 3,
        "Recently Ended": 3,
    }
    contract_counts = Counter(len(by_customer[cid]) for cid in customer_ids)
    assert contract_counts[0] >= 2 and contract_counts[2] >= 2
    contracts = [c for cs in by_customer.values() for c in cs]
    long_ended = [
        c
        for c in contracts
        if c.get("ending_before") and moment(c["ending_before"]) < NOW - timedelta(days=30)
    ]
    assert long_ended
    active = [c for c in contracts if provision_status([c]) == "Active"]
    assert any("ending_before" in c for c in active)
    assert any("ending_before" not in c for c in active)
    assert 0 < sum("name" not in c for c in contracts) < len(contracts) / 2


def test_contracts_use_the_wizard_shapes(db: sqlite3.Connection) -> None:
    contracts = docs(db, "SELECT doc FROM contracts")
    products = {p["id"]: p for p in docs(db, "SELECT doc FROM products")}

    overrides = [o for c in contracts for o in c["overrides"]]
    assert any(o["type"] == "MULTIPLIER" and o["applicable_product_tags"] for o in overrides)
    assert any(o.get("entitled") is False for o in overrides)
    subscriptions = [s for c in contracts for s in c["subscriptions"]]
    assert {
        products[s["subscription_rate"]["product"]["id"]]["current"]["name"] for s in subscriptions
    } == {"Platform fee", "Seats", "Premium support"}
    assert any(c["commits"] for c in contracts)
    assert any(c["credits"] for c in contracts)
    for contract in contracts:
        for grant in contract["commits"] + contract["credits"]:
            assert products[grant["product"]["id"]]["type"] == "FIXED"


def test_catalog_has_usage_subscription_and_credit_products(db: sqlite3.Connection) -> None:
    products = docs(db, "SELECT doc FROM products")
    by_type = Counter(p["type"] for p in products)
    tags = {tag for p in products for tag in p["current"]["tags"]}
    rates = docs(db, "SELECT doc FROM rates")
    cards = [c["name"] for c in docs(db, "SELECT doc FROM rate_cards ORDER BY seq")]

    assert by_type == {"USAGE": 7, "SUBSCRIPTION": 3, "FIXED": 3}
    assert {"compute", "storage", "network", "ai", "platform"} <= tags
    assert cards == ["Standard", "Enterprise", "Startup", "Pay as you go"]
    for rate in rates:
        subscription = rate["product_name"] in {"Platform fee", "Seats", "Premium support"}
        assert (rate.get("billing_frequency") == "MONTHLY") == subscription
        assert rate["rate"]["price"] > 0
    per_card = Counter(row[0] for row in db.execute("SELECT rate_card_id FROM rates"))
    assert sorted(per_card.values()) == [6, 8, 10, 10]


def test_invoices_are_monthly_and_add_up(db: sqlite3.Connection) -> None:
    invoices = docs(db, "SELECT doc FROM invoices WHERE json_extract(doc, '$.type') = 'USAGE'")
    oldest = datetime(2025, 5, 1, tzinfo=UTC)  # 18 months before November 2026

    for invoice in invoices:
        start, end = moment(invoice["start_timestamp"]), moment(invoice["end_timestamp"])
        assert invoice["total"] == sum(item["total"] for item in invoice["line_items"])
        charges = [i["total"] for i in invoice["line_items"] if i["total"] > 0]
        applied = [i["total"] for i in invoice["line_items"] if i["total"] < 0]
        # Every invoice charges something; commits and credits cover at most all of it.
        assert charges and all(
            i["type"] == "applied_commit_or_credit" for i in invoice["line_items"] if i["total"] < 0
        )
        assert invoice["total"] == sum(charges) + sum(applied) >= 0
        if not applied:
            assert invoice["total"] > 0
        assert start.time() == end.time() == datetime.min.time()
        assert start >= oldest
        assert start.replace(day=1) == (end - timedelta(seconds=1)).replace(
            day=1, hour=0, minute=0, second=0
        )
        if invoice["status"] == "DRAFT":
            assert start <= NOW < end and "issued_at" not in invoice
        else:
            assert end <= NOW and moment(invoice["issued_at"]) <= NOW
    whole_months = [
        i
        for i in invoices
        if i["status"] == "FINALIZED"
        and moment(i["start_timestamp"]).day == 1
        and moment(i["end_timestamp"]).day == 1
    ]
    assert len(whole_months) > 0.9 * sum(i["status"] == "FINALIZED" for i in invoices)
    finalized = {
        (i["contract_id"], i["start_timestamp"]) for i in invoices if i["status"] == "FINALIZED"
    }
    for void in (i for i in invoices if i["status"] == "VOID"):
        assert (void["contract_id"], void["start_timestamp"]) in finalized


def test_prepaid_commits_are_billed_on_scheduled_invoices(db: sqlite3.Connection) -> None:
    """Each invoice schedule item of a prepaid commit (those recurring commits created too)
    dated in the invoiced history is one FINALIZED SCHEDULED invoice of one commit_purchase
    line: its amount, billed on its day. Nothing else is a SCHEDULED invoice."""
    oldest = datetime(2025, 5, 1, tzinfo=UTC)  # 18 months before November 2026
    contracts = [with_recurring_grants(doc, NOW) for doc in docs(db, "SELECT doc FROM contracts")]
    expected = Counter(
        (contract["id"], commit["id"], item["timestamp"], item["amount"])
        for contract in contracts
        for commit in contract["commits"]
        if commit["type"] == "PREPAID" and "invoice_schedule" in commit
        for item in commit["invoice_schedule"]["schedule_items"]
        if oldest <= moment(item["timestamp"]) <= NOW
    )
    scheduled = docs(db, "SELECT doc FROM invoices WHERE json_extract(doc, '$.type') != 'USAGE'")
    products = dict(db.execute("SELECT id, json_extract(doc, '$.current.name') FROM products"))
    billed: Counter[tuple[str, str, str, float]] = Counter()
    for invoice in scheduled:
        (line,) = invoice["line_items"]
        assert (invoice["type"], invoice["status"], line["type"]) == (
            "SCHEDULED",
            "FINALIZED",
            "commit_purchase",
        )
        assert line["product_type"] == "FixedProductListItem"
        assert line["name"] == products[line["product_id"]]
        assert invoice["total"] == line["total"] == round(line["quantity"] * line["unit_price"])
        start = moment(invoice["start_timestamp"])
        assert moment(invoice["end_timestamp"]) == start + timedelta(days=1)
        assert invoice["issued_at"] == invoice["start_timestamp"]
        billed[
            (invoice["contract_id"], line["commit_id"], invoice["start_timestamp"], line["total"])
        ] += 1
    assert billed == expected
    recurring = {
        c["id"] for contract in contracts for c in contract["commits"] if "recurring_commit_id" in c
    }
    assert {commit for _, commit, _, _ in billed} & recurring  # a recurring commit's months
    assert {commit for _, commit, _, _ in billed} - recurring  # a one-off commit


def test_usage_amounts_vary_and_grow_from_month_to_month(db: sqlite3.Connection) -> None:
    monthly: dict[tuple[str, str], list[int]] = defaultdict(list)
    for invoice in docs(
        db, "SELECT doc FROM invoices WHERE status = 'FINALIZED' ORDER BY start_timestamp"
    ):
        for item in invoice["line_items"]:
            if item["type"] == "usage":
                monthly[(invoice["contract_id"], item["name"])].append(item["total"])

    series = [totals for totals in monthly.values() if len(totals) >= 9]
    assert len(series) >= 10
    assert all(len(set(totals)) >= len(totals) - 1 for totals in series)
    growing = [sum(totals[-3:]) > sum(totals[:3]) for totals in series]
    assert sum(growing) > 0.7 * len(series)


def test_usage_events_have_a_few_percent_duplicates_within_34_days(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT transaction_id, received_at, is_duplicate FROM usage_events ORDER BY seq"
    ).fetchall()
    accepted: dict[str, datetime] = {}
    duplicates = 0
    for transaction_id, received_at, is_duplicate in rows:
        received = moment(received_at)
        if is_duplicate:
            duplicates += 1
            assert timedelta(0) < received - accepted[transaction_id] <= timedelta(days=34)
        else:
            assert transaction_id not in accepted
            accepted[transaction_id] = received
    assert 0.01 < duplicates / len(rows) < 0.05
    per_day = Counter(moment(row[1]).date() for row in rows)
    assert len(per_day) == 35
    assert min(per_day) == (NOW - timedelta(days=34)).date() and max(per_day) == NOW.date()
    weekdays = [n for day, n in per_day.items() if day.weekday() < 5 and day != NOW.date()]
    weekends = [n for day, n in per_day.items() if day.weekday() >= 5]
    assert min(weekdays) > max(weekends)


def test_usage_events_come_from_customers_with_active_contracts(db: sqlite3.Connection) -> None:
    contracts = docs(db, "SELECT doc FROM contracts")
    senders = {row[0] for row in db.execute("SELECT DISTINCT customer_id FROM usage_events")}
    customers = {c["customer_id"] for c in contracts}

    assert senders <= customers
    assert len(senders) >= 20


async def test_every_seeded_document_parses_strictly(
    seeded: tuple[Path, SeedSummary], tmp_path: Path
) -> None:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(seeded[0].read_bytes())
    running = start_in_thread(copy, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY))
    try:
        async with AsyncMetronome(
            bearer_token=TEST_TOKEN,
            base_url=running.metronome_url,
            _strict_response_validation=True,
            max_retries=0,
        ) as client:
            counts = await read_everything(client)
    finally:
        running.stop()
    assert counts == {
        "customers": 35,
        "billing_configurations": 34,
        "contracts": seeded[1].counts["contracts"],
        "invoices": seeded[1].counts["invoices"],
        "products": 13,
        "rate_cards": 4,
        "rates": 34,
    }


async def read_everything(client: AsyncMetronome) -> Counter[str]:
    counts: Counter[str] = Counter()
    async for _product in client.v1.contracts.products.list():
        counts["products"] += 1
    async for card in client.v1.contracts.rate_cards.list():
        counts["rate_cards"] += 1
        await client.v1.contracts.rate_cards.retrieve(id=card.id)
        async for _rate in client.v1.contracts.rate_cards.rates.list(rate_card_id=card.id, at=NOW):
            counts["rates"] += 1
    async for customer in client.v1.customers.list():
        counts["customers"] += 1
        configs = await client.v1.customers.retrieve_billing_configurations(
            customer_id=customer.id, include_archived=True
        )
        counts["billing_configurations"] += len(configs.data)
        async for contract in client.v2.contracts.list(customer_id=customer.id):
            counts["contracts"] += 1
            await client.v2.contracts.retrieve(customer_id=customer.id, contract_id=contract.id)
            await client.v1.contracts.retrieve_rate_schedule(
                customer_id=customer.id, contract_id=contract.id, at=NOW
            )
        async for _invoice in client.v1.customers.invoices.list(customer_id=customer.id):
            counts["invoices"] += 1
    return counts


def test_the_showcase_contract_has_every_term_the_customer_page_shows(
    db: sqlite3.Connection, summary: SeedSummary
) -> None:
    (contract,) = docs(
        db, "SELECT doc FROM contracts WHERE customer_id = ?", summary.showcase_customer_id
    )
    (discount,) = [o for o in contract["overrides"] if o.get("type") == "MULTIPLIER"]
    assert (discount["multiplier"], discount["applicable_product_tags"]) == (
        0.85,
        ["compute", "ai"],
    )
    seats = [
        s for s in contract["subscriptions"] if s["subscription_rate"]["product"]["name"] == "Seats"
    ]
    assert [s["quantity_schedule"][0]["quantity"] for s in seats] == [10]
    (commit,) = contract["commits"]
    assert (commit["type"], commit["name"]) == ("PREPAID", "Annual prepaid commitment")
    assert commit["invoice_schedule"]["schedule_items"][0]["amount"] > 0
    assert [c["name"] for c in contract["credits"]] == ["Onboarding credit", "Launch promotion"]
    (linked,) = db.execute(
        "SELECT COUNT(*) FROM billing_configurations WHERE customer_id = ? AND archived_at IS NULL",
        (summary.showcase_customer_id,),
    ).fetchone()
    assert linked == 1


def test_finalized_invoices_never_draw_a_segment_beyond_its_amount(db: sqlite3.Connection) -> None:
    # The contracts' grants as the backend lists them now: those recurring ones created too.
    contracts = [with_recurring_grants(doc, NOW) for doc in docs(db, "SELECT doc FROM contracts")]
    granted = {
        item["id"]: item["amount"]
        for contract in contracts
        for grant in [*contract["commits"], *contract["credits"]]
        for item in grant["access_schedule"]["schedule_items"]
    }
    drawn = dict(
        db.execute(
            "SELECT json_extract(i.value, '$.commit_segment_id'), "
            "-SUM(json_extract(i.value, '$.total')) "
            "FROM invoices, json_each(invoices.doc, '$.line_items') AS i "
            "WHERE status = 'FINALIZED' "
            "AND json_extract(i.value, '$.type') = 'applied_commit_or_credit' GROUP BY 1"
        ).fetchall()
    )
    assert len(drawn) >= 5  # the showcase's three grants and others
    # The grants a recurring commit created for each month are drawn too.
    created = [
        item["id"]
        for contract in contracts
        for commit in contract["commits"]
        if "recurring_commit_id" in commit
        for item in commit["access_schedule"]["schedule_items"]
    ]
    assert any(segment in drawn for segment in created)
    assert all(0 < amount <= granted[segment] for segment, amount in drawn.items())
    totals = db.execute(
        "SELECT COUNT(*) FROM invoices WHERE json_extract(doc, '$.total') != "
        "(SELECT SUM(json_extract(i.value, '$.total')) FROM json_each(doc, '$.line_items') AS i)"
    ).fetchone()
    assert totals == (0,)

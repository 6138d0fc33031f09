"""The snapshot cache: round trip, atomic replace, damaged and old files, leftovers, no secrets."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from metro_tui.models import (
    BillingConfiguration,
    Contract,
    Invoice,
    InvoiceLineItem,
    MetronomeCustomer,
    Product,
    RateCard,
    StripeCustomer,
    UsageDay,
)
from metro_tui.page_records import (
    AccessSegment,
    ContractTerms,
    CustomerPage,
    Discount,
    Entitlement,
    Grant,
    PageInvoice,
    PageInvoiceLine,
    SubscriptionTerm,
)
from metro_tui.sync import snapshot_codec
from metro_tui.sync.cache import DAMAGED, CacheRead, SnapshotCache, account_key
from metro_tui.sync.snapshot import AccountSnapshot

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 1, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 1, tzinfo=UTC)


def _invoice(invoice_id: str, customer_id: str, cents: int) -> Invoice:
    return Invoice(
        id=invoice_id,
        customer_id=customer_id,
        status="FINALIZED",
        start_timestamp=OCTOBER,
        end_timestamp=NOVEMBER,
        total_cents=cents,
        line_items=(
            InvoiceLineItem(name="API calls", product_id="p-api", total_cents=cents - 100),
            InvoiceLineItem(name="Setup fee", product_id=None, total_cents=100),
        ),
    )


def _snapshot() -> AccountSnapshot:
    """One of every kind of record, with every optional field both set and unset."""
    archived = datetime(2026, 6, 1, 9, 30, 15, 250_000, tzinfo=UTC)
    return AccountSnapshot(
        fetched_at=NOW,
        stripe_customers=[
            StripeCustomer("cus_A", "Acme", "ap@acme.example", OCTOBER, False),
            StripeCustomer("cus_B", None, None, NOVEMBER, True),
        ],
        metronome_customers=[
            MetronomeCustomer("m1", "Acme", OCTOBER, ingest_aliases=("cus_A",)),
            MetronomeCustomer("m2", "Élan Ltd", NOVEMBER, archived_at=archived),
        ],
        billing_configurations={
            "m1": (BillingConfiguration("cfg1", "m1", "stripe", "direct", "cus_A"),),
            "m2": (),
        },
        contracts={
            "m1": (
                Contract(
                    id="c1",
                    customer_id="m1",
                    starting_at=OCTOBER,
                    name="Enterprise",
                    rate_card_id="rc1",
                    ending_before=NOVEMBER,
                    product_names=("API calls", "Seats"),
                    uniqueness_key="key-1",
                ),
                Contract(id="c2", customer_id="m1", starting_at=NOVEMBER, archived_at=archived),
            ),
        },
        invoices={"m1": (_invoice("i1", "m1", 12_345), _invoice("i2", "m1", 500)), "m2": ()},
        rate_cards=[RateCard(id="rc1", name="Standard", description=None)],
        products=[Product(id="p-api", name="API calls", type="USAGE", tags=("usage",))],
        usage_days=[UsageDay(day=date(2026, 11, 24), total=7, duplicates=2)],
        failures=["Could not load contracts of customer m2: the server failed (HTTP 502)"],
        failed_contracts={"m2": "the server failed (HTTP 502)"},
        pricing_failure=None,
        usage_failure=None,
        customer_pages={"m1": _customer_page()},
    )


def _customer_page() -> CustomerPage:
    """A page with every kind of term, a balance known and not, and an invoice of each kind."""
    return CustomerPage(
        customer_id="m1",
        fetched_at=NOW,
        contracts=(
            ContractTerms(
                contract_id="c1",
                rate_card_id="rc1",
                invoice_frequency="MONTHLY",
                billing_anchor=OCTOBER,
                starting_at=OCTOBER,
                net_payment_terms_days=30,
                discounts=(
                    Discount(multiplier=0.85, product_tags=("ai",), starting_at=OCTOBER),
                    Discount(
                        multiplier=0.9,
                        product_name="Seats",
                        starting_at=OCTOBER,
                        ending_before=NOVEMBER,
                    ),
                ),
                subscriptions=(
                    SubscriptionTerm(
                        product_name="Seats", quantity=10, billing_frequency="MONTHLY"
                    ),
                ),
                entitlements=(Entitlement(product_name="GPU hours", entitled=False),),
                grants=(
                    Grant(
                        id="g1",
                        kind="commit",
                        commit_type="PREPAID",
                        name="Prepaid",
                        product_name="Prepaid credits",
                        access=(
                            AccessSegment(
                                amount_cents=100_000, starting_at=OCTOBER, ending_before=NOVEMBER
                            ),
                        ),
                        paid_cents=90_000,
                        balance_cents=6_789,
                    ),
                    Grant(
                        id="g2",
                        kind="credit",
                        product_name="Promo",
                        access=(AccessSegment(amount_cents=500, starting_at=OCTOBER),),
                        recurrence="MONTHLY",
                    ),
                ),
            ),
        ),
        invoices=(
            PageInvoice(
                id="i3",
                status="DRAFT",
                contract_id="c1",
                start_timestamp=NOVEMBER,
                end_timestamp=NOW,
                total_cents=700,
                line_items=(PageInvoiceLine(name="API calls", quantity=12.5, total_cents=700),),
            ),
            PageInvoice(
                id="i1",
                status="VOID",
                start_timestamp=OCTOBER,
                end_timestamp=NOVEMBER,
                total_cents=0,
            ),
        ),
    )


def test_round_trip(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, account_key("https://api.metronome.com", "tok"))
    cache.store(_snapshot())
    read = cache.load()
    assert read.notice is None
    assert read.snapshot == _snapshot()
    assert [p.name for p in tmp_path.iterdir()] == [cache.path.name]


def test_round_trip_of_an_empty_snapshot_and_failures_without_records(tmp_path: Path) -> None:
    snapshot = AccountSnapshot(
        usage_failure="the server failed (HTTP 502)",
        pricing_failure="the request timed out",
        failed_invoices={"m1": "the server failed (HTTP 502)"},
        failed_billing_configurations={"m1": "the request timed out"},
    )
    cache = SnapshotCache(tmp_path, "k")
    cache.store(snapshot)
    assert cache.load().snapshot == snapshot


def test_loaded_records_are_in_utc_and_share_repeated_values(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    cache.store(_snapshot())
    loaded = cache.load().snapshot
    assert loaded is not None
    first, second = loaded.invoices["m1"]
    # Thousands of invoices share a billing period: one datetime object, not one each.
    assert first.end_timestamp is second.end_timestamp
    assert first.end_timestamp.tzinfo is UTC
    assert first.line_items[0].name is second.line_items[0].name
    assert first.customer_id is loaded.contracts["m1"][0].customer_id


def test_a_stripe_id_read_in_several_records_is_one_object(
    tmp_path: Path,
) -> None:
    # Ints over 256 and strings the parser reads are new objects at each place they appear.
    stripe_id = "cus_" + "Shared" * 3
    snapshot = AccountSnapshot(
        stripe_customers=[StripeCustomer(stripe_id, "Acme", None, OCTOBER, False)],
        metronome_customers=[MetronomeCustomer("m1", "Acme", OCTOBER, ingest_aliases=(stripe_id,))],
        invoices={
            "m1": (_invoice("i1", "m1", 12_345),),
            "m2": (
                Invoice("i2", "m2", "FINALIZED", OCTOBER, NOVEMBER, 12_345, ()),
                Invoice(
                    "i3",
                    "m2",
                    "FINALIZED",
                    OCTOBER,
                    NOVEMBER,
                    99_999,
                    (InvoiceLineItem("Seats", None, 12_245),),
                ),
            ),
        },
    )
    cache = SnapshotCache(tmp_path, "k")
    cache.store(snapshot)
    loaded = cache.load().snapshot
    assert loaded == snapshot
    assert loaded.metronome_customers[0].ingest_aliases[0] is loaded.stripe_customers[0].id
    (first,), (second, third) = loaded.invoices["m1"], loaded.invoices["m2"]
    # Invoices keep their totals in the snapshot's table of invoices, and lines their amounts
    # in its table of lines, not as one int object each.
    assert first.total_cents == second.total_cents == 12_345
    assert first.line_items[0].total_cents == third.line_items[0].total_cents == 12_245
    assert first.line_items[0] is not third.line_items[0]


def test_an_offset_other_than_utc_loads_as_the_same_instant_in_utc(tmp_path: Path) -> None:
    plus_two = timezone(timedelta(hours=2))
    snapshot = AccountSnapshot(
        metronome_customers=[
            MetronomeCustomer("m1", "Acme", datetime(2026, 11, 1, 2, tzinfo=plus_two))
        ]
    )
    cache = SnapshotCache(tmp_path, "k")
    cache.store(snapshot)
    loaded = cache.load().snapshot
    assert loaded is not None
    created = loaded.metronome_customers[0].created_at
    assert (created, created.tzinfo) == (NOVEMBER, UTC)


def test_missing_file_is_no_snapshot_and_no_notice(tmp_path: Path) -> None:
    read = SnapshotCache(tmp_path, "k").load()
    assert read.snapshot is None and read.notice is None


def test_truncated_file_is_discarded_with_a_notice(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    cache.store(_snapshot())
    cache.path.write_bytes(cache.path.read_bytes()[:40])
    read = cache.load()
    assert read.snapshot is None
    assert read.notice == DAMAGED
    assert not cache.path.exists()


def test_a_file_cut_at_a_line_end_is_damaged(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    cache.store(_snapshot())
    lines = cache.path.read_bytes().splitlines(keepends=True)
    cache.path.write_bytes(b"".join(lines[:-1]))
    assert cache.load().notice == DAMAGED


def test_a_changed_figure_fails_the_checksum(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    cache.store(_snapshot())
    content = cache.path.read_bytes()
    assert content.count(b"12345") == 1
    cache.path.write_bytes(content.replace(b"12345", b"12346"))
    read = cache.load()
    assert (read.snapshot, read.notice) == (None, DAMAGED)


def test_garbage_file_is_discarded(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    tmp_path.joinpath(cache.path.name).write_bytes(b"\x00\xffnot json")
    assert cache.load() == CacheRead(None, DAMAGED)


@pytest.mark.parametrize(
    "content",
    [
        b'{"version":1,"fetched_at":null,"stripe_customers":[]}',  # the first format, one line
        # The format before partial snapshots: written by a version that knew of none.
        b'{"version": 2, "format": "metro-tui account snapshot"}\n["end", {}]\n',
        # The format before customer pages: it would load as an account without them.
        b'{"version": 3, "format": "metro-tui account snapshot"}\n["end", {}]\n',
        b'{"version": 5, "format": "metro-tui account snapshot"}\n["end", {}]\n',
    ],
    ids=["first", "older", "before-pages", "newer"],
)
def test_a_file_of_another_version_is_discarded_quietly(tmp_path: Path, content: bytes) -> None:
    cache = SnapshotCache(tmp_path, "k")
    cache.path.write_bytes(content)
    read = cache.load()
    assert (read.snapshot, read.notice) == (None, None)
    assert not cache.path.exists()


def test_the_version_is_read_from_the_first_bytes_only() -> None:
    assert snapshot_codec.file_version(b'{"version":2,"format":"x"}\n') == 2
    assert snapshot_codec.file_version(b'{"version": 17, "stripe_customers": [') == 17
    assert snapshot_codec.file_version(b'{"stripe_customers": [], "version": 2}') is None
    assert snapshot_codec.file_version(b"") is None


def _leftover(folder: Path, name: str, age_s: float) -> Path:
    path = folder / name
    path.write_bytes(b'{"version":2}\n["stripe_cust')
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_load_and_store_sweep_only_stale_leftovers_of_killed_writes(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "k")
    stale = _leftover(tmp_path, ".snapshot-killed1.tmp", age_s=120)
    in_progress = _leftover(tmp_path, ".snapshot-writing.tmp", age_s=5)
    unrelated = _leftover(tmp_path, ".draft-other.tmp", age_s=120)

    assert cache.load().snapshot is None
    assert not stale.exists()
    assert in_progress.exists() and unrelated.exists()

    stale_again = _leftover(tmp_path, ".snapshot-killed2.tmp", age_s=61)
    cache.store(_snapshot())
    assert not stale_again.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [cache.path.name, in_progress.name, unrelated.name]
    )


def test_key_separates_accounts_and_hides_the_token() -> None:
    first = account_key("https://api.metronome.com", "secret-token-1")
    assert first != account_key("https://api.metronome.com", "secret-token-2")
    assert first != account_key("https://other.example", "secret-token-1")
    assert "secret" not in first

"""Wizard drafts saved to disk: round trip, damaged files, delete."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from metro_tui.drafts import (
    ContractDraft,
    CreditDraft,
    CreditSegmentDraft,
    DiscountDraft,
    DraftStore,
)
from tests.drafts.catalogue import TODAY


def half_typed_draft(stripe_customer_id: str = "cus_Acme000000001") -> ContractDraft:
    draft = ContractDraft.for_customer(
        stripe_customer_id=stripe_customer_id,
        customer_name="Acme Rockets",
        metronome_customer_id=None,
        today=TODAY,
    )
    draft.name = "Acme 20"
    draft.end_date = "2027-1"
    draft.discounts = [DiscountDraft(percent="1", tags=["compute"])]
    draft.subscription_quantities = {"p-seats": "2"}
    draft.entitlements = {"p-api": False}
    draft.credits = [
        CreditDraft(
            product_id="p-prepaid",
            schedule="CUSTOM",
            segments=[CreditSegmentDraft(start_date="2026-12-01", credit_amount="$1,0")],
        )
    ]
    return draft


def test_a_new_draft_starts_today_with_its_own_uniqueness_key() -> None:
    first, second = half_typed_draft(), half_typed_draft()
    assert first.start_date == "2026-11-24"
    assert first.net_payment_terms == "30"
    assert (first.invoice_frequency, first.send_on) == ("MONTHLY", "FIRST_OF_MONTH")
    assert first.uniqueness_key != second.uniqueness_key
    with pytest.raises(ValueError, match="frozen"):
        first.uniqueness_key = "another"  # type: ignore[misc]


def test_a_half_typed_draft_round_trips(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    draft = half_typed_draft()
    store.save(draft)
    assert store.load("cus_Acme000000001") == draft
    assert store.list() == [draft]
    assert [path.name for path in (tmp_path / "drafts").iterdir()] == ["cus_Acme000000001.json"]


def test_saving_again_replaces_the_customers_draft(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft = half_typed_draft()
    store.save(draft)
    draft.metronome_customer_id = "m-new"
    store.save(draft)
    loaded = store.load("cus_Acme000000001")
    assert loaded is not None
    assert loaded.metronome_customer_id == "m-new"
    assert loaded.uniqueness_key == draft.uniqueness_key
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cus_Acme000000001.json"]


def test_list_is_ordered_by_customer_and_skips_stray_files(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    later, earlier = half_typed_draft("cus_Zed"), half_typed_draft("cus_Abc")
    store.save(later)
    store.save(earlier)
    (tmp_path / "notes.txt").write_text("not a draft")
    assert store.list() == [earlier, later]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"stripe_customer_id": "cus_Acme000000001", "customer_na',
        b"\xff\xfe not utf-8",
        b'{"stripe_customer_id": "cus_Acme000000001"}',
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_draft_is_ignored_and_removed(tmp_path: Path, content: bytes) -> None:
    store = DraftStore(tmp_path)
    store.save(half_typed_draft("cus_Good"))
    damaged = tmp_path / "cus_Acme000000001.json"
    damaged.write_bytes(content)
    assert store.load("cus_Acme000000001") is None
    assert not damaged.exists()
    damaged.write_bytes(content)
    assert [draft.stripe_customer_id for draft in store.list()] == ["cus_Good"]
    assert not damaged.exists()


def test_a_draft_filed_under_another_customer_is_damaged(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    misfiled = tmp_path / "cus_Other.json"
    misfiled.write_text(half_typed_draft().model_dump_json())
    assert store.load("cus_Other") is None
    assert not misfiled.exists()


def test_delete(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(half_typed_draft())
    store.delete("cus_Acme000000001")
    assert store.load("cus_Acme000000001") is None
    assert store.list() == []
    store.delete("cus_Acme000000001")  # deleting what is not there is not an error


def test_saved_at_is_the_last_save_in_utc(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(half_typed_draft())
    saved = datetime(2026, 11, 24, 14, 5, 30, tzinfo=UTC)
    os.utime(store.path_for("cus_Acme000000001"), (saved.timestamp(), saved.timestamp()))
    assert store.saved_at("cus_Acme000000001") == saved
    store.delete("cus_Acme000000001")
    assert store.saved_at("cus_Acme000000001") is None


def test_nothing_saved_yet(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "missing")
    assert store.load("cus_Acme000000001") is None
    assert store.saved_at("cus_Acme000000001") is None
    assert store.list() == []


@pytest.mark.parametrize("bad_id", ["../escape", "cus/1", "", "cus 1"])
def test_customer_ids_cannot_leave_the_drafts_folder(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(ValueError, match="Not a Stripe customer id"):
        DraftStore(tmp_path).load(bad_id)


def test_the_default_folder_is_in_the_app_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert DraftStore().root == tmp_path / "metro-tui" / "drafts"


def test_saving_sweeps_temporaries_left_by_a_killed_save(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    tmp_path.mkdir(exist_ok=True)
    stale = tmp_path / ".draft-killed.tmp"
    fresh = tmp_path / ".draft-in-flight.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))

    store.save(
        ContractDraft.for_customer(
            stripe_customer_id="cus_sweep",
            customer_name="Sweep Ltd",
            metronome_customer_id=None,
            today=TODAY,
        )
    )

    assert not stale.exists()
    assert fresh.exists()  # another save may still be writing it
    assert store.load("cus_sweep") is not None

"""What is left of a commit or credit, and its ledger: hand-built grants with exact numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from metro_tui.local.metronome.balances import Drawdown, grant_standing

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def grant(kind: str, *segments: tuple[str, float, str, str]) -> dict[str, Any]:
    items = [
        {"id": sid, "amount": amount, "starting_at": f"{start}T00:00:00.000Z",
         "ending_before": f"{end}T00:00:00.000Z"}
        for sid, amount, start, end in segments
    ]  # fmt: skip
    return {"id": "g", "type": kind, "access_schedule": {"schedule_items": items}}


def draw(segment: str, invoice: str, start: str, amount: float) -> Drawdown:
    return Drawdown("g", segment, invoice, at(start), amount)


def test_a_current_segment_keeps_what_finalized_invoices_did_not_draw() -> None:
    commit = grant("PREPAID", ("s1", 100_000, "2026-01-01", "2027-01-01"))
    standing = grant_standing(
        commit,
        [draw("s1", "i2", "2026-10-01", 12_500), draw("s1", "i1", "2026-09-01", 30_000)],
        NOW,
    )
    assert standing.balance == 57_500
    assert standing.ledger == [
        {"type": "PREPAID_COMMIT_SEGMENT_START", "timestamp": "2026-01-01T00:00:00.000Z",
         "amount": 100_000, "segment_id": "s1"},
        {"type": "PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION",
         "timestamp": "2026-09-01T00:00:00.000Z", "amount": -30_000, "segment_id": "s1",
         "invoice_id": "i1"},
        {"type": "PREPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION",
         "timestamp": "2026-10-01T00:00:00.000Z", "amount": -12_500, "segment_id": "s1",
         "invoice_id": "i2"},
    ]  # fmt: skip


def test_an_ended_segment_expires_its_remainder_and_counts_nothing() -> None:
    credit = grant(
        "CREDIT",
        ("old", 5_000, "2026-01-01", "2026-04-01"),
        ("now", 8_000, "2026-04-01", "2027-04-01"),
        ("later", 9_000, "2027-04-01", "2028-04-01"),
    )
    standing = grant_standing(
        credit,
        [draw("old", "i1", "2026-02-01", 1_200), draw("now", "i2", "2026-05-01", 8_000)],
        NOW,
    )
    # The current segment is fully used; the upcoming one is neither counted nor listed.
    assert standing.balance == 0
    assert [(e["type"], e["timestamp"][:10], e["amount"]) for e in standing.ledger] == [
        ("CREDIT_SEGMENT_START", "2026-01-01", 5_000),
        ("CREDIT_AUTOMATED_INVOICE_DEDUCTION", "2026-02-01", -1_200),
        ("CREDIT_EXPIRATION", "2026-04-01", -3_800),
        ("CREDIT_SEGMENT_START", "2026-04-01", 8_000),
        ("CREDIT_AUTOMATED_INVOICE_DEDUCTION", "2026-05-01", -8_000),
    ]
    assert sum(entry["amount"] for entry in standing.ledger) == standing.balance


def test_a_fully_used_segment_that_ended_has_nothing_to_expire() -> None:
    credit = grant("CREDIT", ("s", 2_000, "2026-01-01", "2026-02-01"))
    standing = grant_standing(credit, [draw("s", "i", "2026-01-01", 2_000)], NOW)
    assert standing.balance == 0
    assert [entry["type"] for entry in standing.ledger] == [
        "CREDIT_SEGMENT_START",
        "CREDIT_AUTOMATED_INVOICE_DEDUCTION",
    ]


def test_a_segment_ending_now_has_expired() -> None:
    """`ending_before` is exclusive: at that instant the segment is over."""
    credit = grant("CREDIT", ("s", 700, "2026-10-24", "2026-11-24"))
    standing = grant_standing(credit, [], at("2026-11-24"))
    assert standing.balance == 0
    assert standing.ledger[-1] == {
        "type": "CREDIT_EXPIRATION",
        "timestamp": "2026-11-24T00:00:00.000Z",
        "amount": -700,
        "segment_id": "s",
    }


def test_a_postpaid_commit_names_no_segment_where_its_entries_do_not() -> None:
    commit = grant("POSTPAID", ("s", 40_000, "2026-01-01", "2026-07-01"))
    standing = grant_standing(commit, [draw("s", "i", "2026-03-01", 15_000)], NOW)
    assert standing.balance == 0
    assert standing.ledger == [
        {"type": "POSTPAID_COMMIT_INITIAL_BALANCE", "timestamp": "2026-01-01T00:00:00.000Z",
         "amount": 40_000},
        {"type": "POSTPAID_COMMIT_AUTOMATED_INVOICE_DEDUCTION",
         "timestamp": "2026-03-01T00:00:00.000Z", "amount": -15_000, "segment_id": "s",
         "invoice_id": "i"},
        {"type": "POSTPAID_COMMIT_EXPIRATION", "timestamp": "2026-07-01T00:00:00.000Z",
         "amount": -25_000},
    ]  # fmt: skip

"""Provision status at its edges: now is noon UTC on 24 Nov 2026."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from metro_tui.models import Contract, ProvisionStatus
from metro_tui.services.provisioning import is_contract_active, provision_status

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
DAYS_30 = timedelta(days=30)
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def contract(
    starting_at: datetime, ending_before: datetime | None = None, archived: bool = False
) -> Contract:
    return Contract(
        id="c1",
        customer_id="m1",
        starting_at=starting_at,
        ending_before=ending_before,
        archived_at=NOW - DAYS_30 if archived else None,
    )


def test_no_contracts_no_status() -> None:
    assert provision_status([], NOW) is None


def test_starting_exactly_now_is_active() -> None:
    assert provision_status([contract(NOW, NOW + DAYS_30)], NOW) is ProvisionStatus.ACTIVE


def test_open_ended_started_contract_is_active() -> None:
    assert provision_status([contract(LONG_AGO)], NOW) is ProvisionStatus.ACTIVE


def test_ending_exactly_now_is_not_active_but_recently_ended() -> None:
    ended_now = contract(LONG_AGO, NOW)
    assert not is_contract_active(ended_now, NOW)
    assert provision_status([ended_now], NOW) is ProvisionStatus.RECENTLY_ENDED


def test_ending_one_second_after_now_is_active() -> None:
    assert provision_status([contract(LONG_AGO, NOW + SECOND)], NOW) is ProvisionStatus.ACTIVE


def test_starting_one_second_after_now_is_active_soon() -> None:
    assert provision_status([contract(NOW + SECOND)], NOW) is ProvisionStatus.ACTIVE_SOON


def test_ended_exactly_30_days_ago_is_recently_ended() -> None:
    ended = contract(LONG_AGO, NOW - DAYS_30)
    assert provision_status([ended], NOW) is ProvisionStatus.RECENTLY_ENDED


def test_ended_30_days_and_1_second_ago_has_no_status() -> None:
    assert provision_status([contract(LONG_AGO, NOW - DAYS_30 - SECOND)], NOW) is None


def test_archived_contracts_are_ignored() -> None:
    archived_active = contract(LONG_AGO, archived=True)
    assert not is_contract_active(archived_active, NOW)
    assert provision_status([archived_active], NOW) is None
    ended = contract(LONG_AGO, NOW - timedelta(days=3))
    assert provision_status([archived_active, ended], NOW) is ProvisionStatus.RECENTLY_ENDED


def test_active_wins_over_active_soon_which_wins_over_recently_ended() -> None:
    active = contract(LONG_AGO, NOW + DAYS_30)
    soon = contract(NOW + DAYS_30)
    ended = contract(LONG_AGO, NOW - timedelta(days=1))
    assert provision_status([ended, soon, active], NOW) is ProvisionStatus.ACTIVE
    assert provision_status([ended, soon], NOW) is ProvisionStatus.ACTIVE_SOON

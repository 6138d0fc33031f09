"""Domain models: immutable, UTC-aware, and strict about the values the definitions rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from metro_tui.models import Contract, MetronomeCustomer, Product, ProvisionStatus

UTC_MINUS_4 = timezone(timedelta(hours=-4))


def test_datetimes_are_converted_to_utc() -> None:
    customer = MetronomeCustomer(
        id="m1", name="Acme", created_at=datetime(2026, 10, 31, 20, 0, tzinfo=UTC_MINUS_4)
    )
    assert customer.created_at == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert customer.created_at.tzinfo is UTC


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValidationError):
        MetronomeCustomer(id="m1", name="Acme", created_at=datetime(2026, 11, 1))


def test_models_are_frozen() -> None:
    contract = Contract(id="c1", customer_id="m1", starting_at=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError):
        contract.name = "Renamed"  # type: ignore[misc]


def test_product_type_is_one_of_metronomes_four() -> None:
    assert Product(id="p1", name="API calls", type="USAGE").tags == ()
    with pytest.raises(ValidationError):
        Product(id="p1", name="API calls", type="METERED")


def test_provision_status_values_are_the_labels_shown() -> None:
    assert [status.value for status in ProvisionStatus] == [
        "Active",
        "Active Soon",
        "Recently Ended",
    ]
    assert ProvisionStatus("Recently Ended") is ProvisionStatus.RECENTLY_ENDED

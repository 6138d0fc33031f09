"""Domain models: immutable, UTC-aware, and strict about the values the definitions rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from metro_tui.models import (
    Contract,
    MetronomeCustomer,
    Product,
    ProvisionStatus,
    UsageEvent,
    utc,
)

UTC_MINUS_4 = timezone(timedelta(hours=-4))


def test_utc_converts_an_aware_datetime_to_utc() -> None:
    converted = utc(datetime(2026, 10, 31, 20, 0, tzinfo=UTC_MINUS_4))
    assert converted == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert converted.tzinfo is UTC


def test_utc_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="has no timezone"):
        utc(datetime(2026, 11, 1))


def test_validating_models_convert_to_utc_and_refuse_naive_datetimes() -> None:
    event = UsageEvent(
        transaction_id="t1", received_at=datetime(2026, 10, 31, 20, tzinfo=UTC_MINUS_4)
    )
    assert event.received_at == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert event.received_at.tzinfo is UTC
    with pytest.raises(ValidationError):
        UsageEvent(transaction_id="t1", received_at=datetime(2026, 11, 1))


def test_records_are_immutable() -> None:
    contract = Contract(id="c1", customer_id="m1", starting_at=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(AttributeError):
        contract.name = "Renamed"  # type: ignore[misc]
    customer = MetronomeCustomer(id="m1", name="Acme", created_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert customer._replace(name="Renamed").name == "Renamed"
    assert customer.name == "Acme"


def test_models_are_frozen() -> None:
    product = Product(id="p1", name="API calls", type="USAGE")
    with pytest.raises(ValidationError):
        product.name = "Renamed"  # type: ignore[misc]


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

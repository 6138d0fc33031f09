"""The first paint's figures and rows as JSON, read back without pydantic.

The file is read before the first frame of every warm start, where building a pydantic
validator for it cost more than reading it, and importing pydantic more again. So each value
is read by hand into the plain values of `figures.py` and checked as it is read: a missing
field or one of the wrong type fails the whole file, as damage does.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from metro_tui.figures import CustomerRow, LoadedShare, OverviewFigures, ProvisionStatus, UsageDay
from metro_tui.services.products import ProductRevenue
from metro_tui.services.revenue import MonthRevenue, RevenueChange

Value = TypeVar("Value")


class NotAFirstPaint(ValueError):
    """The JSON does not hold the values a first paint is made of."""


def encode(value: object) -> bytes:
    """`value` (dataclasses of the first paint) as compact JSON."""
    plain = dataclasses.asdict(value)  # type: ignore[call-overload]
    return json.dumps(plain, default=_json_value, separators=(",", ":")).encode()


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of a first paint")


def overview_of(data: Mapping[str, Any]) -> OverviewFigures:
    so_far = data["revenue_so_far"]
    usage = _optional(data, "usage_events", list)
    return OverviewFigures(
        total_revenue_cents=typed_field(data, "total_revenue_cents", int),
        revenue_last_month=_revenue_change(typed_field(data, "revenue_last_month", dict)),
        revenue_by_month=[
            MonthRevenue(typed_field(month, "month", str), typed_field(month, "amount_cents", int))
            for month in typed_field(data, "revenue_by_month", list)
        ],
        new_customers=typed_field(data, "new_customers", int),
        top_products=[
            ProductRevenue(
                typed_field(product, "name", str),
                typed_field(product, "amount_cents", int),
                _number(product, "share"),
            )
            for product in typed_field(data, "top_products", list)
        ],
        usage_events=None if usage is None else [_usage_day(day) for day in usage],
        customers_missing_revenue=typed_field(data, "customers_missing_revenue", int),
        revenue_error=_optional(data, "revenue_error", str),
        usage_error=_optional(data, "usage_error", str),
        revenue_so_far=None if so_far is None else _loaded_share(so_far),
        listing_customers=typed_field(data, "listing_customers", bool),
        usage_loading=typed_field(data, "usage_loading", bool),
    )


def row_of(data: Mapping[str, Any]) -> CustomerRow:
    status = _optional(data, "provision_status", str)
    return CustomerRow(
        stripe_customer_id=typed_field(data, "stripe_customer_id", str),
        metronome_customer_id=_optional(data, "metronome_customer_id", str),
        name=typed_field(data, "name", str),
        email=typed_field(data, "email", str),
        date_created=_datetime(typed_field(data, "date_created", str)),
        lifetime_billings_cents=_optional(data, "lifetime_billings_cents", int),
        provision_status=None if status is None else ProvisionStatus(status),
        billings_error=_optional(data, "billings_error", str),
        status_error=_optional(data, "status_error", str),
        billings_loading=typed_field(data, "billings_loading", bool),
        status_loading=typed_field(data, "status_loading", bool),
    )


def day_of(text: object) -> date:
    if not isinstance(text, str):
        raise NotAFirstPaint(f"{text!r} is not a date")
    return date.fromisoformat(text)


def _revenue_change(data: Mapping[str, Any]) -> RevenueChange:
    percent = data["change_percent"]
    return RevenueChange(
        last_month_cents=typed_field(data, "last_month_cents", int),
        previous_month_cents=typed_field(data, "previous_month_cents", int),
        change_cents=typed_field(data, "change_cents", int),
        change_percent=None if percent is None else _number(data, "change_percent"),
    )


def _usage_day(data: Mapping[str, Any]) -> UsageDay:
    return UsageDay(
        day=day_of(data["day"]),
        total=typed_field(data, "total", int),
        duplicates=typed_field(data, "duplicates", int),
    )


def _loaded_share(data: Mapping[str, Any]) -> LoadedShare:
    return LoadedShare(
        customers_loaded=typed_field(data, "customers_loaded", int),
        customers_listed=typed_field(data, "customers_listed", int),
        listing_finished=typed_field(data, "listing_finished", bool),
    )


def _datetime(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise NotAFirstPaint(f"{text} has no timezone")
    return moment


def typed_field(data: Mapping[str, Any], name: str, kind: type[Value]) -> Value:
    """`data[name]`, which must be exactly a `kind` (a bool is not an int here)."""
    value = data[name]
    if type(value) is not kind:
        raise NotAFirstPaint(f"{name} is {value!r}, not {kind.__name__}")
    return value


def _optional(data: Mapping[str, Any], name: str, kind: type[Value]) -> Value | None:
    return None if data[name] is None else typed_field(data, name, kind)


def _number(data: Mapping[str, Any], name: str) -> float:
    """A float field (1 reads as 1.0)."""
    value = data[name]
    if type(value) not in (float, int):
        raise NotAFirstPaint(f"{name} is {value!r}, not a number")
    return float(value)

"""The ContractV2 document of a contract, built from a create-contract body that is already
valid: the endpoint's body once validated (`ContractCreate.model_dump()`), or a body the demo
seed made itself. Timestamps may be datetimes or RFC 3339 text and numbers ints or floats; an
optional field may be left out or None. Nothing here validates: callers do.

The stored document is what /v2/contracts/get returns, except subscription `billing_periods`,
which depend on the time of the read and are filled by the route.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.db import dumps
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.periods import billing_anchor
from metro_tui.local.metronome.records import (
    CREATED_BY,
    USD_CREDIT_TYPE,
    USD_CREDIT_TYPE_ID,
    derived_id,
    product_docs,
    product_ref,
)

Body = Mapping[str, Any]
DEFAULT_SCHEDULE: Body = {"frequency": "MONTHLY", "day": "FIRST_OF_MONTH"}


def store_contract(
    conn: sqlite3.Connection, body: Body, *, contract_id: str, created_at: datetime
) -> dict[str, Any]:
    """Store the contract of a valid body, with the billing configuration it names."""
    lookup = body.get("billing_provider_configuration")
    billing_configuration = (
        None if lookup is None else billing_configuration_for(conn, body["customer_id"], lookup)
    )
    doc = _ContractBuilder(conn, body, contract_id, created_at).build(billing_configuration)
    conn.execute(
        "INSERT INTO contracts (id, customer_id, starting_at, ending_before, uniqueness_key, "
        "doc) VALUES (?, ?, ?, ?, ?, ?)",
        (
            doc["id"],
            body["customer_id"],
            doc["starting_at"],
            doc.get("ending_before"),
            body.get("uniqueness_key"),
            dumps(doc),
        ),
    )
    return doc


def billing_configuration_for(
    conn: sqlite3.Connection, customer_id: str, lookup: Body
) -> dict[str, Any]:
    """The customer's live billing configuration a contract names, by id or by provider and
    delivery method (the newest such); 400 when the customer has none."""
    rows = conn.execute(
        "SELECT doc FROM billing_configurations WHERE customer_id = ? AND archived_at IS NULL "
        "ORDER BY seq DESC",
        (customer_id,),
    ).fetchall()
    config_id = lookup.get("billing_provider_configuration_id")
    for row in rows:
        doc: dict[str, Any] = json.loads(row[0])
        if config_id is not None:
            if doc["id"] == config_id:
                return doc
        elif (doc["billing_provider"], doc["delivery_method"]) == (
            lookup.get("billing_provider"),
            lookup.get("delivery_method"),
        ):
            return doc
    raise ApiError(
        400,
        "billing_provider_configuration: the customer has no matching "
        "billing provider configuration",
    )


def priced(item: Body) -> tuple[float, float, float]:
    """(amount, quantity, unit_price) of an invoice schedule item as Metronome reports them:
    it gives `amount`, or `unit_price` with an optional `quantity`."""
    unit_price = _number(item.get("unit_price"))
    if unit_price is not None:
        quantity = _number(item.get("quantity"))
        if quantity is None:
            return unit_price, 1, unit_price
        return unit_price * quantity, quantity, unit_price
    amount = _number(item.get("amount")) or 0.0
    return amount, 1, amount


def _moment(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _iso_or_none(value: datetime | str | None) -> str | None:
    return None if value is None else iso(_moment(value))


def _number(value: float | None) -> float | None:
    """Numbers as the validated body holds them: floats."""
    return None if value is None else float(value)


def _optional(**fields: Any) -> dict[str, Any]:
    """The given fields that are set; Metronome leaves unset optional fields out."""
    return {key: value for key, value in fields.items() if value is not None}


class _ContractBuilder:
    """Turns a valid body into the ContractV2 document, with ids derived from the contract id
    so equal seeds give equal databases."""

    def __init__(
        self, conn: sqlite3.Connection, body: Body, contract_id: str, created_at: datetime
    ) -> None:
        self.conn = conn
        self.body = body
        self.contract_id = contract_id
        self.created_at = iso(created_at)
        self.starting_at = _moment(body["starting_at"])

    def id_for(self, path: str) -> str:
        return derived_id(self.contract_id, path)

    def product(self, product_id: str) -> dict[str, str]:
        return product_ref(product_docs(self.conn, [product_id], "product_id")[product_id])

    def build(self, billing_configuration: dict[str, Any] | None) -> dict[str, Any]:
        body = self.body
        schedule = body.get("usage_statement_schedule") or DEFAULT_SCHEDULE

        def each(field: str) -> list[tuple[str, Body]]:
            return [(f"{field}/{i}", item) for i, item in enumerate(body.get(field) or [])]

        return {
            "id": self.contract_id,
            "customer_id": body["customer_id"],
            "created_at": self.created_at,
            "created_by": CREATED_BY,
            "starting_at": iso(self.starting_at),
            **_optional(
                ending_before=_iso_or_none(body.get("ending_before")),
                name=body.get("name"),
                rate_card_id=body.get("rate_card_id"),
                net_payment_terms_days=_number(body.get("net_payment_terms_days")),
                uniqueness_key=body.get("uniqueness_key"),
                custom_fields=body.get("custom_fields"),
                customer_billing_provider_configuration=billing_configuration,
            ),
            "multiplier_override_prioritization": body.get("multiplier_override_prioritization")
            or "LOWEST_MULTIPLIER",
            "usage_statement_schedule": {
                "frequency": schedule["frequency"],
                "billing_anchor_date": iso(self.billing_anchor(schedule)),
            },
            "commits": [self.commit(c, path) for path, c in each("commits")],
            "credits": [self.credit(c, path) for path, c in each("credits")],
            "recurring_commits": [
                self.recurring(c, path, schedule) for path, c in each("recurring_commits")
            ],
            "recurring_credits": [
                self.recurring(c, path, schedule) for path, c in each("recurring_credits")
            ],
            "overrides": [self.override(o, path) for path, o in each("overrides")],
            "subscriptions": [self.subscription(s, path) for path, s in each("subscriptions")],
            "scheduled_charges": [],
            "transitions": [],
            "usage_filter": [],
        }

    def billing_anchor(self, schedule: Body) -> datetime:
        anchor_date = schedule.get("billing_anchor_date")
        return billing_anchor(
            self.starting_at,
            schedule.get("day") or "FIRST_OF_MONTH",
            None if anchor_date is None else _moment(anchor_date),
        )

    def access_schedule(self, schedule: Body, path: str) -> dict[str, Any]:
        return {
            "credit_type": USD_CREDIT_TYPE,
            "schedule_items": [
                {
                    "id": self.id_for(f"{path}/{i}"),
                    "amount": _number(item["amount"]),
                    "starting_at": iso(_moment(item["starting_at"])),
                    "ending_before": iso(_moment(item["ending_before"])),
                }
                for i, item in enumerate(schedule["schedule_items"])
            ],
        }

    def invoice_schedule(self, schedule: Body, path: str) -> dict[str, Any]:
        items = []
        for i, item in enumerate(schedule["schedule_items"]):
            amount, quantity, unit_price = priced(item)
            items.append(
                {
                    "id": self.id_for(f"{path}/{i}"),
                    "amount": amount,
                    "quantity": quantity,
                    "unit_price": unit_price,
                    "timestamp": iso(_moment(item["timestamp"])),
                }
            )
        return {
            "credit_type": USD_CREDIT_TYPE,
            "schedule_items": items,
            "do_not_invoice": bool(schedule.get("do_not_invoice", False)),
        }

    def grant_fields(self, grant: Body, path: str) -> dict[str, Any]:
        """What every commit and credit carries: id, product, contract and optional terms."""
        return {
            "id": self.id_for(path),
            "product": self.product(grant["product_id"]),
            "contract": {"id": self.contract_id},
            **_optional(
                name=grant.get("name"),
                description=grant.get("description"),
                rollover_fraction=_number(grant.get("rollover_fraction")),
                applicable_product_ids=grant.get("applicable_product_ids"),
                applicable_product_tags=grant.get("applicable_product_tags"),
                custom_fields=grant.get("custom_fields"),
            ),
        }

    def commit(self, commit: Body, path: str) -> dict[str, Any]:
        doc = {
            **self.grant_fields(commit, path),
            "type": commit["type"],
            "created_at": self.created_at,
            **_optional(
                priority=_number(commit.get("priority")), rate_type=commit.get("rate_type")
            ),
        }
        if commit.get("access_schedule") is not None:
            doc["access_schedule"] = self.access_schedule(
                commit["access_schedule"], f"{path}/access_schedule"
            )
        if commit.get("invoice_schedule") is not None:
            doc["invoice_schedule"] = self.invoice_schedule(
                commit["invoice_schedule"], f"{path}/invoice_schedule"
            )
        return doc

    def credit(self, credit: Body, path: str) -> dict[str, Any]:
        return {
            **self.grant_fields(credit, path),
            "type": "CREDIT",
            "created_at": self.created_at,
            "access_schedule": self.access_schedule(
                credit["access_schedule"], f"{path}/access_schedule"
            ),
            **_optional(
                priority=_number(credit.get("priority")), rate_type=credit.get("rate_type")
            ),
        }

    def recurring(self, grant: Body, path: str, schedule: Body) -> dict[str, Any]:
        access = grant["access_amount"]
        duration = grant["commit_duration"]
        starting_at = _moment(grant["starting_at"])
        frequency = grant.get("recurrence_frequency")
        doc = {
            **self.grant_fields(grant, path),
            "access_amount": {
                "credit_type_id": USD_CREDIT_TYPE_ID,
                "unit_price": _number(access["unit_price"]),
                **_optional(quantity=_number(access.get("quantity"))),
            },
            "commit_duration": {
                "value": _number(duration["value"]),
                "unit": duration.get("unit") or "PERIODS",
            },
            "priority": _number(grant["priority"]),
            "rate_type": grant.get("rate_type") or "COMMIT_RATE",
            "starting_at": iso(starting_at),
            # Without a frequency of its own a recurring grant follows the usage invoices,
            # and its periods are counted from theirs.
            "anchor_date": iso(starting_at if frequency else self.billing_anchor(schedule)),
            "proration": grant.get("proration") or "FIRST_AND_LAST",
            **_optional(
                recurrence_frequency=frequency,
                ending_before=_iso_or_none(grant.get("ending_before")),
            ),
        }
        invoiced = grant.get("invoice_amount")
        if invoiced is not None:
            doc["invoice_amount"] = {
                "unit_price": _number(invoiced["unit_price"]),
                "quantity": _number(invoiced["quantity"]),
                "credit_type_id": invoiced["credit_type_id"],
            }
        return doc

    def override(self, override: Body, path: str) -> dict[str, Any]:
        product_id = override.get("product_id")
        doc = {
            "id": self.id_for(path),
            "created_at": self.created_at,
            "starting_at": iso(_moment(override["starting_at"])),
            **_optional(
                ending_before=_iso_or_none(override.get("ending_before")),
                type=override.get("type"),
                multiplier=_number(override.get("multiplier")),
                entitled=override.get("entitled"),
                priority=_number(override.get("priority")),
                applicable_product_tags=override.get("applicable_product_tags"),
                product=self.product(product_id) if product_id else None,
            ),
        }
        specifiers = override.get("override_specifiers")
        if specifiers is not None:
            doc["override_specifiers"] = [
                _optional(product_id=s.get("product_id"), product_tags=s.get("product_tags"))
                for s in specifiers
            ]
        return doc

    def subscription(self, subscription: Body, path: str) -> dict[str, Any]:
        rate = subscription["subscription_rate"]
        proration = subscription.get("proration") or {}
        start = _moment(subscription.get("starting_at") or self.starting_at)
        end = subscription.get("ending_before") or self.body.get("ending_before")
        period = {
            "quantity": _number(subscription["initial_quantity"]),
            "starting_at": iso(start),
            **_optional(ending_before=_iso_or_none(end)),
        }
        return {
            "id": self.id_for(path),
            "created_at": self.created_at,
            "subscription_rate": {
                "billing_frequency": rate["billing_frequency"],
                "product": self.product(rate["product_id"]),
            },
            "collection_schedule": subscription["collection_schedule"],
            "proration": {
                "is_prorated": proration.get("is_prorated", True),
                "invoice_behavior": proration.get("invoice_behavior") or "BILL_IMMEDIATELY",
            },
            "quantity_management_mode": subscription.get("quantity_management_mode")
            or "QUANTITY_ONLY",
            "quantity_schedule": [period],
            "starting_at": iso(start),
            "fiat_credit_type_id": USD_CREDIT_TYPE_ID,
            "billing_periods": {},
            **_optional(
                ending_before=_iso_or_none(end),
                name=subscription.get("name"),
                description=subscription.get("description"),
                custom_fields=subscription.get("custom_fields"),
            ),
        }

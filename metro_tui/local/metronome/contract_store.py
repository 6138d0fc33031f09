"""POST /v1/contracts/create: store a checked request as the ContractV2 document.

The stored document is what /v2/contracts/get returns, except subscription `billing_periods`,
which depend on the time of the read and are filled by the route.
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.db import dumps
from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.contract_checks import billing_configuration_for, check_references
from metro_tui.local.metronome.contract_schemas import (
    AccessSchedule,
    CommitInput,
    ContractCreate,
    CreditInput,
    InvoiceSchedule,
    OverrideInput,
    RecurringCommitInput,
    RecurringCreditInput,
    SubscriptionInput,
    UsageStatementScheduleInput,
)
from metro_tui.local.metronome.periods import billing_anchor
from metro_tui.local.metronome.records import (
    CREATED_BY,
    USD_CREDIT_TYPE,
    USD_CREDIT_TYPE_ID,
    derived_id,
    iso_or_none,
    load_doc,
    product_docs,
    product_ref,
)
from metro_tui.local.metronome.schemas import parse_body


def insert_contract(
    conn: sqlite3.Connection,
    *,
    body: dict[str, Any],
    created_at: datetime,
    contract_id: str | None = None,
) -> dict[str, Any]:
    """Validate a create-contract body as the endpoint does and store the contract."""
    request = parse_body(ContractCreate, body)
    if load_doc(conn, "customers", request.customer_id) is None:
        raise ApiError(404, f"customer {request.customer_id} not found")
    if (
        request.uniqueness_key is not None
        and conn.execute(
            "SELECT 1 FROM contracts WHERE customer_id = ? AND uniqueness_key = ?",
            (request.customer_id, request.uniqueness_key),
        ).fetchone()
    ):
        raise ApiError(
            409,
            f"a contract with uniqueness_key {request.uniqueness_key!r} "
            "already exists for this customer",
        )
    check_references(conn, request)
    billing_configuration = billing_configuration_for(conn, request)
    builder = _ContractBuilder(conn, request, contract_id or str(uuid.uuid4()), created_at)
    doc = builder.build(billing_configuration)
    conn.execute(
        "INSERT INTO contracts (id, customer_id, starting_at, ending_before, uniqueness_key, "
        "doc) VALUES (?, ?, ?, ?, ?, ?)",
        (
            doc["id"],
            request.customer_id,
            doc["starting_at"],
            doc.get("ending_before"),
            request.uniqueness_key,
            dumps(doc),
        ),
    )
    return doc


def _optional(**fields: Any) -> dict[str, Any]:
    """The given fields that are set; Metronome leaves unset optional fields out."""
    return {key: value for key, value in fields.items() if value is not None}


class _ContractBuilder:
    """Turns a validated request into the ContractV2 document, with ids derived from the
    contract id so equal seeds give equal databases."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        request: ContractCreate,
        contract_id: str,
        created_at: datetime,
    ) -> None:
        self.conn = conn
        self.request = request
        self.contract_id = contract_id
        self.created_at = iso(created_at)

    def id_for(self, path: str) -> str:
        return derived_id(self.contract_id, path)

    def product(self, product_id: str) -> dict[str, str]:
        return product_ref(product_docs(self.conn, [product_id], "product_id")[product_id])

    def build(self, billing_configuration: dict[str, Any] | None) -> dict[str, Any]:
        request = self.request
        schedule = request.usage_statement_schedule or UsageStatementScheduleInput(
            frequency="MONTHLY"
        )
        return {
            "id": self.contract_id,
            "customer_id": request.customer_id,
            "created_at": self.created_at,
            "created_by": CREATED_BY,
            "starting_at": iso(request.starting_at),
            **_optional(
                ending_before=iso_or_none(request.ending_before),
                name=request.name,
                rate_card_id=request.rate_card_id,
                net_payment_terms_days=request.net_payment_terms_days,
                uniqueness_key=request.uniqueness_key,
                custom_fields=request.custom_fields,
                customer_billing_provider_configuration=billing_configuration,
            ),
            "multiplier_override_prioritization": request.multiplier_override_prioritization
            or "LOWEST_MULTIPLIER",
            "usage_statement_schedule": {
                "frequency": schedule.frequency,
                "billing_anchor_date": iso(self.billing_anchor(schedule)),
            },
            "commits": [self.commit(c, f"commits/{i}") for i, c in enumerate(request.commits)],
            "credits": [self.credit(c, f"credits/{i}") for i, c in enumerate(request.credits)],
            "recurring_commits": [
                self.recurring(c, f"recurring_commits/{i}", schedule)
                for i, c in enumerate(request.recurring_commits)
            ],
            "recurring_credits": [
                self.recurring(c, f"recurring_credits/{i}", schedule)
                for i, c in enumerate(request.recurring_credits)
            ],
            "overrides": [
                self.override(o, f"overrides/{i}") for i, o in enumerate(request.overrides)
            ],
            "subscriptions": [
                self.subscription(s, f"subscriptions/{i}")
                for i, s in enumerate(request.subscriptions)
            ],
            "scheduled_charges": [],
            "transitions": [],
            "usage_filter": [],
        }

    def billing_anchor(self, schedule: UsageStatementScheduleInput) -> datetime:
        return billing_anchor(self.request.starting_at, schedule.day, schedule.billing_anchor_date)

    def access_schedule(self, schedule: AccessSchedule, path: str) -> dict[str, Any]:
        return {
            "credit_type": USD_CREDIT_TYPE,
            "schedule_items": [
                {
                    "id": self.id_for(f"{path}/{i}"),
                    "amount": item.amount,
                    "starting_at": iso(item.starting_at),
                    "ending_before": iso(item.ending_before),
                }
                for i, item in enumerate(schedule.schedule_items)
            ],
        }

    def invoice_schedule(self, schedule: InvoiceSchedule, path: str) -> dict[str, Any]:
        items = []
        for i, item in enumerate(schedule.schedule_items):
            amount, quantity, unit_price = item.priced()
            items.append(
                {
                    "id": self.id_for(f"{path}/{i}"),
                    "amount": amount,
                    "quantity": quantity,
                    "unit_price": unit_price,
                    "timestamp": iso(item.timestamp),
                }
            )
        return {
            "credit_type": USD_CREDIT_TYPE,
            "schedule_items": items,
            "do_not_invoice": schedule.do_not_invoice,
        }

    def grant_fields(
        self, grant: CommitInput | CreditInput | RecurringCreditInput, path: str
    ) -> dict[str, Any]:
        """What every commit and credit carries: id, product, contract and optional terms."""
        return {
            "id": self.id_for(path),
            "product": self.product(grant.product_id),
            "contract": {"id": self.contract_id},
            **_optional(
                name=grant.name,
                description=grant.description,
                rollover_fraction=grant.rollover_fraction,
                applicable_product_ids=grant.applicable_product_ids,
                applicable_product_tags=grant.applicable_product_tags,
                custom_fields=grant.custom_fields,
            ),
        }

    def commit(self, commit: CommitInput, path: str) -> dict[str, Any]:
        doc = {
            **self.grant_fields(commit, path),
            "type": commit.type,
            "created_at": self.created_at,
            **_optional(priority=commit.priority, rate_type=commit.rate_type),
        }
        if commit.access_schedule is not None:
            doc["access_schedule"] = self.access_schedule(
                commit.access_schedule, f"{path}/access_schedule"
            )
        if commit.invoice_schedule is not None:
            doc["invoice_schedule"] = self.invoice_schedule(
                commit.invoice_schedule, f"{path}/invoice_schedule"
            )
        return doc

    def credit(self, credit: CreditInput, path: str) -> dict[str, Any]:
        return {
            **self.grant_fields(credit, path),
            "type": "CREDIT",
            "created_at": self.created_at,
            "access_schedule": self.access_schedule(
                credit.access_schedule, f"{path}/access_schedule"
            ),
            **_optional(priority=credit.priority, rate_type=credit.rate_type),
        }

    def recurring(
        self, grant: RecurringCreditInput, path: str, schedule: UsageStatementScheduleInput
    ) -> dict[str, Any]:
        access = grant.access_amount
        doc = {
            **self.grant_fields(grant, path),
            "access_amount": {
                "credit_type_id": USD_CREDIT_TYPE_ID,
                "unit_price": access.unit_price,
                **_optional(quantity=access.quantity),
            },
            "commit_duration": {
                "value": grant.commit_duration.value,
                "unit": grant.commit_duration.unit,
            },
            "priority": grant.priority,
            "rate_type": grant.rate_type or "COMMIT_RATE",
            "starting_at": iso(grant.starting_at),
            # Without a frequency of its own a recurring grant follows the usage invoices,
            # and its periods are counted from theirs.
            "anchor_date": iso(
                grant.starting_at if grant.recurrence_frequency else self.billing_anchor(schedule)
            ),
            "proration": grant.proration,
            **_optional(
                recurrence_frequency=grant.recurrence_frequency,
                ending_before=iso_or_none(grant.ending_before),
            ),
        }
        if isinstance(grant, RecurringCommitInput) and grant.invoice_amount is not None:
            doc["invoice_amount"] = grant.invoice_amount.model_dump()
        return doc

    def override(self, override: OverrideInput, path: str) -> dict[str, Any]:
        doc = {
            "id": self.id_for(path),
            "created_at": self.created_at,
            "starting_at": iso(override.starting_at),
            **_optional(
                ending_before=iso_or_none(override.ending_before),
                type=override.type,
                multiplier=override.multiplier,
                entitled=override.entitled,
                priority=override.priority,
                applicable_product_tags=override.applicable_product_tags,
                product=self.product(override.product_id) if override.product_id else None,
            ),
        }
        if override.override_specifiers is not None:
            doc["override_specifiers"] = [
                s.model_dump(exclude_none=True) for s in override.override_specifiers
            ]
        return doc

    def subscription(self, subscription: SubscriptionInput, path: str) -> dict[str, Any]:
        rate = subscription.subscription_rate
        start = subscription.starting_at or self.request.starting_at
        end = subscription.ending_before or self.request.ending_before
        period = {
            "quantity": subscription.initial_quantity,
            "starting_at": iso(start),
            **_optional(ending_before=iso_or_none(end)),
        }
        return {
            "id": self.id_for(path),
            "created_at": self.created_at,
            "subscription_rate": {
                "billing_frequency": rate.billing_frequency,
                "product": self.product(rate.product_id),
            },
            "collection_schedule": subscription.collection_schedule,
            "proration": subscription.proration.model_dump(),
            "quantity_management_mode": subscription.quantity_management_mode,
            "quantity_schedule": [period],
            "starting_at": iso(start),
            "fiat_credit_type_id": USD_CREDIT_TYPE_ID,
            "billing_periods": {},
            **_optional(
                ending_before=iso_or_none(end),
                name=subscription.name,
                description=subscription.description,
                custom_fields=subscription.custom_fields,
            ),
        }

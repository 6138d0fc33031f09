"""The body of POST /v1/contracts/create, validated as Metronome validates it.

Checks that need only the body (required fields, types, date order, schedules inside sensible
bounds) live here; checks against stored records (customer, rate card, products, uniqueness
key) live in `contract_store` and `contract_checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from metro_tui.local.metronome.records import DeliveryMethod
from metro_tui.local.metronome.schemas import (
    Amount,
    Frequency,
    RateType,
    RequestBody,
    Tags,
    Timestamp,
    Uuid,
    invalid,
    upper_case,
)


def _check_period(starting_at: datetime, ending_before: datetime | None) -> None:
    if ending_before is not None and ending_before <= starting_at:
        raise invalid("ending_before must be after starting_at")


class AccessScheduleItem(RequestBody):
    amount: Amount
    starting_at: Timestamp
    ending_before: Timestamp

    @model_validator(mode="after")
    def _check(self) -> AccessScheduleItem:
        _check_period(self.starting_at, self.ending_before)
        return self


class AccessSchedule(RequestBody):
    credit_type_id: Uuid | None = None
    schedule_items: list[AccessScheduleItem] = Field(min_length=1)


class InvoiceScheduleItem(RequestBody):
    timestamp: Timestamp
    amount: Amount | None = None
    quantity: Amount | None = None
    unit_price: Amount | None = None

    @model_validator(mode="after")
    def _check(self) -> InvoiceScheduleItem:
        # Metronome: `amount`, or `unit_price` with an optional `quantity`, never both.
        if self.amount is not None and (self.unit_price is not None or self.quantity is not None):
            raise invalid("amount cannot be combined with unit_price or quantity")
        if self.amount is None and self.unit_price is None:
            raise invalid("one of amount or unit_price is required")
        return self


class InvoiceSchedule(RequestBody):
    credit_type_id: Uuid | None = None
    schedule_items: list[InvoiceScheduleItem] = Field(min_length=1)
    do_not_invoice: bool = False


class _Grant(RequestBody):
    """What commits and credits share."""

    product_id: Uuid
    name: str | None = Field(default=None, min_length=1)
    description: str | None = None
    rate_type: RateType | None = None
    rollover_fraction: float | None = Field(default=None, ge=0, le=1)
    applicable_product_ids: list[Uuid] | None = None
    applicable_product_tags: Tags | None = None
    custom_fields: dict[str, str] | None = None


class CommitInput(_Grant):
    type: Annotated[Literal["PREPAID", "POSTPAID"], BeforeValidator(upper_case)]
    priority: float | None = None
    access_schedule: AccessSchedule | None = None
    invoice_schedule: InvoiceSchedule | None = None

    @model_validator(mode="after")
    def _check(self) -> CommitInput:
        if self.access_schedule is None:
            raise invalid("access_schedule is required")
        if self.type == "POSTPAID":
            items = self.invoice_schedule.schedule_items if self.invoice_schedule else []
            if len(items) != 1:
                raise invalid("a POSTPAID commit needs an invoice_schedule with one item")
        return self


class CreditInput(_Grant):
    access_schedule: AccessSchedule
    priority: float | None = None


class AccessAmount(RequestBody):
    unit_price: Amount
    quantity: Amount | None = None
    credit_type_id: Uuid | None = None


class InvoiceAmount(RequestBody):
    unit_price: Amount
    quantity: Amount
    credit_type_id: Uuid


class CommitDuration(RequestBody):
    value: float = Field(gt=0)
    unit: Annotated[Literal["PERIODS"], BeforeValidator(upper_case)] = "PERIODS"


class RecurringCreditInput(_Grant):
    access_amount: AccessAmount
    commit_duration: CommitDuration
    priority: float
    starting_at: Timestamp
    ending_before: Timestamp | None = None
    recurrence_frequency: Frequency | None = None
    proration: Annotated[
        Literal["NONE", "FIRST", "LAST", "FIRST_AND_LAST"], BeforeValidator(upper_case)
    ] = "FIRST_AND_LAST"

    @model_validator(mode="after")
    def _check(self) -> RecurringCreditInput:
        _check_period(self.starting_at, self.ending_before)
        return self


class RecurringCommitInput(RecurringCreditInput):
    invoice_amount: InvoiceAmount | None = None


class OverrideSpecifier(RequestBody):
    product_id: Uuid | None = None
    product_tags: Tags | None = None


OverrideType = Annotated[Literal["MULTIPLIER", "OVERWRITE", "TIERED"], BeforeValidator(upper_case)]


class OverrideInput(RequestBody):
    """A MULTIPLIER override, an entitlement override (`entitled`), or both."""

    starting_at: Timestamp
    ending_before: Timestamp | None = None
    type: OverrideType | None = None
    multiplier: float | None = Field(default=None, ge=0)
    entitled: bool | None = None
    priority: float | None = None
    product_id: Uuid | None = None
    applicable_product_tags: Tags | None = None
    override_specifiers: list[OverrideSpecifier] | None = None

    @model_validator(mode="after")
    def _check(self) -> OverrideInput:
        _check_period(self.starting_at, self.ending_before)
        if self.type in ("OVERWRITE", "TIERED"):
            raise invalid(f"{self.type} overrides are not supported by the local backend")
        if self.type == "MULTIPLIER" and self.multiplier is None:
            raise invalid("multiplier is required for a MULTIPLIER override")
        if self.type is None and self.multiplier is not None:
            raise invalid("multiplier requires type MULTIPLIER")
        if self.type is None and self.entitled is None:
            raise invalid("an override needs a type or entitled")
        if not (self.product_id or self.applicable_product_tags or self.override_specifiers):
            raise invalid(
                "an override needs product_id, applicable_product_tags or override_specifiers"
            )
        return self


class SubscriptionRateInput(RequestBody):
    billing_frequency: Frequency
    product_id: Uuid


class ProrationInput(RequestBody):
    is_prorated: bool = True
    invoice_behavior: Annotated[
        Literal["BILL_IMMEDIATELY", "BILL_ON_NEXT_COLLECTION_DATE"], BeforeValidator(upper_case)
    ] = "BILL_IMMEDIATELY"


class SubscriptionInput(RequestBody):
    subscription_rate: SubscriptionRateInput
    collection_schedule: Annotated[Literal["ADVANCE", "ARREARS"], BeforeValidator(upper_case)]
    proration: ProrationInput
    initial_quantity: Amount | None = None
    quantity_management_mode: Annotated[Literal["QUANTITY_ONLY"], BeforeValidator(upper_case)] = (
        "QUANTITY_ONLY"
    )
    starting_at: Timestamp | None = None
    ending_before: Timestamp | None = None
    name: str | None = None
    description: str | None = None
    custom_fields: dict[str, str] | None = None

    @model_validator(mode="after")
    def _check(self) -> SubscriptionInput:
        if self.initial_quantity is None:
            raise invalid(
                "initial_quantity is required when quantity_management_mode is QUANTITY_ONLY"
            )
        if (
            self.proration.invoice_behavior == "BILL_IMMEDIATELY"
            and self.collection_schedule != "ADVANCE"
        ):
            raise invalid("BILL_IMMEDIATELY requires collection_schedule ADVANCE")
        if self.starting_at is not None:
            _check_period(self.starting_at, self.ending_before)
        return self


class UsageStatementScheduleInput(RequestBody):
    frequency: Frequency
    day: Annotated[
        Literal["FIRST_OF_MONTH", "CONTRACT_START", "CUSTOM_DATE"], BeforeValidator(upper_case)
    ] = "FIRST_OF_MONTH"
    billing_anchor_date: Timestamp | None = None
    invoice_generation_starting_at: Timestamp | None = None

    @model_validator(mode="after")
    def _check(self) -> UsageStatementScheduleInput:
        if self.day == "CUSTOM_DATE" and self.billing_anchor_date is None:
            raise invalid("billing_anchor_date is required when day is CUSTOM_DATE")
        return self


class BillingProviderConfigurationLookup(RequestBody):
    billing_provider_configuration_id: Uuid | None = None
    billing_provider: (
        Literal["aws_marketplace", "azure_marketplace", "gcp_marketplace", "stripe", "netsuite"]
        | None
    ) = None
    delivery_method: DeliveryMethod | None = None

    @model_validator(mode="after")
    def _check(self) -> BillingProviderConfigurationLookup:
        by_kind = self.billing_provider is not None and self.delivery_method is not None
        if self.billing_provider_configuration_id is None and not by_kind:
            raise invalid(
                "give billing_provider_configuration_id, or billing_provider and delivery_method"
            )
        return self


class ContractCreate(RequestBody):
    customer_id: Uuid
    starting_at: Timestamp
    ending_before: Timestamp | None = None
    name: str | None = None
    rate_card_id: Uuid | None = None
    uniqueness_key: str | None = Field(default=None, min_length=1, max_length=128)
    net_payment_terms_days: float | None = Field(default=None, ge=0)
    multiplier_override_prioritization: (
        Annotated[Literal["LOWEST_MULTIPLIER", "EXPLICIT"], BeforeValidator(upper_case)] | None
    ) = None
    usage_statement_schedule: UsageStatementScheduleInput | None = None
    billing_provider_configuration: BillingProviderConfigurationLookup | None = None
    custom_fields: dict[str, str] | None = None
    commits: list[CommitInput] = Field(default_factory=list)
    credits: list[CreditInput] = Field(default_factory=list)
    recurring_commits: list[RecurringCommitInput] = Field(default_factory=list)
    recurring_credits: list[RecurringCreditInput] = Field(default_factory=list)
    overrides: list[OverrideInput] = Field(default_factory=list)
    subscriptions: list[SubscriptionInput] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> ContractCreate:
        _check_period(self.starting_at, self.ending_before)
        for index, override in enumerate(self.overrides):
            if not self.covers(override.starting_at):
                raise invalid(f"overrides.{index}: starting_at must fall within the contract")
            if self.multiplier_override_prioritization == "EXPLICIT" and (
                override.type == "MULTIPLIER" and override.priority is None
            ):
                raise invalid(
                    f"overrides.{index}: priority is required with EXPLICIT prioritization"
                )
        for index, subscription in enumerate(self.subscriptions):
            if not self.covers(subscription.starting_at or self.starting_at):
                raise invalid(f"subscriptions.{index}: starting_at must fall within the contract")
        recurring: dict[str, Sequence[RecurringCreditInput]] = {
            "recurring_commits": self.recurring_commits,
            "recurring_credits": self.recurring_credits,
        }
        for field, grants in recurring.items():
            for index, grant in enumerate(grants):
                if not self.covers(grant.starting_at):
                    raise invalid(f"{field}.{index}: starting_at must fall within the contract")
        return self

    def covers(self, moment: datetime) -> bool:
        """Whether `moment` lies in [starting_at, ending_before)."""
        if moment < self.starting_at:
            return False
        return self.ending_before is None or moment < self.ending_before

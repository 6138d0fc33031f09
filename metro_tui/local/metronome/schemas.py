"""Request bodies of the local Metronome API, validated as Metronome validates them.

Models are strict (a string is not a number) and forbid fields we do not model: a request the
local backend cannot store faithfully gets a 400 naming the field instead of being silently
trimmed. Enum values are accepted in either case, as the OpenAPI document allows, and stored in
upper case. Timestamps must carry a UTC offset (RFC 3339).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.records import DeliveryMethod, delivery_method_by_id


def upper_case(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _canonical_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise PydanticCustomError("uuid", "Input should be a valid UUID") from None


def _timestamp_text(value: object) -> object:
    # Lax datetime parsing would read a number as Unix time; JSON timestamps are strings.
    if not isinstance(value, str | datetime):
        raise PydanticCustomError("datetime_type", "Input should be a valid datetime string")
    return value


def _not_null(value: object) -> object:
    # An optional field the document types as a string may be left out, but not sent as null.
    if value is None:
        raise PydanticCustomError("string_type", "Input should be a valid string")
    return value


def invalid(message: str) -> PydanticCustomError:
    """A validation error whose message is exactly `message`."""
    return PydanticCustomError("invalid", message)


Uuid = Annotated[str, AfterValidator(_canonical_uuid)]
Timestamp = Annotated[AwareDatetime, Strict(False), BeforeValidator(_timestamp_text)]
Amount = Annotated[float, Field(ge=0)]
Frequency = Annotated[
    Literal["MONTHLY", "QUARTERLY", "ANNUAL", "WEEKLY"], BeforeValidator(upper_case)
]
RateType = Annotated[Literal["COMMIT_RATE", "LIST_RATE"], BeforeValidator(upper_case)]
Tags = list[Annotated[str, Field(min_length=1)]]
BillingProvider = Literal[
    "aws_marketplace", "azure_marketplace", "gcp_marketplace", "stripe", "netsuite"
]
AnyBillingProvider = Literal[
    "aws_marketplace",
    "stripe",
    "netsuite",
    "custom",
    "azure_marketplace",
    "quickbooks_online",
    "workday",
    "gcp_marketplace",
    "metronome",
]
STRIPE_COLLECTION_METHODS = ("charge_automatically", "send_invoice")


class RequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


def validation_message(error: ValidationError) -> str:
    """`where: what` for the first error, worded as the app words FastAPI's errors."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


BodyT = TypeVar("BodyT", bound=BaseModel)


def parse_body(model: type[BodyT], data: object) -> BodyT:
    """Validate a decoded JSON body; a bad one is a 400 like any endpoint's."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError(400, validation_message(error)) from None


# --- customers and billing provider configurations -------------------------------------


class BillingProviderConfigurationFields(RequestBody):
    configuration: dict[str, Any] = Field(default_factory=dict)
    delivery_method: DeliveryMethod | None = None
    delivery_method_id: Uuid | None = None
    _method: str = PrivateAttr(default="")

    @property
    def method(self) -> str:
        """The delivery method, named directly or by the id of one of the account's."""
        return self._method

    def _check_for(self, billing_provider: str) -> None:
        if self.delivery_method_id is not None:
            by_id = delivery_method_by_id(self.delivery_method_id)
            if by_id is None or self.delivery_method not in (None, by_id):
                raise invalid(f"unknown delivery_method_id {self.delivery_method_id}")
            self._method = by_id
        elif self.delivery_method is not None:
            self._method = self.delivery_method
        else:
            raise invalid("one of delivery_method or delivery_method_id is required")
        if billing_provider == "stripe":
            _check_stripe_configuration(self.configuration)


def _check_stripe_configuration(configuration: dict[str, Any]) -> None:
    customer = configuration.get("stripe_customer_id")
    if not isinstance(customer, str) or not customer:
        raise invalid("configuration.stripe_customer_id is required for stripe")
    method = configuration.get("stripe_collection_method", STRIPE_COLLECTION_METHODS[0])
    if method not in STRIPE_COLLECTION_METHODS:
        raise invalid(
            "configuration.stripe_collection_method must be charge_automatically or send_invoice"
        )


class BillingProviderConfigurationInput(BillingProviderConfigurationFields):
    """An item of `customer_billing_provider_configurations` on customer create."""

    billing_provider: BillingProvider

    @model_validator(mode="after")
    def _check(self) -> BillingProviderConfigurationInput:
        self._check_for(self.billing_provider)
        return self


class CustomerBillingProviderConfigurationInput(BillingProviderConfigurationFields):
    """An item of setCustomerBillingProviderConfigurations."""

    billing_provider: AnyBillingProvider
    customer_id: Uuid

    @model_validator(mode="after")
    def _check(self) -> CustomerBillingProviderConfigurationInput:
        self._check_for(self.billing_provider)
        return self


class CustomerCreate(RequestBody):
    name: str
    ingest_aliases: list[Annotated[str, Field(min_length=1, max_length=128)]] = Field(
        default_factory=list, max_length=2000
    )
    external_id: Annotated[
        str | None, BeforeValidator(_not_null), Field(min_length=1, max_length=128)
    ] = None
    custom_fields: dict[str, str] = Field(default_factory=dict)
    customer_billing_provider_configurations: list[BillingProviderConfigurationInput] = Field(
        default_factory=list
    )


class BillingConfigurationsQuery(RequestBody):
    customer_id: Uuid
    include_archived: bool = False


class SetBillingConfigurations(RequestBody):
    data: list[CustomerBillingProviderConfigurationInput] = Field(min_length=1)


# --- contracts: reading ------------------------------------------------------------------


class LenientRequestBody(RequestBody):
    """A read's body: fields the document does not list are ignored, as Metronome does (the
    SDK itself sends `limit` and `cursor`, which the published schema of these reads omits)."""

    model_config = ConfigDict(strict=True, extra="ignore")


class ContractList(LenientRequestBody):
    customer_id: Uuid
    cursor: str | None = None
    limit: float = 20.0  # the SDK types it as a float; it must still be a whole 1..20
    include_archived: bool = False
    include_balance: bool = False
    include_ledgers: bool = False
    starting_at: Timestamp | None = None
    covering_date: Timestamp | None = None

    @model_validator(mode="after")
    def _check(self) -> ContractList:
        if not self.limit.is_integer() or not 1 <= self.limit <= 20:
            raise invalid("limit must be a whole number from 1 to 20")
        if self.starting_at is not None and self.covering_date is not None:
            raise invalid("starting_at cannot be combined with covering_date")
        return self


class ContractGet(LenientRequestBody):
    customer_id: Uuid
    contract_id: Uuid
    include_ledgers: bool = False
    include_balance: bool = False
    as_of_date: Timestamp | None = None


class CustomerBalancesQuery(LenientRequestBody):
    customer_id: Uuid
    id: Uuid | None = None
    covering_date: Timestamp | None = None
    starting_at: Timestamp | None = None
    effective_before: Timestamp | None = None
    include_contract_balances: bool = False
    include_archived: bool = False
    include_ledgers: bool = False
    include_balance: bool = False
    exclude_zero_balances: bool = False
    next_page: str | None = None
    limit: Annotated[int, Field(ge=1, le=25)] = 25


class RateSelector(RequestBody):
    product_id: Uuid | None = None
    product_tags: Tags | None = None
    billing_frequency: Frequency | None = None


class ContractRateScheduleQuery(RequestBody):
    customer_id: Uuid
    contract_id: Uuid
    at: Timestamp | None = None
    selectors: list[RateSelector] = Field(default_factory=list)


# --- pricing -----------------------------------------------------------------------------


class EmptyBody(RequestBody):
    """A body the document allows only as `{}`."""


class RateCardGet(RequestBody):
    id: Uuid


class RatesQuery(RequestBody):
    rate_card_id: Uuid
    at: Timestamp
    selectors: list[RateSelector] = Field(default_factory=list)


class ProductList(RequestBody):
    archive_filter: Literal["ARCHIVED", "NOT_ARCHIVED", "ALL"] = "NOT_ARCHIVED"


# --- usage -------------------------------------------------------------------------------


class UsageEvent(RequestBody):
    transaction_id: str = Field(min_length=1, max_length=128)
    customer_id: str = Field(min_length=1)
    event_type: str = Field(min_length=1)
    timestamp: Timestamp
    properties: dict[str, Any] = Field(default_factory=dict)


class EventSearch(RequestBody):
    transaction_ids: list[str] = Field(alias="transactionIds", max_length=100)

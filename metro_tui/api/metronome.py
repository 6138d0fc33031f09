"""Async adapter over `metronome.AsyncMetronome`: our models in, our models out."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

import httpx
import metronome
from metronome._base_client import AsyncPaginator
from metronome.types.shared.contract_v2 import ContractV2
from metronome.types.v1.customer_detail import CustomerDetail
from metronome.types.v1.customer_retrieve_billing_configurations_response import (
    Data as SdkBillingConfiguration,
)
from metronome.types.v1.customers.invoice import Invoice as SdkInvoice
from pydantic import BaseModel, ValidationError

from metro_tui.api import metronome_errors, transport
from metro_tui.api.contract_terms import (
    contract_terms_from_sdk,
    newest_first,
    page_invoice_from_sdk,
)
from metro_tui.api.metronome_pages import every_record
from metro_tui.errors import (
    ConflictError,
    ContractAlreadyCreated,
    InvalidResponseError,
    NotFoundError,
)
from metro_tui.models import (
    BillingConfiguration,
    Contract,
    Invoice,
    InvoiceLineItem,
    MetronomeCustomer,
    Product,
    Rate,
    RateCard,
    UsageDay,
    utc,
)
from metro_tui.page_records import CustomerPage

T = TypeVar("T")

CUSTOMERS_PAGE = 100
CONTRACTS_PAGE = 20
INVOICES_PAGE = 100
# The SDK sends no telemetry and writes no files, but names the machine's operating system and
# architecture in every request; as with Stripe's platform telemetry, metro-tui leaves them out.
WITHOUT_MACHINE_DETAILS: dict[str, str] = {
    "X-Stainless-OS": metronome.Omit(),  # type: ignore[dict-item]
    "X-Stainless-Arch": metronome.Omit(),  # type: ignore[dict-item]
}


class _UsageDayRow(BaseModel):
    date: date
    total: int
    duplicates: int


class _DailyUsage(BaseModel):
    data: list[_UsageDayRow]


class MetronomeGateway:
    """Everything the app reads from, and writes to, Metronome."""

    def __init__(
        self,
        bearer_token: str,
        base_url: str,
        *,
        max_retries: int = 4,
        timeout: float = 30.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._token = bearer_token
        self.base_url = base_url
        self._client = metronome.AsyncMetronome(
            bearer_token=bearer_token,
            base_url=base_url,
            max_retries=max_retries,
            timeout=timeout,
            http_client=http_client or transport.http_client(timeout),
            _strict_response_validation=True,
            default_headers=WITHOUT_MACHINE_DETAILS,
        )

    async def close(self) -> None:
        await self._client.close()

    async def _call(self, request: Awaitable[T]) -> T:
        try:
            return await request
        except Exception as exc:  # every SDK failure becomes one of our errors
            raise metronome_errors.translate(exc, self._token) from None

    async def _body(self, request: Awaitable[metronome.AsyncAPIResponse[Any]]) -> bytes:
        """A response's body, unparsed; a failure becomes one of our errors."""
        response = await self._call(request)
        return await self._call(response.read())

    async def _every_item(self, paginator: AsyncPaginator[T, Any]) -> list[T]:
        """Walk every page of a list; a failure on any page becomes one of our errors."""
        try:
            return [item async for item in paginator]
        except Exception as exc:
            raise metronome_errors.translate(exc, self._token) from None

    async def customer_pages(self) -> AsyncIterator[list[MetronomeCustomer]]:
        """All customers, a page at a time, so callers can publish progress."""
        page = await self._call(self._client.v1.customers.list(limit=CUSTOMERS_PAGE))
        while True:
            yield [customer_from_sdk(item) for item in page.data]
            if not page.has_next_page():
                return
            page = await self._call(page.get_next_page())

    async def customer(self, customer_id: str) -> MetronomeCustomer:
        response = await self._call(self._client.v1.customers.retrieve(customer_id=customer_id))
        return customer_from_sdk(response.data)

    async def billing_configurations(self, customer_id: str) -> list[BillingConfiguration]:
        """Every billing provider configuration of a customer, archived ones included."""
        response = await self._call(
            self._client.v1.customers.retrieve_billing_configurations(
                customer_id=customer_id, include_archived=True
            )
        )
        return [billing_configuration_from_sdk(item) for item in response.data]

    async def contracts(self, customer_id: str) -> list[Contract]:
        """A customer's contracts, archived ones included (the services skip them)."""
        items = await self._every_item(
            self._client.v2.contracts.list(
                customer_id=customer_id, limit=CONTRACTS_PAGE, include_archived=True
            )
        )
        return [contract_from_sdk(item) for item in items]

    async def customer_page(self, customer_id: str, now: datetime) -> CustomerPage:
        """The customer page's records: every contract's terms with Metronome's balances of its
        credits and commits, and the customer's invoices of every status, newest first."""
        contracts = await every_record(
            lambda cursor: self._body(
                self._client.v2.contracts.with_raw_response.list(
                    customer_id=customer_id,
                    limit=CONTRACTS_PAGE,
                    include_balance=True,
                    cursor=cursor or metronome.omit,
                )
            ),
            "cursor",
            ContractV2,
            lambda item: contract_terms_from_sdk(item, now),
        )
        invoices = await every_record(
            lambda cursor: self._body(
                self._client.v1.customers.invoices.with_raw_response.list(
                    customer_id=customer_id,
                    limit=INVOICES_PAGE,
                    sort="date_desc",
                    next_page=cursor or metronome.omit,
                )
            ),
            "next_page",
            SdkInvoice,
            page_invoice_from_sdk,
        )
        return CustomerPage(
            customer_id=customer_id,
            fetched_at=now,
            contracts=tuple(contracts),
            invoices=newest_first(invoices),
        )

    async def invoices(
        self,
        customer_id: str,
        *,
        status: str | None = "FINALIZED",
        starting_on: datetime | None = None,
    ) -> list[Invoice]:
        """A customer's invoices; `starting_on` limits them to periods from that time on."""
        params: dict[str, Any] = {"limit": INVOICES_PAGE}
        if status:
            params["status"] = status
        if starting_on:
            params["starting_on"] = starting_on
        items = await self._every_item(
            self._client.v1.customers.invoices.list(customer_id=customer_id, **params)
        )
        return [invoice_from_sdk(item) for item in items]

    async def products(self) -> list[Product]:
        items = await self._every_item(self._client.v1.contracts.products.list(limit=100))
        return [
            Product(
                id=item.id,
                name=item.current.name,
                type=item.type,
                tags=tuple(item.current.tags or ()),
            )
            for item in items
            if item.type != "PRO_SERVICE"
        ]

    async def rate_cards(self) -> list[RateCard]:
        items = await self._every_item(self._client.v1.contracts.rate_cards.list(limit=100))
        return [
            RateCard(id=item.id, name=item.name, description=item.description) for item in items
        ]

    async def rates(self, rate_card_id: str, at: datetime) -> list[Rate]:
        """The rate card's rates in effect at `at`."""
        items = await self._every_item(
            self._client.v1.contracts.rate_cards.rates.list(
                rate_card_id=rate_card_id, at=at, limit=100
            )
        )
        return [
            Rate(
                product_id=item.product_id,
                product_name=item.product_name,
                product_tags=tuple(item.product_tags),
                price=item.rate.price or 0.0,
                entitled=item.entitled,
                billing_frequency=item.billing_frequency,
                starting_at=item.starting_at,
                ending_before=item.ending_before,
            )
            for item in items
        ]

    async def rate_schedule(self, customer_id: str, contract_id: str, at: datetime) -> list[Rate]:
        """The contract's effective rates at `at`, overrides applied by Metronome."""
        response = await self._call(
            self._client.v1.contracts.retrieve_rate_schedule(
                customer_id=customer_id, contract_id=contract_id, at=at, limit=100
            )
        )
        return [
            Rate(
                product_id=item.product_id,
                product_name=item.product_name,
                product_tags=tuple(item.product_tags),
                price=(item.override_rate or item.list_rate).price or 0.0,
                entitled=item.entitled,
                billing_frequency=item.billing_frequency,
                starting_at=item.starting_at,
                ending_before=item.ending_before,
            )
            for item in response.data
        ]

    async def create_customer_for_stripe(self, name: str, stripe_customer_id: str) -> str:
        """Create a Metronome customer linked to a Stripe customer; returns its id."""
        response = await self._call(
            self._client.v1.customers.create(
                name=name,
                # The Stripe id as an ingest alias lets a retried creation find this customer.
                ingest_aliases=[stripe_customer_id],
                customer_billing_provider_configurations=[
                    {
                        "billing_provider": "stripe",
                        "delivery_method": "direct_to_billing_provider",
                        "configuration": {
                            "stripe_customer_id": stripe_customer_id,
                            "stripe_collection_method": "charge_automatically",
                        },
                    }
                ],
            )
        )
        return response.data.id

    async def customer_by_ingest_alias(self, alias: str) -> MetronomeCustomer | None:
        """The customer holding `alias`, if any: one request, no scan of the account."""
        page = await self._call(self._client.v1.customers.list(ingest_alias=alias, limit=10))
        return next(
            (customer_from_sdk(item) for item in page.data if alias in item.ingest_aliases), None
        )

    async def create_contract(self, params: dict[str, Any]) -> str:
        """Create a contract; a repeated `uniqueness_key` raises `ContractAlreadyCreated`."""
        # The SDK retries 409 too; one retry covers a lost response without seconds of
        # back-off before a repeated uniqueness key is reported.
        client = self._client.with_options(max_retries=1)
        try:
            response = await self._call(client.v1.contracts.create(**params))
        except ConflictError as exc:
            raise ContractAlreadyCreated(exc.service, exc.message) from None
        return response.data.id

    async def daily_usage(self, days: int) -> list[UsageDay] | None:
        """Daily event counts with duplicates: only the local backend serves them (None live)."""
        try:
            body = await self._call(
                self._client.get(
                    "/local/v1/usage-events/daily",
                    cast_to=object,
                    options={"params": {"days": days}},
                )
            )
        except NotFoundError:
            return None
        try:
            rows = _DailyUsage.model_validate(body).data
        except ValidationError:
            raise InvalidResponseError(
                "Metronome", "the daily usage response was not in the expected shape"
            ) from None
        return [UsageDay(day=row.date, total=row.total, duplicates=row.duplicates) for row in rows]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _word(value: str | None) -> str | None:
    """One shared string for a value repeated across many records (a status, a product).

    A 100,000-customer account has over half a million invoice lines naming one of a few
    products; parsed from JSON, each would hold its own copy of the name and the id.
    """
    return None if value is None else sys.intern(value)


@lru_cache(maxsize=4096)
def _instant(value: datetime) -> datetime:
    """`value` in UTC, as one shared object for equal instants.

    Invoices and contracts share a few period bounds: at 100,000 customers, some 400,000
    datetimes have a few hundred distinct values.
    """
    try:
        return utc(value)
    except ValueError:
        raise InvalidResponseError("Metronome", f"a time has no timezone ({value})") from None


def _optional_instant(value: datetime | None) -> datetime | None:
    return None if value is None else _instant(value)


def customer_from_sdk(item: CustomerDetail) -> MetronomeCustomer:
    return MetronomeCustomer(
        id=item.id,
        name=item.name,
        created_at=_instant(item.created_at),
        archived_at=_optional_instant(item.archived_at),
        ingest_aliases=tuple(item.ingest_aliases),
    )


def billing_configuration_from_sdk(item: SdkBillingConfiguration) -> BillingConfiguration:
    return BillingConfiguration(
        id=item.id,
        customer_id=item.customer_id,
        billing_provider=sys.intern(item.billing_provider),
        delivery_method=_word(item.delivery_method),
        stripe_customer_id=_text(item.configuration.get("stripe_customer_id")),
        archived_at=_optional_instant(item.archived_at),
    )


def contract_from_sdk(item: ContractV2) -> Contract:
    """Reduce a ContractV2 to what the app shows, collecting the products it names."""
    names: list[str] = []
    for subscription in item.subscriptions or ():
        names.append(subscription.subscription_rate.product.name)
    for commit in item.commits:
        names.append(commit.product.name)
    for credit in item.credits or ():
        names.append(credit.product.name)
    for recurring in [*(item.recurring_commits or ()), *(item.recurring_credits or ())]:
        names.append(recurring.product.name)
    for override in item.overrides:
        if override.product is not None and override.entitled is not False:
            names.append(override.product.name)
    return Contract(
        id=item.id,
        customer_id=item.customer_id,
        name=item.name,
        rate_card_id=_word(item.rate_card_id),
        starting_at=_instant(item.starting_at),
        ending_before=_optional_instant(item.ending_before),
        archived_at=_optional_instant(item.archived_at),
        product_names=tuple(map(sys.intern, dict.fromkeys(names))),
        uniqueness_key=item.uniqueness_key,
    )


def invoice_from_sdk(item: SdkInvoice) -> Invoice:
    if item.start_timestamp is None or item.end_timestamp is None:
        raise InvalidResponseError("Metronome", f"invoice {item.id} has no billing period")
    return Invoice(
        id=item.id,
        customer_id=item.customer_id,
        status=sys.intern(item.status),
        start_timestamp=_instant(item.start_timestamp),
        end_timestamp=_instant(item.end_timestamp),
        total_cents=round(item.total),
        line_items=tuple(
            InvoiceLineItem(
                name=sys.intern(line.name),
                product_id=_word(line.product_id),
                total_cents=round(line.total),
            )
            for line in item.line_items
        ),
    )

"""Async adapter over `stripe.StripeClient` (read-only: a restricted `rk_` key is enough)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime
from typing import TypeVar

import stripe

from metro_tui.api import stripe_errors
from metro_tui.errors import InvalidResponseError
from metro_tui.models import StripeCustomer

T = TypeVar("T")

PAGE_SIZE = 100

# The library otherwise writes a persistent id to ~/.config/stripe/ and sends it, the machine's
# platform and each request's latency to Stripe with later requests. metro-tui reads a company's
# billing data: it sends nothing but its own requests and writes nothing outside its own
# directories. The switch is the library's only one, global to the process.
stripe.enable_telemetry = False


class StripeGateway:
    """Everything the app reads from Stripe."""

    def __init__(
        self, api_key: str, base_url: str, *, max_retries: int = 4, timeout: float = 30.0
    ) -> None:
        self._key = api_key
        self.base_url = base_url
        self.livemode = "_live_" in api_key
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": base_url},
            max_network_retries=max_retries,
            http_client=stripe.HTTPXClient(timeout=timeout),
        )

    async def _call(self, request: Awaitable[T]) -> T:
        try:
            return await request
        except Exception as exc:  # every library failure becomes one of our errors
            raise stripe_errors.translate(exc, self._key) from None

    async def customer_pages(self) -> AsyncIterator[list[StripeCustomer]]:
        """All customers, newest first, a page at a time.

        The pages are read as JSON through the library's raw request (its retries, errors and
        headers unchanged): turning each customer into the library's `StripeObject` cost more
        client CPU than the rest of a first load's start, and only five fields are read.
        """
        params: dict[str, object] = {"limit": PAGE_SIZE}
        while True:
            response = await self._call(
                self._client.raw_request_async("get", "/v1/customers", **params)
            )
            items, has_more = _customer_list(response.data)
            customers = [customer_from_json(item) for item in items]
            yield customers
            if not has_more or not customers:
                return
            params = {"limit": PAGE_SIZE, "starting_after": customers[-1].id}

    async def customer(self, customer_id: str) -> StripeCustomer:
        item = await self._call(self._client.v1.customers.retrieve_async(customer_id))
        return customer_from_stripe(item)


def customer_from_stripe(item: stripe.Customer) -> StripeCustomer:
    try:
        return StripeCustomer(
            id=item.id,
            name=item.name,
            email=item.email,
            created=datetime.fromtimestamp(item.created, UTC),
            livemode=bool(item.livemode),
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        raise InvalidResponseError(
            "Stripe", "a customer record was not in the expected shape"
        ) from None


def _customer_list(body: object) -> tuple[list[object], bool]:
    """The customers of one list page, and whether more follow."""
    if isinstance(body, dict):
        items, has_more = body.get("data"), body.get("has_more")
        if isinstance(items, list) and isinstance(has_more, bool):
            return items, has_more
    raise InvalidResponseError("Stripe", "a page of customers was not in the expected shape")


def customer_from_json(item: object) -> StripeCustomer:
    """A customer of a list page, as Stripe's document defines it."""
    if isinstance(item, dict):
        customer_id, created = item.get("id"), item.get("created")
        name, email = item.get("name"), item.get("email")
        livemode = item.get("livemode")
        if (
            isinstance(customer_id, str)
            and isinstance(created, int)
            and not isinstance(created, bool)
            and isinstance(name, str | None)
            and isinstance(email, str | None)
            and isinstance(livemode, bool)
        ):
            return StripeCustomer(
                id=customer_id,
                name=name,
                email=email,
                created=datetime.fromtimestamp(created, UTC),
                livemode=livemode,
            )
    raise InvalidResponseError("Stripe", "a customer record was not in the expected shape")

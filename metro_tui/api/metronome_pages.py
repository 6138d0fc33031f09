"""Every page of a Metronome list, validated a few items per event-loop step.

The SDK validates a whole response's models in the task that awaited it, so a customer's 200
invoices with their line items (and, the first time, building the models' validators) are one
long stall of the event loop. Here the request and its retries stay the SDK's; each page's
items are validated with the SDK's own models, as its strict client does, and converted to our
records a few at a time, the loop free to draw between them. A worker thread would not do:
it holds the interpreter against the loop, stretching every frame drawn meanwhile.

The SDK's models build their validators the first time they validate, a whole model tree at
once (a contract's: tens of milliseconds). While the first page is requested they are built
here instead, the innermost models first, one model per turn of the loop: each reuses the
validators of the models inside it, so no turn holds the loop for long.
"""

from __future__ import annotations

import asyncio
import json
import typing
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from metronome import BaseModel as SdkModel
from pydantic import BaseModel, ValidationError

from metro_tui.errors import InvalidResponseError

Item = TypeVar("Item", bound=SdkModel)
Record = TypeVar("Record")

PageRequest = Callable[[str | None], Awaitable[bytes]]
"""The body of the list's page at a cursor (None: the first page)."""

SERVICE = "Metronome"
ITEMS_PER_STEP = 10
"""Invoices (with their lines) or contracts validated between two turns of the event loop."""


async def every_record(
    request: PageRequest,
    cursor_field: str,
    model: type[Item],
    convert: Callable[[Item], Record],
) -> list[Record]:
    """Every item of every page, each validated as `model` and converted by `convert`."""
    records: list[Record] = []
    first_page = asyncio.ensure_future(request(None))
    try:
        await build_validators(model)
        body = await first_page
    finally:
        first_page.cancel()  # a no-op once it has answered
    while True:
        items, cursor = _page(body, cursor_field)
        for start in range(0, len(items), ITEMS_PER_STEP):
            await asyncio.sleep(0)  # let the loop draw between slices
            records += [
                _record(item, model, convert) for item in items[start : start + ITEMS_PER_STEP]
            ]
        if not cursor:
            return records
        body = await request(cursor)


async def build_validators(model: type[BaseModel]) -> None:
    """Build the validators of `model` and of every model inside it, innermost first, one
    model per turn of the event loop."""
    for inner in models_inside_out(model):
        if not inner.__pydantic_complete__:
            await asyncio.sleep(0)
            # Not raising: a model that cannot be built here is built when it validates.
            inner.model_rebuild(raise_errors=False)


def models_inside_out(model: type[BaseModel]) -> list[type[BaseModel]]:
    """`model` and the models its fields hold, at any depth, each after those inside it."""
    order: list[type[BaseModel]] = []
    seen: set[type[BaseModel]] = set()

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.add(annotation)
                for field in annotation.model_fields.values():
                    visit(field.annotation)
                order.append(annotation)
            return
        for argument in typing.get_args(annotation):  # list[X], X | None, Annotated[X, ...]
            visit(argument)

    visit(model)
    return order


def _page(body: bytes, cursor_field: str) -> tuple[list[Any], str | None]:
    """A page's items, still JSON, and the cursor of the next page, if there is one."""
    try:
        page: Any = json.loads(body)
        items, cursor = page["data"], page.get(cursor_field)
    except (ValueError, TypeError, KeyError, AttributeError):
        # ValueError: not JSON at all; the others: JSON that is not a page.
        raise _not_the_shape() from None
    if not isinstance(items, list) or not isinstance(cursor, str | None):
        raise _not_the_shape()
    return items, cursor


def _record(item: Any, model: type[Item], convert: Callable[[Item], Record]) -> Record:
    try:
        validated = model.model_validate(item)
    except ValidationError:
        raise _not_the_shape() from None
    return convert(validated)


def _not_the_shape() -> InvalidResponseError:
    return InvalidResponseError(SERVICE, "the server's response was not in the expected shape")

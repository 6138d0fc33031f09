"""Every page of a Metronome list, requested on the event loop and parsed in a thread.

The SDK validates a response's models in the task that awaited it, so a customer's 200 invoices
with their line items (and, the first time, building the models' validators) stall the event
loop. Here the request and its retries stay the SDK's; each page's JSON is validated with the
SDK's own models, as its strict client does, and converted to our records in a worker thread,
one item at a time, so the loop keeps its share of the interpreter meanwhile.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from metronome import BaseModel as SdkModel
from pydantic import ValidationError

from metro_tui.errors import InvalidResponseError

Item = TypeVar("Item", bound=SdkModel)
Record = TypeVar("Record")

PageRequest = Callable[[str | None], Awaitable[bytes]]
"""The body of the list's page at a cursor (None: the first page)."""

SERVICE = "Metronome"


async def every_record(
    request: PageRequest,
    cursor_field: str,
    model: type[Item],
    convert: Callable[[Item], Record],
) -> list[Record]:
    """Every item of every page, each validated as `model` and converted by `convert`."""
    records: list[Record] = []
    cursor: str | None = None
    while True:
        body = await request(cursor)
        page, cursor = await asyncio.to_thread(_records, body, cursor_field, model, convert)
        records += page
        if not cursor:
            return records


def _records(
    body: bytes, cursor_field: str, model: type[Item], convert: Callable[[Item], Record]
) -> tuple[list[Record], str | None]:
    """A page's records and the cursor of the next page, if there is one."""
    try:
        page: Any = json.loads(body)
        items = page["data"]
        cursor = page.get(cursor_field)
        if not isinstance(items, list) or not isinstance(cursor, str | None):
            raise TypeError("not a page")
        return [convert(model.model_validate(item)) for item in items], cursor
    except (ValueError, ValidationError, TypeError, KeyError, AttributeError):
        # ValueError covers a body that is not JSON; the rest, JSON of another shape.
        raise InvalidResponseError(
            SERVICE, "the server's response was not in the expected shape"
        ) from None

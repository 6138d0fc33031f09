"""Cursor pagination for the local Metronome API's list endpoints.

Cursors are opaque to clients (base64url of a small JSON list), as Metronome's are. Stored
lists page by keyset on (sort key, seq), so a page boundary stays put while rows are added;
lists computed in memory (rate schedules) page by offset.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from metro_tui.local.db import Database
from metro_tui.local.errors import ApiError


@dataclass(frozen=True)
class Page:
    """One page of API documents and the cursor of the next page (None on the last page)."""

    docs: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(position: list[Any]) -> str:
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, param: str, length: int) -> list[Any]:
    """The position a cursor encodes; a cursor we did not issue is a 400, as upstream."""
    try:
        padded = token + "=" * (-len(token) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(400, f"{param}: invalid cursor") from None
    if not isinstance(position, list) or len(position) != length:
        raise ApiError(400, f"{param}: invalid cursor")
    return position


def slice_page(items: list[dict[str, Any]], *, limit: int, cursor: str | None, param: str) -> Page:
    """Page an in-memory list by offset."""
    start = 0
    if cursor:
        (start,) = decode_cursor(cursor, param, 1)
        if not isinstance(start, int) or start < 0:
            raise ApiError(400, f"{param}: invalid cursor")
    end = start + limit
    next_cursor = encode_cursor([end]) if end < len(items) else None
    return Page(items[start:end], next_cursor)


def fetch_page(
    db: Database,
    *,
    table: str,
    where: str,
    params: list[Any],
    limit: int,
    cursor: str | None,
    param: str,
    sort_key: str = "seq",
    descending: bool = False,
) -> Page:
    """Page the `doc`s of `table` rows matching `where`, ordered by (`sort_key`, seq).

    `table`, `where` and `sort_key` are SQL written by our routes, never client input.
    """
    order = "DESC" if descending else "ASC"
    after = "<" if descending else ">"
    sql_where = f"({where})"
    args = list(params)
    if cursor:
        key, seq = decode_cursor(cursor, param, 2)
        sql_where += f" AND ({sort_key}, seq) {after} (?, ?)"
        args += [key, seq]
    rows = db.query(
        f"SELECT seq, {sort_key} AS sort_value, doc FROM {table} WHERE {sql_where} "
        f"ORDER BY sort_value {order}, seq {order} LIMIT ?",
        [*args, limit + 1],
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor([last["sort_value"], last["seq"]])
    return Page([json.loads(row["doc"]) for row in rows], next_cursor)

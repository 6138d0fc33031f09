"""The Customers list's columns: one `Column` record each, in the order the table shows them.

Everything about a column lives in its record: its title, what its cell says, how it sorts,
the colour of a cell, how much room it wants and which it gives up first, and the field the
export writes. The table, its sort, the export and the README's list all read `COLUMNS`, so
adding a column is adding its key and its record here (and the row field it reads, if new).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter

from metro_tui.figures import CustomerRow, ProvisionStatus
from metro_tui.services.money import format_cents
from metro_tui.services.provisioning import NOT_IN_METRONOME, provision_status_text

COULD_NOT_LOAD = "Could not load"
LOADING = "Loading…"

SortKey = str | int | datetime
"""Rows with no key (no name, not in Metronome, no status) always sort last."""
ExportValue = str | int | None
"""A field as the export writes it: null in JSON, empty in CSV, where there is no value."""


class CustomerColumn(StrEnum):
    """The key of each column, as `CustomerTable.sort_by` takes it."""

    NAME = "name"
    EMAIL = "email"
    STRIPE_ID = "stripe_id"
    DATE_CREATED = "date_created"
    LIFETIME_BILLINGS = "lifetime_billings"
    PROVISION_STATUS = "provision_status"


class Tone(StrEnum):
    """The colour of a cell, named for what it means; the table draws each in a theme colour."""

    ERROR = "error"
    ACTIVE = "active"
    ACTIVE_SOON = "active-soon"
    RECENTLY_ENDED = "recently-ended"
    NO_STATUS = "no-status"


@dataclass(frozen=True, slots=True)
class ExportField:
    """One field of `metro-tui export customers`: its name and its value for a row."""

    name: str
    value: Callable[[CustomerRow], ExportValue]


def _no_tone(row: CustomerRow) -> Tone | None:
    return None


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the Customers table, and the field the export writes for it."""

    key: CustomerColumn
    title: str
    text: Callable[[CustomerRow], str]
    """What the cell says, before it is fitted to the column."""
    sort_key: Callable[[CustomerRow], SortKey | None]
    export: ExportField
    min_width: int
    tone: Callable[[CustomerRow], Tone | None] = _no_tone
    data_width: Callable[[Sequence[CustomerRow]], int] | None = None
    """For a column whose cells can outgrow `min_width`: the width its widest cell needs."""
    flexible: bool = False
    """A flexible column shares the spare width; a fixed one fits its widest cell."""
    right_aligned: bool = False
    dropped: int | None = None
    """Given up when the table is too narrow for every column: 1 first, then 2 ..."""
    identifies: bool = False
    """An id a script joins on: the export writes it first."""


def _billings_text(row: CustomerRow) -> str:
    cents = row.lifetime_billings_cents
    if cents is not None:
        return format_cents(cents)
    if row.billings_loading:
        return LOADING
    # A linked row without an amount says why in words; an unlinked one is blank.
    return COULD_NOT_LOAD if row.billings_error is not None else ""


def _billings_tone(row: CustomerRow) -> Tone | None:
    return Tone.ERROR if row.billings_error is not None else None


def _billings_width(rows: Sequence[CustomerRow]) -> int:
    """Only the extremes are formatted, so this stays O(n) over plain values."""
    amounts = [
        row.lifetime_billings_cents for row in rows if row.lifetime_billings_cents is not None
    ]
    failed = any(row.billings_error is not None for row in rows)
    width = len(COULD_NOT_LOAD) if failed else 0
    if amounts:
        width = max(width, *(len(format_cents(f(amounts))) for f in (min, max)))
    return width


def _status_text(row: CustomerRow) -> str:
    if row.status_loading:
        return LOADING
    if row.status_error is not None:
        return COULD_NOT_LOAD
    if not row.linked:
        return NOT_IN_METRONOME
    return provision_status_text(row.provision_status)


_STATUS_RANK = {status: rank for rank, status in enumerate(ProvisionStatus)}
_STATUS_TONES = {
    ProvisionStatus.ACTIVE: Tone.ACTIVE,
    ProvisionStatus.ACTIVE_SOON: Tone.ACTIVE_SOON,
    ProvisionStatus.RECENTLY_ENDED: Tone.RECENTLY_ENDED,
}


def _status_sort_key(row: CustomerRow) -> int | None:
    return None if row.provision_status is None else _STATUS_RANK[row.provision_status]


def _status_tone(row: CustomerRow) -> Tone:
    if row.status_error is not None:
        return Tone.ERROR
    if row.provision_status is None:
        return Tone.NO_STATUS  # not provisioned, or not in Metronome
    return _STATUS_TONES[row.provision_status]


def _exported_status(row: CustomerRow) -> str | None:
    """The status as shown, but null where the contracts could not be loaded."""
    return None if row.status_error is not None else provision_status_text(row.provision_status)


def _day(row: CustomerRow) -> str:
    # YYYY-MM-DD, as `strftime("%Y-%m-%d")` writes it, in a tenth of the time: every row's
    # line drawn reads it.
    return row.date_created.date().isoformat()


def _stripe_id_width(rows: Sequence[CustomerRow]) -> int:
    return max(map(len, map(attrgetter("stripe_customer_id"), rows)), default=0)


COLUMNS: tuple[Column, ...] = (
    Column(
        CustomerColumn.NAME,
        "Name",
        text=attrgetter("name"),
        sort_key=lambda row: row.name.casefold() or None,
        export=ExportField("name", attrgetter("name")),
        min_width=10,
        flexible=True,
    ),
    Column(
        CustomerColumn.EMAIL,
        "Email",
        text=attrgetter("email"),
        sort_key=lambda row: row.email.casefold() or None,
        export=ExportField("email", attrgetter("email")),
        min_width=16,
        flexible=True,
        dropped=1,
    ),
    Column(
        CustomerColumn.STRIPE_ID,
        "Stripe ID",
        text=attrgetter("stripe_customer_id"),
        sort_key=lambda row: row.stripe_customer_id.casefold(),
        export=ExportField("stripe_customer_id", attrgetter("stripe_customer_id")),
        min_width=len("cus_") + 14,
        data_width=_stripe_id_width,
        identifies=True,
    ),
    Column(
        CustomerColumn.DATE_CREATED,
        "Date created",
        text=_day,
        sort_key=attrgetter("date_created"),
        export=ExportField("date_created", _day),
        min_width=len("YYYY-MM-DD"),
        dropped=2,
    ),
    Column(
        CustomerColumn.LIFETIME_BILLINGS,
        "Lifetime billings",
        text=_billings_text,
        sort_key=attrgetter("lifetime_billings_cents"),
        export=ExportField("lifetime_billings_cents", attrgetter("lifetime_billings_cents")),
        min_width=0,
        tone=_billings_tone,
        data_width=_billings_width,
        right_aligned=True,
    ),
    Column(
        CustomerColumn.PROVISION_STATUS,
        "Provision status",
        text=_status_text,
        sort_key=_status_sort_key,
        export=ExportField("provision_status", _exported_status),
        min_width=len("Recently Ended"),
        tone=_status_tone,
    ),
)
COLUMN_BY_KEY: dict[CustomerColumn, Column] = {column.key: column for column in COLUMNS}

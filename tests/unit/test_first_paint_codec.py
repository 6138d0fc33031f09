"""The first paint file is read by hand, without building a pydantic validator before the first
frame: every value reads back as written, files written before read the same, and a value of
the wrong type makes the whole file ignored."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from metro_tui.first_paint import FirstPaint, FirstPaintFile, _Stored
from metro_tui.models import ProvisionStatus, UsageDay
from metro_tui.services.products import ProductRevenue
from metro_tui.services.revenue import MonthRevenue, RevenueChange
from metro_tui.sync.cache import SnapshotCache
from metro_tui.view_models import CustomerRow, LoadedShare, OverviewFigures

TODAY = date(2026, 11, 24)
LINKED = CustomerRow(
    stripe_customer_id="cus_linked",
    metronome_customer_id="b0b4d0f1-7d1c-4496-a3e1-03d9c08b582d",
    name="Grovepath Payments",
    email="billing@grovepath.example",
    date_created=datetime(2026, 11, 24, 11, 45, tzinfo=UTC),
    lifetime_billings_cents=8_060_000,
    provision_status=ProvisionStatus.RECENTLY_ENDED,
)
UNLINKED = CustomerRow(
    stripe_customer_id="cus_unlinked",
    metronome_customer_id=None,
    name="Kestrel Labs",
    email="",
    date_created=datetime(2026, 11, 23, 9, 0, 30, 250_000, tzinfo=UTC),
    lifetime_billings_cents=None,
    provision_status=None,
    billings_error="HTTP 500",
    status_error="timed out",
    billings_loading=True,
    status_loading=True,
)
PAINT = FirstPaint(
    overview=OverviewFigures(
        total_revenue_cents=16_450_552_639,
        revenue_last_month=RevenueChange(1_791_784_183, 1_652_767_490, 139_016_693, 8.41),
        revenue_by_month=[MonthRevenue("2026-09", 1_652_767_490), MonthRevenue("2026-10", 7)],
        new_customers=871,
        top_products=[
            ProductRevenue("Seats", 3_169_971_178, 0.25),
            ProductRevenue("Other", 1, 0.0),
        ],
        usage_events=[UsageDay(day=date(2026, 10, 26), total=2102, duplicates=63)],
        customers_missing_revenue=3,
        revenue_error="no invoices could be loaded",
        usage_error="usage counts are not exposed",
        revenue_so_far=LoadedShare(412, 1300, listing_finished=False),
        listing_customers=True,
        usage_loading=True,
    ),
    rows=[LINKED, UNLINKED],
    linked_customers=1,
    stripe_customers=2,
)


@pytest.fixture
def paint_file(tmp_path: Path) -> FirstPaintFile:
    """The first paint file of a cache whose snapshot is on disk."""
    cache = SnapshotCache(tmp_path, "account")
    cache.path.write_text('["header"]\n["end",{"lines":2,"crc32":1}]\n', encoding="utf-8")
    return FirstPaintFile(cache)


def _rewrite(file: FirstPaintFile, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the stored values, and write them back as a whole file (with its checksum)."""
    body = json.loads(file.path.read_bytes().partition(b"\n")[0])
    change(body)
    text = json.dumps(body).encode() + b"\n"
    file.path.write_bytes(text + json.dumps({"crc32": zlib.crc32(text)}).encode() + b"\n")


def test_every_value_reads_back_as_written(paint_file: FirstPaintFile) -> None:
    paint_file.store(PAINT, TODAY)

    assert paint_file.load(TODAY) == PAINT


def test_with_no_usage_and_no_share_so_far_too(paint_file: FirstPaintFile) -> None:
    overview = PAINT.overview
    bare = FirstPaint(
        OverviewFigures(
            overview.total_revenue_cents,
            RevenueChange(0, 0, 0, None),
            [],
            0,
            [],
            None,
        ),
        [],
        0,
        0,
    )
    paint_file.store(bare, TODAY)

    assert paint_file.load(TODAY) == bare


def test_a_file_written_by_the_previous_release_reads_the_same(paint_file: FirstPaintFile) -> None:
    """Those were written by pydantic: the format is the same, so no warm start loses its paint."""
    paint_file.store(PAINT, TODAY)
    stored = json.loads(paint_file.path.read_bytes().partition(b"\n")[0])
    previous = TypeAdapter(_Stored).validate_python(stored)
    body = TypeAdapter(_Stored).dump_json(previous) + b"\n"
    paint_file.path.write_bytes(body + json.dumps({"crc32": zlib.crc32(body)}).encode() + b"\n")

    assert paint_file.load(TODAY) == PAINT


def _set_row(field: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda body: body["paint"]["rows"][0].__setitem__(field, value)


def _set_overview(field: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda body: body["paint"]["overview"].__setitem__(field, value)


@pytest.mark.parametrize(
    "change",
    [
        _set_overview("total_revenue_cents", "16450552639"),
        _set_overview("new_customers", True),
        _set_overview("top_products", [{"name": "Seats", "amount_cents": 1}]),
        _set_row("date_created", "2026-11-24T11:45:00"),
        _set_row("provision_status", "Paused"),
        _set_row("name", None),
        lambda body: body["paint"].__setitem__("rows", {}),
        lambda body: body["stamp"].__setitem__("today", 20261124),
    ],
    ids=[
        "revenue as text",
        "count as a bool",
        "product without share",
        "time without timezone",
        "unknown status",
        "no name",
        "rows not a list",
        "day as a number",
    ],
)
def test_a_value_of_the_wrong_type_makes_the_file_ignored_and_removed(
    paint_file: FirstPaintFile, change: Callable[[dict[str, Any]], None]
) -> None:
    paint_file.store(PAINT, TODAY)
    _rewrite(paint_file, change)

    assert paint_file.load(TODAY) is None
    assert not paint_file.path.exists()


READ_WITHOUT_VALIDATORS = """\
import sys
from datetime import date
from pathlib import Path

import pydantic


def refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("a pydantic validator was built to read the first paint")


pydantic.TypeAdapter.__init__ = refuse
from metro_tui.first_paint import FirstPaintFile
from metro_tui.sync.cache import SnapshotCache

paint = FirstPaintFile(SnapshotCache(Path(sys.argv[1]), "account")).load(date(2026, 11, 24))
print(paint is not None and paint.overview.total_revenue_cents)
"""


def test_reading_it_builds_no_pydantic_validator(paint_file: FirstPaintFile) -> None:
    paint_file.store(PAINT, TODAY)

    read = subprocess.run(
        [sys.executable, "-c", READ_WITHOUT_VALIDATORS, str(paint_file.path.parent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert read.returncode == 0, read.stderr
    assert read.stdout == "16450552639\n"

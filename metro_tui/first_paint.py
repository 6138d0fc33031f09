"""The first paint: what the first frame of a warm start shows, kept small beside the cache.

Reading a 100,000-customer snapshot takes seconds, and it grows with the account. The first
screen needs only the Overview figures and the first screens of customer rows, so those are
written to a small file next to the snapshot each time it is saved, and drawn from at start;
the whole snapshot is read after the first frame and replaces them.

The file names the snapshot it was derived from (the snapshot's last line: its line count
and checksum), the cache format and the day its figures were derived for. It is used only
when all of them match what is on disk and today: a file older than the snapshot, from
another account or format, or damaged, is ignored, so it is never shown as current. Like
the snapshot, it holds no secrets.
"""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from metro_tui import first_paint_codec as codec
from metro_tui.figures import CustomerRow, OverviewFigures
from metro_tui.sync.cache import SNAPSHOT_VERSION, TEMP_PREFIX, TEMP_SUFFIX, SnapshotCache

if TYPE_CHECKING:
    from metro_tui.view_models import AccountView

FORMAT = "metro-tui first paint"
VERSION = 1
ROWS_KEPT = 200
"""Newest customers kept, linked and of all: more than the tallest terminal shows."""


@dataclass(frozen=True, slots=True)
class FirstPaint:
    """The Overview and the newest customer rows of a saved account, with its counts."""

    overview: OverviewFigures
    rows: list[CustomerRow]
    """The newest `ROWS_KEPT` linked customers and the newest `ROWS_KEPT` of all, newest first."""
    linked_customers: int
    stripe_customers: int


@dataclass(frozen=True, slots=True)
class PaintStamp:
    """What a first paint must have been made from to be shown: this snapshot file, in this
    cache format, for this account, on this day."""

    account: str
    snapshot_end: str
    today: date


@dataclass(frozen=True, slots=True)
class _Stored:
    format: str
    version: int
    cache_version: int
    stamp: PaintStamp
    paint: FirstPaint


def first_paint_of(account: AccountView) -> FirstPaint:
    """The first paint of a complete account: its figures and its newest customers."""
    newest = sorted(account.rows, key=lambda row: row.date_created, reverse=True)
    linked = [row for row in newest if row.linked]
    kept = {id(row) for row in (*linked[:ROWS_KEPT], *newest[:ROWS_KEPT])}
    return FirstPaint(
        overview=account.overview,
        rows=[row for row in newest if id(row) in kept],
        linked_customers=len(linked),
        stripe_customers=len(newest),
    )


class FirstPaintFile:
    """The first paint beside one account's snapshot cache."""

    def __init__(self, cache: SnapshotCache) -> None:
        self.snapshot = cache.path
        self.path = cache.first_paint_path

    def stamp(self, today: date) -> PaintStamp | None:
        """What the snapshot on disk is now; None when there is none."""
        end = _last_line(self.snapshot)
        return None if end is None else PaintStamp(self.snapshot.name, end, today)

    def load(self, today: date) -> FirstPaint | None:
        """The first paint of the snapshot on disk, for today; None if there is none that is
        (a damaged file is removed)."""
        try:
            text = self.path.read_bytes()
        except OSError:
            return None
        stored = _decode(text)
        if stored is None:
            self.clear()
            return None
        current = stored.stamp == self.stamp(today) and stored.cache_version == SNAPSHOT_VERSION
        return stored.paint if current else None

    def store(self, paint: FirstPaint, today: date) -> None:
        """Write the first paint of the snapshot now on disk (atomically, like the snapshot)."""
        stamp = self.stamp(today)
        if stamp is None:
            return
        stored = _Stored(FORMAT, VERSION, SNAPSHOT_VERSION, stamp, paint)
        body = codec.encode(stored) + b"\n"
        end = json.dumps({"crc32": zlib.crc32(body)}).encode() + b"\n"
        # Named as the snapshot's are, so the cache sweeps up what a killed write leaves.
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body + end)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _decode(text: bytes) -> _Stored | None:
    """The stored first paint, or None when the file is not a whole one in this format."""
    body, _, end = text.partition(b"\n")
    body += b"\n"
    try:
        crc = json.loads(end)["crc32"]
    except (ValueError, TypeError, KeyError):
        return None
    if crc != zlib.crc32(body):
        return None
    try:
        data = json.loads(body)
        if data["format"] != FORMAT or data["version"] != VERSION:
            return None
        return _stored_of(data)
    except (ValueError, TypeError, KeyError):
        # Not JSON, or not the values of a first paint (NotAFirstPaint is a ValueError).
        return None


def _stored_of(data: dict[str, Any]) -> _Stored:
    stamp = data["stamp"]
    paint = data["paint"]
    return _Stored(
        format=FORMAT,
        version=VERSION,
        cache_version=codec.typed_field(data, "cache_version", int),
        stamp=PaintStamp(
            account=codec.typed_field(stamp, "account", str),
            snapshot_end=codec.typed_field(stamp, "snapshot_end", str),
            today=codec.day_of(stamp["today"]),
        ),
        paint=FirstPaint(
            overview=codec.overview_of(paint["overview"]),
            rows=[codec.row_of(row) for row in codec.typed_field(paint, "rows", list)],
            linked_customers=codec.typed_field(paint, "linked_customers", int),
            stripe_customers=codec.typed_field(paint, "stripe_customers", int),
        ),
    )


def _last_line(path: Path) -> str | None:
    """The snapshot's last line (its line count and checksum): it changes with every save."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 4096))
            tail = handle.read()
    except OSError:
        return None
    lines = tail.rstrip(b"\n").rsplit(b"\n", 1)
    return lines[-1].decode("utf-8", "replace") if tail else None

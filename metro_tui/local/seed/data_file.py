"""The seed's data file: filled as a new file beside the one it seeds, and moved into place
only once complete.

Nobody reads the new file while the seed fills it, so it is written without a journal and
without waiting for the disk (`Database(bulk_load=True)`). A seed stopped part-way, by an
error, Ctrl+C, a kill or a power cut, leaves the data file as empty as it was, never a file
that looks seeded; the next seed discards what the stopped one left.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from metro_tui.local.db import Database, finish_bulk_load

SUFFIX = ".seeding"


@contextmanager
def new_data_file(path: Path) -> Iterator[Database]:
    """A new, empty data file to fill, which replaces `path` when the block ends normally."""
    building = path.with_name(path.name + SUFFIX)
    _remove(building)
    db = Database(building, bulk_load=True)
    try:
        yield db
        finish_bulk_load(db.conn)
    except BaseException:
        db.close()
        _remove(building)
        raise
    db.close()
    _flush(building)  # the contents on disk before the name points at them
    os.replace(building, path)
    if os.name == "posix":  # and the new name too (Windows cannot open a folder to flush it)
        _flush(path.parent)


def _remove(building: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        building.with_name(building.name + suffix).unlink(missing_ok=True)


def _flush(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

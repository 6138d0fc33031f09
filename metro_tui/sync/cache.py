"""The on-disk snapshot cache: shown at once on start, refreshed in the background.

One file per account, named by a hash of the backend URL and of the credential, so two
accounts never share a cache and the file name reveals neither. The snapshot holds no
secrets. Writes go to a temporary file that replaces the old one atomically, so a crash
mid-write leaves the previous cache intact; the temporary file such a crash leaves behind
is removed by a later load or store once it has gone untouched for a minute (a write keeps
touching it, and takes seconds even at 100,000 customers).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from metro_tui.stale_files import sweep_stale_temporaries
from metro_tui.sync.cache_version import SNAPSHOT_VERSION as SNAPSHOT_VERSION
from metro_tui.sync.collector import collector_paused

if TYPE_CHECKING:
    from metro_tui.sync.snapshot import AccountSnapshot

CRASH_TEST_PAUSE = "METRO_TUI_CRASH_TEST_PAUSE"
"""Test-only hook: when this variable names a point of `store` ("started": the temporary file
is created and empty; "written": it holds the whole new snapshot, not yet renamed; "replaced":
renamed into place), `store` prints `paused: <point>` at that point and waits to be killed, so
the crash tests kill the write exactly there instead of guessing when it runs."""

DAMAGED = "The cache was damaged and has been discarded."
TEMP_PREFIX = ".snapshot-"
TEMP_SUFFIX = ".tmp"


def account_key(base_url: str, credential: str) -> str:
    digest = hashlib.sha256(f"{base_url}\n{credential}".encode()).hexdigest()
    return digest[:24]


@dataclass
class CacheRead:
    """What a cache load found: a snapshot, or a notice saying why there is none."""

    snapshot: AccountSnapshot | None
    notice: str | None = None


class SnapshotCache:
    """Load and store one account's snapshot."""

    def __init__(self, root: Path, key: str) -> None:
        self.path = root / f"snapshot-{key}.json"

    @property
    def first_paint_path(self) -> Path:
        """Where the first screen of this snapshot is kept (see `metro_tui.first_paint`)."""
        return self.path.with_name(f"{self.path.stem}.first-paint.json")

    @classmethod
    def at(cls, path: Path) -> SnapshotCache:
        """The cache in the file `path`, whatever its name (the benchmarks keep their own)."""
        cache = cls(path.parent, "")
        cache.path = path
        return cache

    def load(self) -> CacheRead:
        """The cached snapshot; a damaged file is discarded with a notice, an old one quietly."""
        # The codec imports the domain models (pydantic): a start draws its first frame
        # before the cache is read, and before they are imported.
        from metro_tui.sync.snapshot_codec import HEADER_LIMIT, DamagedCache, decode, file_version

        self._sweep_interrupted_writes()
        try:
            with self.path.open("rb") as handle:
                head = handle.readline(HEADER_LIMIT)
                version = file_version(head)
                if version is not None and version != SNAPSHOT_VERSION:
                    self._discard()
                    return CacheRead(None)
                if version is None or not head.endswith(b"\n"):
                    raise DamagedCache("no header")
                with collector_paused():
                    return CacheRead(decode(handle))
        except FileNotFoundError:
            return CacheRead(None)
        except DamagedCache:
            self._discard()
            return CacheRead(None, DAMAGED)
        except OSError as error:
            return CacheRead(None, f"The cache could not be read ({error.strerror}).")

    def store(self, snapshot: AccountSnapshot) -> None:
        from metro_tui.sync.snapshot_codec import encode

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._sweep_interrupted_writes()
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        try:
            _crash_test_point("started")
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(encode(snapshot))
                handle.flush()
                os.fsync(handle.fileno())
            _crash_test_point("written")
            os.replace(temp, self.path)
            _crash_test_point("replaced")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        self._discard()

    def _discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.first_paint_path.unlink(missing_ok=True)

    def _sweep_interrupted_writes(self) -> None:
        """Remove temporary files left by writes that were killed before they finished."""
        sweep_stale_temporaries(self.path.parent, f"{TEMP_PREFIX}*{TEMP_SUFFIX}")


def _crash_test_point(point: str) -> None:
    """See CRASH_TEST_PAUSE."""
    if os.environ.get(CRASH_TEST_PAUSE) == point:
        print(f"paused: {point}", flush=True)
        threading.Event().wait()

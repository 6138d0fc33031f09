"""The on-disk snapshot cache: shown at once on start, refreshed in the background.

One file per account, named by a hash of the backend URL and of the credential, so two
accounts never share a cache and the file name reveals neither. The snapshot holds no
secrets. Writes go to a temporary file that replaces the old one atomically, so a crash
mid-write leaves the previous cache intact.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from metro_tui.sync.snapshot import SNAPSHOT_VERSION, AccountSnapshot


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

    def load(self) -> CacheRead:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return CacheRead(None)
        except OSError as error:
            return CacheRead(None, f"The cache could not be read ({error.strerror}).")
        try:
            snapshot = AccountSnapshot.model_validate_json(raw)
        except ValidationError:
            self._discard()
            return CacheRead(None, "The cache was damaged and has been discarded.")
        if snapshot.version != SNAPSHOT_VERSION:
            self._discard()
            return CacheRead(None)
        return CacheRead(snapshot)

    def store(self, snapshot: AccountSnapshot) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = snapshot.model_dump_json().encode()
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".snapshot-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def clear(self) -> None:
        self._discard()

    def _discard(self) -> None:
        self.path.unlink(missing_ok=True)

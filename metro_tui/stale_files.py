"""Leftovers of atomic writes that a killed process never renamed into place."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

STALE_AFTER_S = 60.0
"""A write takes milliseconds; a temporary file a minute old belongs to no live write."""


def sweep_stale_temporaries(folder: Path, pattern: str, *, now: float | None = None) -> int:
    """Delete files in `folder` matching `pattern` not touched for a minute; returns how many."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER_S
    removed = 0
    for path in folder.glob(pattern):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed

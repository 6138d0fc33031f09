"""Saving a setting chosen in the app to config.toml, keeping everything else the file says.

The user edits this file too: tomlkit rewrites only the one key, so their other keys, their
comments and their layout stay as they were. The new file replaces the old one in one rename,
so a crash or a full disk mid-write leaves the old file, never half of one.
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from metro_tui.config import config_file

NEW_FILE_MODE = 0o644


class ConfigWriteError(Exception):
    """The config file could not be read back or written; the message says why, in words."""


def save_setting(key: str, value: str, path: Path | None = None) -> Path:
    """Set `key` in the config file (`config_file()` by default); returns the file's path."""
    target = path or config_file()
    try:
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, TOMLKitError) as error:
        raise ConfigWriteError(f"{target} could not be read: {error}") from error
    document[key] = value
    try:
        _replace(target, tomlkit.dumps(document))
    except OSError as error:
        raise ConfigWriteError(
            f"{target} could not be written: {_reason(error, target)}"
        ) from error
    return target


class LatestSettingWrites:
    """Saves one setting from worker threads so that the last value chosen is the one kept.

    The value is chosen (`choose`, on the UI thread, in the user's order) before its write
    starts. Writes run one at a time, and a write whose value a newer choice has replaced
    before its turn is skipped, so a slow disk can neither reorder two quick choices nor
    make the user wait for values already superseded.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self._turn = threading.Lock()
        self._latest = 0

    def choose(self) -> int:
        """A ticket for a new value; every earlier ticket is now stale."""
        self._latest += 1
        return self._latest

    def save(self, ticket: int, value: str) -> Path | None:
        """Write `value` unless a newer one was chosen; the file's path, or None if skipped."""
        with self._turn:
            if ticket != self._latest:
                return None
            return save_setting(self.key, value)


def _reason(error: OSError, target: Path) -> str:
    """The system's words, and the path they are about when it is not the file itself."""
    reason = error.strerror or str(error)
    if error.filename is not None and Path(error.filename) != target:
        reason += f" ({error.filename})"
    return reason


def _replace(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else NEW_FILE_MODE
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

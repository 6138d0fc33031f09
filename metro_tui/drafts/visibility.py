"""Which validation messages the user sees: none on a field before its time.

A message shows once its field was typed in (touched), or once Next was refused while the
message stood (revealed). A row just added shows nothing until then, however empty it is.
Fields are known by their draft paths, so removing a row renumbers the rows after it.
"""

from __future__ import annotations

from collections.abc import Iterable

from metro_tui.drafts.fields import FieldErrors


class MessageVisibility:
    """The fields whose messages are shown, by path."""

    def __init__(self) -> None:
        self._shown: set[str] = set()

    def touched(self, path: str) -> None:
        """The user edited the field at `path`."""
        self._shown.add(path)

    def next_refused(self, errors: FieldErrors) -> None:
        """Next was pressed while these messages stood: show them from now on."""
        self._shown.update(errors)

    def row_removed(self, list_path: str, index: int) -> None:
        """Row `index` of the list at `list_path` (e.g. "credits.0.segments") was removed."""
        self._shown = set(_after_removal(self._shown, list_path, index))

    def visible(self, errors: FieldErrors) -> FieldErrors:
        """The messages to show, of those that stand now."""
        return {path: message for path, message in errors.items() if path in self._shown}


def _after_removal(paths: Iterable[str], list_path: str, index: int) -> Iterable[str]:
    """The paths as they read once the row is gone: its own dropped, later rows' moved up one."""
    prefix = f"{list_path}."
    for path in paths:
        row, dot, rest = path.removeprefix(prefix).partition(".")
        if not path.startswith(prefix) or not row.isdigit():
            yield path
        elif int(row) > index:
            yield f"{prefix}{int(row) - 1}{dot}{rest}"
        elif int(row) < index:
            yield path

"""Lines drawn in recent frames, kept by what they show, so a line shown again is not drawn
again.

A filter keystroke over 100,000 customers is one frame of the table, and half of that frame
was drawing its rows' lines; a longer needle keeps the first matches, so their lines come back
unchanged. A line is kept for the object it shows (a row, by identity: hashing a row's fields
cost more than drawing half of it) and a variant (its stripe, the cursor on it), for as long as
the look it was drawn in (width, sideways scroll, columns, styles) holds: any change of look
drops every kept line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from textual.strip import Strip


class DrawnLines:
    """The lines drawn lately: the current look's, at most about `keep` * 2 of them."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._look: Hashable = None
        self._recent: dict[tuple[int, Hashable], tuple[object, Strip]] = {}
        self._older: dict[tuple[int, Hashable], tuple[object, Strip]] = {}
        """The recent lines before the last `keep` were drawn: found again, they are recent."""

    def __len__(self) -> int:
        return len(self._recent) + len(self._older)

    def use_look(self, look: Hashable) -> None:
        """Lines drawn from now on are drawn in `look`; lines of any other look are dropped."""
        if look != self._look:
            self._look = look
            self._recent = {}
            self._older = {}

    def line(self, shown: object, variant: Hashable, draw: Callable[[], Strip]) -> Strip:
        """The line showing `shown` as `variant` in the current look: the one kept, or `draw()`."""
        key = (id(shown), variant)
        kept = self._recent.get(key)
        if kept is not None and kept[0] is shown:
            return kept[1]
        kept = self._older.pop(key, None)
        # Each entry holds what it shows, so its id is not another object's while kept.
        strip = kept[1] if kept is not None and kept[0] is shown else draw()
        if len(self._recent) >= self._keep:
            self._older = self._recent
            self._recent = {}
        self._recent[key] = (shown, strip)
        return strip

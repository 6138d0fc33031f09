"""Product tags to tick, for a discount or a credit."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

UNTICKED = " "
"""The inside of an unticked box, "▐ ▌"; a ticked one keeps Textual's "▐X▌"."""


class TagList(SelectionList[str]):
    """The offered tags; chosen tags no longer offered stay listed so they can be unticked.

    Textual draws "▐X▌" beside every tag, ticked or not, and tells them apart by colour only;
    here an unticked tag's box is empty, so the state reads on a monochrome terminal too.
    """

    DEFAULT_CSS = """
    TagList { width: 30; height: auto; max-height: 6; }
    """

    def __init__(self, offered: Sequence[str], chosen: Sequence[str], *, name: str) -> None:
        super().__init__(*_choices(offered, chosen), name=name, compact=True)

    def offer(self, offered: Sequence[str]) -> None:
        """List these tags from now on (another rate card's), keeping the ticked ones."""
        chosen = self.selected
        choices = _choices(offered, chosen)
        listed = [self.get_option_at_index(index).value for index in range(self.option_count)]
        if [tag for tag, _, _ in choices] != listed:
            self.clear_options()
            self.add_options(choices)

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return line
        box_left, inside, *rest = list(line)
        if inside.text != Checkbox.BUTTON_INNER:
            return line  # not a tag's line: nothing to change
        return Strip([box_left, Segment(UNTICKED, inside.style), *rest], line.cell_length)


def _choices(offered: Sequence[str], chosen: Sequence[str]) -> list[tuple[str, str, bool]]:
    """(label, tag, ticked) for the offered tags, then for chosen tags no longer offered."""
    tags = [*offered, *(tag for tag in chosen if tag not in offered)]
    return [(tag, tag, tag in chosen) for tag in tags]

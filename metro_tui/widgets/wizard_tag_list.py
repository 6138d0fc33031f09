"""Product tags to tick, for a discount or a credit."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import SelectionList


class TagList(SelectionList[str]):
    """The offered tags; chosen tags no longer offered stay listed so they can be unticked."""

    DEFAULT_CSS = """
    TagList { width: 30; height: auto; max-height: 6; }
    """

    def __init__(self, offered: Sequence[str], chosen: Sequence[str], *, name: str) -> None:
        tags = [*offered, *(tag for tag in chosen if tag not in offered)]
        super().__init__(*((tag, tag, tag in chosen) for tag in tags), name=name, compact=True)

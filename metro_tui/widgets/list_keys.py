"""The keys every list answers: the arrows or `j`/`k`, pages, and `g`/`G` or Home/End.

One definition, so the customer table, the broken-links table and the help list move alike;
each list names the actions that do the moving in its own widget. The ids are the same in
every list, so a key remapped in the keymap moves every list.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

ID_PREFIX = "list"
LIST_KEY_NAMES = ("cursor_up", "cursor_down", "page_up", "page_down", "first", "last")
"""The last part of each list key's binding id."""


@dataclass(frozen=True)
class ListActions:
    """The widget's own action for each move."""

    up: str
    down: str
    page_up: str
    page_down: str
    first: str
    last: str


def is_list_key(binding: Binding) -> bool:
    """Whether `binding` is one of the keys `list_bindings` makes."""
    prefix, _, name = (binding.id or "").rpartition(".")
    return prefix == ID_PREFIX and name in LIST_KEY_NAMES


def list_bindings(actions: ListActions) -> list[Binding]:
    """The list keys, bound to `actions`, with ids `list.cursor_up` and so on."""
    return [
        Binding("up,k", actions.up, "Up", show=False, id=f"{ID_PREFIX}.cursor_up"),
        Binding("down,j", actions.down, "Down", show=False, id=f"{ID_PREFIX}.cursor_down"),
        Binding("pageup", actions.page_up, "Page up", show=False, id=f"{ID_PREFIX}.page_up"),
        Binding(
            "pagedown", actions.page_down, "Page down", show=False, id=f"{ID_PREFIX}.page_down"
        ),
        Binding("home,g", actions.first, "First", show=False, id=f"{ID_PREFIX}.first"),
        Binding("end,G", actions.last, "Last", show=False, id=f"{ID_PREFIX}.last"),
    ]

"""The keys every list answers: the arrows or `j`/`k`, pages, and `g`/`G` or Home/End.

One definition, so the customer table, the broken-links table and the help list move alike;
each list names the actions that do the moving in its own widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

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
    return binding.id is not None and binding.id.rpartition(".")[2] in LIST_KEY_NAMES


def list_bindings(actions: ListActions, id_prefix: str) -> list[Binding]:
    """The list keys, bound to `actions`, with ids `<id_prefix>.cursor_up` and so on."""
    return [
        Binding("up,k", actions.up, "Up", show=False, id=f"{id_prefix}.cursor_up"),
        Binding("down,j", actions.down, "Down", show=False, id=f"{id_prefix}.cursor_down"),
        Binding("pageup", actions.page_up, "Page up", show=False, id=f"{id_prefix}.page_up"),
        Binding(
            "pagedown", actions.page_down, "Page down", show=False, id=f"{id_prefix}.page_down"
        ),
        Binding("home,g", actions.first, "First", show=False, id=f"{id_prefix}.first"),
        Binding("end,G", actions.last, "Last", show=False, id=f"{id_prefix}.last"),
    ]

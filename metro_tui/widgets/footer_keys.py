"""Which keys the footer shows: the keys that matter here, nearest first, each one whole.

Textual's Footer puts every shown key in one row and lets the command palette's key, docked
on the right, cover whatever overflows, so a key is cut mid-word (`r Re▏`) and at 80 columns
the way out (`q Quit`) is gone. The footer keeps the focused widget's keys first, then its
screen's, then the app's, drops whole keys from the end of that order when the row is full,
and always keeps the keys that lead to everything else (`?`) and out (`q`). A screen can name
keys its own buttons already show (`FOOTER_LAST`): those are dropped before its other keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rich.cells import cell_len
from textual.binding import ActiveBinding, Binding

ALWAYS_SHOWN = ("app.help", "app.quit")
"""Binding ids kept however narrow the terminal: the list of every key, and the way out."""
PALETTE_FRAME = 2
"""The palette key's left edge and right padding."""


@dataclass(frozen=True)
class ShownKey:
    """A key as the footer draws it: its key, what it does, and whether it can be used."""

    key: str
    """The key pressed when the footer's key is clicked."""
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    compact: bool = False
    """Drawn as Textual draws the palette's key: "^p palette", no padding around the key."""

    @property
    def key_text(self) -> str:
        """The key as drawn, with its padding."""
        if self.compact or not self.description:
            return self.key_display
        return f" {self.key_display} "

    @property
    def description_text(self) -> str:
        """The description as drawn, with its padding."""
        if not self.description:
            return ""
        return f" {self.description}" if self.compact else f"{self.description} "

    @property
    def width(self) -> int:
        """Cells the key takes (the palette's frame aside)."""
        return cell_len(self.key_text) + cell_len(self.description_text)


@dataclass(frozen=True)
class ChosenKeys:
    """The keys that fit, left to right, and the palette's key drawn on the right."""

    keys: tuple[ShownKey, ...]
    palette: ShownKey | None


KeyDisplay = Callable[[Binding], str]
"""How the app shows a binding's key (`App.get_key_display`)."""


def choose_keys(
    active: dict[str, ActiveBinding],
    width: int,
    key_display: KeyDisplay,
    palette_key: str | None,
) -> ChosenKeys:
    """The keys that fit in `width` cells, in the screen's order, `?` and `q` last and
    always; `palette_key` is the command palette's key when the footer shows it."""
    palette_binding = active.get(palette_key) if palette_key is not None else None
    palette = None if palette_binding is None else _shown_key(palette_binding, key_display, True)
    room = width - (palette.width + PALETTE_FRAME if palette is not None else 0)
    bindings = list(_one_per_action(active.values()))
    keys = [_shown_key(key, key_display) for key in bindings]
    pinned = [i for i, key in enumerate(bindings) if key.binding.id in ALWAYS_SHOWN]
    room -= sum(keys[i].width for i in pinned)
    fitting = set(_fitting(_by_priority(bindings), keys, pinned, room))
    return ChosenKeys(
        keys=(
            *(key for i, key in enumerate(keys) if i in fitting),
            *(keys[i] for i in pinned),
        ),
        palette=palette,
    )


def _shown_key(active: ActiveBinding, key_display: KeyDisplay, compact: bool = False) -> ShownKey:
    binding = active.binding
    return ShownKey(
        key=binding.key,
        key_display=key_display(binding),
        description=binding.description,
        action=binding.action,
        enabled=active.enabled,
        tooltip=active.tooltip or binding.tooltip,
        compact=compact,
    )


def _fitting(order: list[int], keys: list[ShownKey], pinned: list[int], room: int) -> Iterator[int]:
    """The keys not pinned, in `order`, up to the first that would not fit in `room`."""
    for i in order:
        if i in pinned:
            continue
        if keys[i].width > room:
            return
        room -= keys[i].width
        yield i


def _by_priority(bindings: list[ActiveBinding]) -> list[int]:
    """The keys' places in the order they are kept: each node's (widget, screen, app) in
    turn, the keys its `FOOTER_LAST` names after its other keys."""
    nodes = list(dict.fromkeys(key.node for key in bindings))

    def rank(i: int) -> tuple[int, bool]:
        key = bindings[i]
        last: tuple[str, ...] = getattr(key.node, "FOOTER_LAST", ())
        return nodes.index(key.node), key.binding.id in last

    return sorted(range(len(bindings)), key=rank)  # stable: the screen's order in each rank


def _one_per_action(active: Iterable[ActiveBinding]) -> Iterator[ActiveBinding]:
    """The shown bindings in the screen's order (focused widget, its ancestors, the screen,
    the app), the first key of each action only."""
    seen: set[str] = set()
    for key in active:
        if key.binding.show and key.binding.action not in seen:
            seen.add(key.binding.action)
            yield key

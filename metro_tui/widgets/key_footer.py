"""The footer: the keys that matter here, nearest first, each one whole; `?` lists the rest.

Textual's Footer puts every shown key in one row and lets the command palette's key, docked
on the right, cover whatever overflows, so a key is cut mid-word (`r Re▏`) and at 80 columns
the way out (`q Quit`) is gone. This footer keeps the focused widget's keys first, then its
screen's, then the app's, drops whole keys from the end of that order when the row is full,
and always keeps the keys that lead to everything else (`?`) and out (`q`). A screen can name
keys its own buttons already show (`FOOTER_LAST`): those are dropped before its other keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.widgets import Footer

# FooterKey is the key Footer itself draws; textual.widgets does not re-export it.
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("app.help", "app.quit")
"""Binding ids kept however narrow the terminal: the list of every key, and the way out."""
PALETTE_FRAME = 2
"""The palette key's left border and right padding."""
Shown = tuple[str, str, str, bool, str]
"""A key as drawn: key, action, description, whether enabled, tooltip."""


class DrawnFooterKey(FooterKey):
    """A FooterKey that works out its text once per look rather than on every call.

    Textual asks a key for its text to measure it, then again to draw it (laying the footer
    out forgets the first), each time resolving four styles through every ancestor: half of
    the frame that draws the footer's keys. The text depends only on the key and its styles,
    and Textual tells a widget when its styles change (hover, theme, classes)."""

    def __init__(
        self,
        key: str,
        key_display: str,
        description: str,
        action: str,
        disabled: bool = False,
        tooltip: str = "",
        classes: str = "",
    ) -> None:
        super().__init__(key, key_display, description, action, disabled, tooltip, classes)
        self._text: Text | None = None

    def render(self) -> Text:
        if self._text is None:
            self._text = super().render()
        return self._text.copy()  # Textual may style what it is given

    def notify_style_update(self) -> None:
        self._text = None
        super().notify_style_update()


class KeyFooter(Footer):
    """A Footer that shows only whole keys, in priority order, and always `?` and quit."""

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_width = 0
        self._shown: tuple[Shown, ...] | None = None
        """The keys composed last, as `_shown_as` describes them."""

    async def recompose(self) -> None:
        # The screen asks again on every focus or binding change; rebuilding the same keys
        # would remount a dozen widgets and lay the screen out again for nothing.
        ready = self.is_attached and self._bindings_ready
        if ready and _shown_as(self._chosen()) == self._shown:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys, palette = self._chosen()
        self._shown = _shown_as((keys, palette))
        for key in keys:
            yield self._footer_key(key, compact=False)
        if palette is not None:
            # Compact, as Footer draws it: "^p palette" beside its border.
            yield self._footer_key(palette, compact=True, classes="-command-palette")

    def _chosen(self) -> tuple[list[ActiveBinding], ActiveBinding | None]:
        """The keys that fit, in the screen's order, and the palette's key."""
        active = self.screen.active_bindings
        palette = self._palette_key(active)
        room = self._width() - (
            self._width_of(palette, compact=True) + PALETTE_FRAME if palette else 0
        )
        keys = list(_one_per_action(active.values()))
        pinned = [key for key in keys if key.binding.id in ALWAYS_SHOWN]
        room -= sum(self._width_of(key, compact=False) for key in pinned)
        fitting = set(self._fitting(_by_priority(keys), pinned, room))
        return [*(key for key in keys if key in fitting), *pinned], palette

    def _footer_key(
        self, key: ActiveBinding, *, compact: bool, classes: str = ""
    ) -> DrawnFooterKey:
        binding = key.binding
        widget = DrawnFooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            disabled=not key.enabled,
            tooltip=key.tooltip or binding.tooltip,
            classes=classes,
        )
        # Set, not bound to the footer's as Footer does: a binding needs the footer's own
        # message loop, and the look is fixed, so `_width_of` can count each key's cells.
        # Setting the reactive quietly skips its watcher, which is what sets the class.
        widget.set_reactive(DrawnFooterKey.compact, compact)
        widget.set_class(compact, "-compact")
        return widget

    def _width(self) -> int:
        # Before its first layout the footer has no width; it spans the screen.
        return self.size.width or self.app.size.width

    def _palette_key(self, active: dict[str, ActiveBinding]) -> ActiveBinding | None:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        return active.get(self.app.COMMAND_PALETTE_BINDING)

    def _fitting(
        self, keys: list[ActiveBinding], pinned: list[ActiveBinding], room: int
    ) -> Iterator[ActiveBinding]:
        """The keys not pinned, in order, up to the first that would not fit in `room`."""
        for key in keys:
            if key in pinned:
                continue
            width = self._width_of(key, compact=False)
            if width > room:
                return
            room -= width
            yield key

    def _width_of(self, key: ActiveBinding, *, compact: bool) -> int:
        """Cells a FooterKey takes: the key, padded by a cell each side, then the description
        and a cell after it; compact, the key and the description a cell apart."""
        shown = cell_len(self.app.get_key_display(key.binding))
        description = cell_len(key.binding.description)
        return shown + 1 + description if compact else shown + 2 + description + 1

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_width:
            self._laid_out_width = event.size.width
            self.call_after_refresh(self.recompose)


def _by_priority(keys: list[ActiveBinding]) -> list[ActiveBinding]:
    """The keys in the order they are kept: each node's (widget, screen, app) in turn, the
    keys its `FOOTER_LAST` names after its other keys."""
    nodes = list(dict.fromkeys(key.node for key in keys))

    def rank(key: ActiveBinding) -> tuple[int, bool]:
        last: tuple[str, ...] = getattr(key.node, "FOOTER_LAST", ())
        return nodes.index(key.node), key.binding.id in last

    return sorted(keys, key=rank)  # stable: the screen's order within each rank


def _shown_as(chosen: tuple[list[ActiveBinding], ActiveBinding | None]) -> tuple[Shown, ...]:
    """What the footer draws of each key: a key drawn the same way need not be rebuilt."""
    keys, palette = chosen
    return tuple(
        (
            key.binding.key,
            key.binding.action,
            key.binding.description,
            key.enabled,
            key.tooltip or key.binding.tooltip,
        )
        for key in [*keys, *([palette] if palette is not None else [])]
    )


def _one_per_action(active: Iterable[ActiveBinding]) -> Iterator[ActiveBinding]:
    """The shown bindings in the screen's order (focused widget, its ancestors, the screen,
    the app), the first key of each action only."""
    seen: set[str] = set()
    for key in active:
        if key.binding.show and key.binding.action not in seen:
            seen.add(key.binding.action)
            yield key

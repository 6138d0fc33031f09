"""The footer: the keys that matter here (`footer_keys.py` chooses them), drawn as one line.

Textual's Footer is a container of one widget per key: showing its keys mounts a dozen
widgets, lays the screen out and draws each key through its own styles, 37,000 Python calls
in the frame that first shows the customer page's keys. This footer is one widget that
draws its line itself, cell for cell as those widgets drew it: the keys from the left, the
palette's key on the right behind its edge, the key under the pointer highlighted, keys that
cannot be used now dimmed. A click on a key presses it; the key under the pointer gives its
tooltip.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from metro_tui.widgets.footer_keys import PALETTE_FRAME, ChosenKeys, ShownKey, choose_keys

PALETTE_EDGE = "▏"
"""The palette key's left edge, as Textual draws a `vkey` border."""
KeySpan = tuple[int, int, ShownKey]
"""Where a key is drawn: its first cell, the cell after its last, and the key."""


class KeyFooter(Widget, can_focus=False):
    """The keys in priority order, each whole, `?` and quit always, in one drawn line."""

    ALLOW_SELECT = False
    # The same rules as Textual's FooterKey, one component class for each state of a key.
    COMPONENT_CLASSES = {
        "key-footer--item",
        "key-footer--hover",
        "key-footer--disabled",
        "key-footer--key",
        "key-footer--description",
        "key-footer--palette-edge",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--item { background: $footer-item-background; }
        .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .key-footer--disabled { text-style: dim; }
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-footer--palette-edge { color: $foreground 20%; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._bindings_ready = False
        """Whether the screen has published its bindings (the footer is blank until then)."""
        self._chosen = ChosenKeys(keys=(), palette=None)
        self._pointer_x: int | None = None
        """The pointer's column while it is over the footer."""
        self._line: Strip | None = None
        """The line drawn last, until the keys, the width, the pointer's key or a style
        change."""

    @property
    def keys(self) -> tuple[ShownKey, ...]:
        """The keys shown from the left, `?` and quit last; the palette's key aside."""
        return self._chosen.keys

    @property
    def palette_key(self) -> ShownKey | None:
        """The command palette's key, drawn on the right."""
        return self._chosen.palette

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        # As Textual's Footer: the bindings a blurred app publishes are not shown.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        """Choose the keys for the screen's bindings and the footer's width; the line is
        drawn again only if they changed (the screen publishes its bindings on every focus
        change)."""
        if not (self.is_attached and self._bindings_ready):
            return
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        width = self.size.width or app.size.width  # no width before its first layout
        chosen = choose_keys(self.screen.active_bindings, width, app.get_key_display, palette)
        if chosen != self._chosen:
            self._chosen = chosen
            self._point_at(self._pointer_x, keys_changed=True)
            self._redraw()

    def on_resize(self, event: events.Resize) -> None:
        self.show_keys()
        self._redraw()

    def notify_style_update(self) -> None:
        self._line = None  # a theme or class change: every style is worked out again
        super().notify_style_update()

    def _redraw(self) -> None:
        self._line = None
        self.refresh()

    def key_spans(self, width: int | None = None) -> list[KeySpan]:
        """Where each key is drawn at `width` (the footer's own by default), left to right,
        the palette's key with its edge and padding last."""
        width = self.size.width if width is None else width
        spans: list[KeySpan] = []
        x = 0
        for key in self._chosen.keys:
            spans.append((x, x + key.width, key))
            x += key.width
        palette = self._chosen.palette
        if palette is not None:
            spans.append((width - palette.width - PALETTE_FRAME, width, palette))
        return spans

    def _key_at(self, x: int | None) -> ShownKey | None:
        """The key drawn at column `x`, the palette's above any key it covers."""
        if x is None:
            return None
        found = [key for start, end, key in self.key_spans() if start <= x < end]
        return found[-1] if found else None

    def render_line(self, y: int) -> Strip:
        if self._line is None or self._line.cell_length != self.size.width:
            self._line = self._draw(self.size.width)
        return self._line

    def _draw(self, width: int) -> Strip:
        footer = self.background_colors[1]
        blank = RichStyle(bgcolor=footer.rich_color)  # as Textual pads a line
        hovered = self._key_at(self._pointer_x)
        palette = self._chosen.palette
        room = width - palette.width - PALETTE_FRAME if palette is not None else width
        segments: list[Segment] = []
        for key in self._chosen.keys:
            segments.extend(self._key_segments(key, key is hovered))
        line = Strip(segments).crop(0, room).adjust_cell_length(room, blank)
        if palette is None:
            return line
        item = self._state_of(palette, palette is hovered)
        inside = RichStyle(bgcolor=(self.get_visual_style(*item).background or footer).rich_color)
        edge = footer + self.get_component_styles("key-footer--palette-edge").color
        edge_style = RichStyle(color=edge.rich_color, bgcolor=inside.bgcolor)
        return Strip.join(
            [
                line,
                Strip(
                    [
                        Segment(PALETTE_EDGE, edge_style),
                        *self._key_segments(palette, palette is hovered),
                        Segment(" ", inside),
                    ]
                ),
            ]
        )

    def _state_of(self, key: ShownKey, hovered: bool) -> tuple[str, ...]:
        """The component classes of a key's own look, as FooterKey's rules would apply."""
        look = "key-footer--hover" if hovered else "key-footer--item"
        return (look,) if key.enabled else (look, "key-footer--disabled")

    def _key_segments(self, key: ShownKey, hovered: bool) -> list[Segment]:
        state = self._state_of(key, hovered)
        key_style = self.get_visual_style(*state, "key-footer--key").rich_style
        segments = [Segment(key.key_text, key_style)]
        if key.description_text:
            description = self.get_visual_style(*state, "key-footer--description")
            segments.append(Segment(key.description_text, description.rich_style))
        return segments

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._point_at(event.x)

    def on_leave(self, event: events.Leave) -> None:
        self._point_at(None)

    def _point_at(self, x: int | None, keys_changed: bool = False) -> None:
        """Highlight the key under the pointer, and give its tooltip."""
        before = self._key_at(self._pointer_x)
        self._pointer_x = x
        key = self._key_at(x)
        if key is before and not keys_changed:
            return
        self.tooltip = key.tooltip if key is not None and key.tooltip else None
        self.styles.pointer = "pointer" if key is not None else "default"
        self._redraw()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

"""A screen that draws a tall page in stages, each in a frame of its own.

Textual lays out and draws whatever was mounted since the last frame in one step: for a page
of many tall widgets that step is long enough to see. `after_next_layout` lets the screen
mount one part, and the next once the frame with the first is drawn. The first showing is
styled and laid out once, not as Textual does for any screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import events
from textual.geometry import Size
from textual.screen import Screen


class StagedScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self._resumed_before = False
        """Whether the screen has been shown before (its first ScreenResume is handled)."""
        self._after_layout: list[Callable[[], None]] = []
        """What waits for the screen's next layout (`after_next_layout`)."""

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out, immediate=True)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. The first time, the screen was styled when it
        # was mounted, just before: styling the whole page again is a tenth of the frame
        # that first shows it. Later, Textual decides, as for any screen.
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        # Textual lays a newly shown screen out when it resumes; that layout sends the screen
        # a Resize at the size it was just laid out at, and Screen's own handler then lays out
        # every screen under it as well (about a tenth of the frame that first shows the
        # page), though none changed size. A resize of the terminal differs from the size
        # laid out at, and is handled as Textual handles it.
        if event.size == self._compositor.size:
            event.prevent_default()

    def _screen_resized(self, size: Size) -> None:
        # A screen shown over this one relays its own first Resize here: at the size this
        # screen was laid out at, there is nothing to lay out again.
        if size != self._compositor.size:
            super()._screen_resized(size)

    def after_next_layout(self, then: Callable[[], None]) -> None:
        """Call `then` after the screen's next layout and the frame drawn from it, so what
        was mounted before is drawn by then. (`call_after_refresh` may run first, when the
        mounts before it have not yet asked for a layout.)"""
        self._after_layout.append(then)

    def _laid_out(self, _: Screen[None]) -> None:
        # Called within the step that laid the screen out: what waited runs in its own,
        # after the timers already due. Queued at once, it ran in the very next turn of the
        # event loop, before anything else waiting to run, so the frame and the next stage
        # were one stall.
        due, self._after_layout = self._after_layout, []
        loop = asyncio.get_running_loop()
        for then in due:
            loop.call_later(0, self.call_later, then)

"""A staged screen runs what waits for its next layout in a turn of the event loop of its own,
after the timers already due, so a frame and the stage after it are not one long stall."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from metro_tui.screens.staged_screen import StagedScreen


class Stages(StagedScreen):
    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []
        self.done = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield Static("first stage")

    def on_mount(self) -> None:
        # Subscribed before the screen's own: runs first within the step that lays it out.
        self.screen_layout_refresh_signal.subscribe(self, self._overdue_timer, immediate=True)
        super().on_mount()
        self.after_next_layout(self._next_stage)

    def _overdue_timer(self, _: Screen[None]) -> None:
        loop = asyncio.get_running_loop()
        if not self.order:
            loop.call_at(loop.time() - 1, self.order.append, "timer already due")

    def _next_stage(self) -> None:
        self.order.append("next stage")
        self.done.set()


class StagesApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Stages())


async def test_the_next_stage_runs_after_the_timers_already_due() -> None:
    app = StagesApp()
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, Stages)
        await screen.done.wait()
        await pilot.pause()
        assert screen.order == ["timer already due", "next stage"]


class ShownOver(App[None]):
    """An app whose own screen stays under a staged screen pushed over it."""

    def compose(self) -> ComposeResult:
        yield Static("the screen below")


async def test_a_staged_screen_shown_leaves_the_screen_under_it_as_laid_out() -> None:
    """The Resize a newly shown screen's first layout sends itself, at the size it was just
    laid out at, does not lay out the screen under it (already laid out at that size) again."""
    app = ShownOver()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()  # the screen below laid out and drawn
        below = app.screen
        layouts: list[Screen[object]] = []
        below.screen_layout_refresh_signal.subscribe(below, layouts.append, immediate=True)
        stages = Stages()
        app.push_screen(stages)
        await stages.done.wait()
        await pilot.pause()
        assert layouts == []
        await pilot.resize_terminal(100, 30)  # a real resize lays out both, as before
        await pilot.pause()
        assert below in layouts
        assert stages.size == (100, 30)

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

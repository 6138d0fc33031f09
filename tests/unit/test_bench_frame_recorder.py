"""The warm-start benchmark's screenless terminal: it notes the first frame holding a text."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Label

from benchmarks.frame_recorder import FrameRecorder


class FigureApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Loading…", id="figure")


async def test_the_first_frame_holding_the_text_is_noted_when_it_is_written() -> None:
    app = FigureApp()
    recorder = FrameRecorder.looking_for("$1,234.56")
    app.driver_class = recorder
    async with app.run_test(headless=False, size=(40, 5)) as pilot:
        await pilot.pause()
        assert not recorder.seen.is_set()  # frames were written, none holding the figure

        app.query_one("#figure", Label).update("$1,234.56")
        await asyncio.wait_for(recorder.seen.wait(), 30)  # a bound, so a fault fails, not hangs
        noted = recorder.seen_at
        app.query_one("#figure", Label).update("$1,234.56 total")
        await pilot.pause()

    assert noted > 0
    assert recorder.seen_at == noted  # later frames holding it do not move the moment


async def test_each_run_looks_for_its_own_text() -> None:
    first = FrameRecorder.looking_for("first")
    second = FrameRecorder.looking_for("second")
    first_app, second_app = FigureApp(), FigureApp()
    first_app.driver_class, second_app.driver_class = first, second

    async with first_app.run_test(headless=False, size=(40, 5)) as pilot:
        first_app.query_one("#figure", Label).update("first")
        await asyncio.wait_for(first.seen.wait(), 30)
        await pilot.pause()
    async with second_app.run_test(headless=False, size=(40, 5)) as pilot:
        await pilot.pause()

    assert first.seen.is_set()
    assert not second.seen.is_set()
    assert second.seen_at == 0.0


def test_a_recorder_needs_a_text() -> None:
    with pytest.raises(ValueError, match="a text to look for"):
        FrameRecorder.looking_for("")

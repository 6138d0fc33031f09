"""Counting the frames Textual draws, to check what happens before or after the first one."""

from __future__ import annotations

import pytest
from rich.console import RenderableType
from textual.app import App
from textual.screen import Screen


class FrameCounter:
    """Counts each frame drawn (a `_display` with something to show) from when it is made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.drawn = 0
        display = App._display

        def counted(
            app: App[object], screen: Screen[object], renderable: RenderableType | None
        ) -> None:
            if renderable is not None:
                self.drawn += 1
            display(app, screen, renderable)

        monkeypatch.setattr(App, "_display", counted)

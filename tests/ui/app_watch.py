"""What a test sees the app do, in the order it happens: tests wait for it instead of polling."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from metro_tui.app import MetroApp


class HeaderWatch:
    """Every text the header's load and save status is given, as the app gives it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._said: asyncio.Queue[str] = asyncio.Queue()
        say = MetroApp._say

        def recorded(app: MetroApp, text: str, *, stale: bool = False) -> None:
            say(app, text, stale=stale)
            self._said.put_nowait(text)

        monkeypatch.setattr(MetroApp, "_say", recorded)

    async def until(self, wanted: Callable[[str], bool]) -> str:
        """The first text from here on that is `wanted`, however long the app takes to say it."""
        while not wanted(text := await self._said.get()):
            pass
        return text

"""A terminal with no screen, for timing when a text first reaches the user's terminal.

Textual renders no terminal output for a driver that says it is headless, so a headless
app skips the work of turning each frame into the text a terminal is sent. This driver says
it is not headless: each frame is rendered into that text as in a terminal, and handed to
`write`, which notes when a frame first holds the text looked for. Nothing is written out.
"""

from __future__ import annotations

import asyncio
import time
from typing import ClassVar

from textual.drivers.headless_driver import HeadlessDriver


class FrameRecorder(HeadlessDriver):
    """Use `FrameRecorder.looking_for(text)` as an app's `driver_class`: Textual makes the
    driver itself, so what it looks for is held by a class made for each run."""

    looked_for: ClassVar[str] = ""
    seen: ClassVar[asyncio.Event]
    seen_at: ClassVar[float] = 0.0
    """`time.monotonic()` when the first frame holding `looked_for` was written."""

    @classmethod
    def looking_for(cls, text: str) -> type[FrameRecorder]:
        if not text:
            raise ValueError("a frame recorder needs a text to look for")
        attributes = {"looked_for": text, "seen": asyncio.Event(), "seen_at": 0.0}
        return type(cls.__name__, (cls,), attributes)

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        recorder = type(self)
        if not recorder.seen.is_set() and recorder.looked_for in data:
            recorder.seen_at = time.monotonic()
            recorder.seen.set()

"""How long the event loop was kept from running: the longest stall a user would feel."""

from __future__ import annotations

import asyncio
import contextlib
import time

TICK_S = 0.005


class LoopLagProbe:
    """A task that sleeps 5 ms at a time; any overshoot is time the loop spent elsewhere."""

    def __init__(self) -> None:
        self.worst_s = 0.0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start probing; returns once the first tick is under way, so whatever the caller
        runs next without yielding counts as a stall."""
        self.worst_s = 0.0
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0)

    async def stop(self) -> float:
        """Stop probing; the longest stall seen, in seconds."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        return self.worst_s

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            self.worst_s = max(self.worst_s, time.perf_counter() - before - TICK_S)

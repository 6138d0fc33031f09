"""Waiting for a held call to begin, without hanging when it never will."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from textual.app import App


async def until_set_or_idle(app: App[Any], event: threading.Event) -> None:
    """Return once `event` is set, or once every worker has finished without setting it.

    A test that holds a call on another thread waits here for the call to begin; if the code
    under test never makes the call, the test fails on its next assertion instead of hanging.
    The wait for the workers is left to finish on its own: cancelling it would cancel them.
    """
    began = asyncio.ensure_future(asyncio.to_thread(event.wait))
    idle = asyncio.ensure_future(app.workers.wait_for_complete())
    await asyncio.wait({began, idle}, return_when=asyncio.FIRST_COMPLETED)
    if event.is_set():
        await began
        return
    # Idle, and the call never began: free the waiting thread, then unset the event again so
    # that the caller's assertion on it fails.
    event.set()
    await began
    event.clear()

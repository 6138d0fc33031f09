"""Writing the account to its cache so that nothing loaded is lost.

Every write runs as a task of its own: a caller that is cancelled (the app quitting) does not
stop it, and `settled` waits for all of them. Checkpoints of a first load are written while
it runs, one at a time, and a complete account is never written while one is in flight, so
a checkpoint can never land over it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from time import monotonic
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from metro_tui.sync.cache import SnapshotCache
    from metro_tui.sync.snapshot import AccountSnapshot


CHECKPOINT_INTERVAL_S = 10.0
"""A first load saves what it has fetched this often (after the previous save ended): an
interrupted load loses at most this much work, and a 100,000-customer checkpoint, which
takes seconds to write, never holds up the load."""


class SaveFailed(Exception):
    """The account was loaded and is shown, but the cache could not be written."""

    def __init__(self, error: OSError) -> None:
        self.reason = error.strerror or str(error)
        super().__init__(f"The account could not be saved to the cache: {self.reason}.")
        self.message = str(self)


class AccountSaver:
    """Writes one account's snapshots, complete ones and checkpoints, to its cache."""

    def __init__(self, cache: Callable[[], SnapshotCache]) -> None:
        self._cache = cache
        self.checkpoint_interval_s = CHECKPOINT_INTERVAL_S
        self.on_checkpoint: Callable[[AccountSnapshot], None] | None = None
        """Called after each checkpoint is written."""
        self.error: SaveFailed | None = None
        """Why the last save of a complete account failed; None once one succeeds."""
        self._writes: set[asyncio.Task[None]] = set()
        self._checkpointing: asyncio.Task[None] | None = None
        self._next_checkpoint = 0.0

    @property
    def writing(self) -> bool:
        return bool(self._writes)

    async def to_the_end(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` (that ends in a save) to its end even if the caller is cancelled."""
        await asyncio.shield(self._start(work))

    async def save(self, snapshot: AccountSnapshot) -> None:
        """Write a complete account; raises `SaveFailed` (and keeps it in `error`)."""
        if self._checkpointing is not None:
            await asyncio.wait({self._checkpointing})
        try:
            await asyncio.to_thread(self._cache().store, snapshot)
        except OSError as error:
            self.error = SaveFailed(error)
            raise self.error from error
        self.error = None

    async def settled(self) -> None:
        """Wait until every write under way, and any started meanwhile, has ended."""
        while self._writes:
            await asyncio.wait(set(self._writes))

    def checkpoint_when_due(self, partial: AccountSnapshot) -> None:
        if not partial.complete and monotonic() >= self._next_checkpoint:
            self.checkpoint(partial)

    def checkpoint(self, partial: AccountSnapshot) -> None:
        """Save what a load has fetched so far, unless a checkpoint is being written."""
        if self._checkpointing is not None:
            return  # the one being written is recent enough
        # Copied here, on the event loop, where the load fills it; written in a thread.
        self._checkpointing = self._start(self._write_checkpoint(partial.checkpoint()))

    async def _write_checkpoint(self, partial: AccountSnapshot) -> None:
        """A failed checkpoint is not reported: the save of the complete account will be."""
        try:
            await asyncio.to_thread(self._cache().store, partial)
        except OSError:
            return
        finally:
            self._checkpointing = None
            self._next_checkpoint = monotonic() + self.checkpoint_interval_s
        if self.on_checkpoint is not None:
            self.on_checkpoint(partial)

    def _start(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self._writes.add(task)
        task.add_done_callback(self._ended)
        return task

    def _ended(self, task: asyncio.Task[None]) -> None:
        self._writes.discard(task)
        if not task.cancelled():
            # Retrieved here as well: when the caller was cancelled, nobody else does, and
            # a failed save is kept in `error` for whoever is still there to show it.
            task.exception()

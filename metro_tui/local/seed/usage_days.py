"""The demo usage events of each day, drawn and made into rows in a second process while this
one writes the contracts and invoices, then stored a day at a time as they arrive.

Drawing the events and building their rows is most of the seed's Python, and it needs only
the plan and a writer that knows every customer an event names. A forked process draws the
same days, from the same stream, in the same order, so the data file is byte for byte what
one process writes; on a machine with a spare core they are drawn while this process writes
the rest.

Forking copies only the thread that forks, and any lock another thread held stays held in the
copy: the seed forks only while it is the process's one thread (as `metro-tui local reset`
runs it), and otherwise draws the days itself, in turn with storing them, as it always did.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import groupby
from typing import BinaryIO

from metro_tui.local.metronome.usage_store import EventRow, UsageWriter
from metro_tui.local.seed.draws import midnight, stream
from metro_tui.local.seed.plan import DatasetPlan
from metro_tui.local.seed.usage import usage_batches, usage_window_start

FRAME = struct.Struct("!Q")  # each message's length, before its pickled bytes
DONE = b"done"  # sent once every day is
CHUNK = 1 << 20  # bytes read from the pipe at a time
PIPE_BYTES = 1 << 20  # Linux's most for a pipe unless raised (`/proc/sys/fs/pipe-max-size`)


@dataclass(frozen=True)
class DayOfUsageRows:
    number: int  # 1 for the window's first day
    rows: list[EventRow]  # as the ingest endpoint stores them
    counts: Counter[str]  # usage_events, duplicate_usage_events, resent_usage_events


# What the receiving thread hands on: a day, the failure that ended the drawing, or None at
# the end.
Received = queue.SimpleQueue[DayOfUsageRows | BaseException | None]


class UsageDrawingFailed(RuntimeError):
    """The process drawing the usage events stopped before the last day."""


def drawn_days(plan: DatasetPlan, writer: UsageWriter) -> Iterator[DayOfUsageRows]:
    """Each day's events as rows, oldest first, built by `writer`, which must know every
    customer an event names: it never opens the data file here."""
    first_day = usage_window_start(plan.now)
    batches = usage_batches(stream(plan.seed, "usage"), plan.contracts, plan.now)
    for day, group in groupby(batches, key=lambda batch: midnight(batch.received_at)):
        rows: list[EventRow] = []
        counts: Counter[str] = Counter()
        for batch in group:
            batch_rows = writer.rows(None, batch.events, batch.received_at)
            counts["usage_events"] += len(batch_rows)
            counts["duplicate_usage_events"] += sum(row[5] for row in batch_rows)
            counts["resent_usage_events"] += batch.resent
            rows += batch_rows
        yield DayOfUsageRows((day - first_day).days + 1, rows, counts)


@contextmanager
def usage_days(plan: DatasetPlan, writer: UsageWriter) -> Iterator[Iterable[DayOfUsageRows]]:
    """The days `drawn_days` gives, drawn from now on in a second process where that is safe.
    Leaving the block early stops that process."""
    if not _may_fork():
        yield drawn_days(plan, writer)
        return
    read_end, write_end = os.pipe()
    _widen(write_end)
    pid = os.fork()
    if pid == 0:  # the drawing process: never returns
        os.close(read_end)
        _draw_and_exit(plan, writer, write_end)
    os.close(write_end)
    received: Received = queue.SimpleQueue()
    reader = threading.Thread(
        target=_receive, args=(read_end, received), name="seed-usage-receive", daemon=True
    )
    reader.start()
    try:
        yield _days(received)
    finally:
        _stop(pid)
        reader.join()


def _widen(pipe: int) -> None:
    """Give the pipe room for several days: each time it is full, the drawing process waits
    until the receiving thread gets the interpreter from the threads building and storing
    rows, up to a switch interval (5 ms) each time."""
    import fcntl  # only where the seed forks: Linux

    with suppress(OSError):  # the system's most for a pipe is lower: its default will do
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _may_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def _draw_and_exit(plan: DatasetPlan, writer: UsageWriter, pipe: int) -> None:
    """Send each day through `pipe`, then `DONE`; a failure is sent as its message instead."""
    status = 0
    try:
        with os.fdopen(pipe, "wb") as out:
            try:
                for day in drawn_days(plan, writer):
                    _send(out, pickle.dumps(day, protocol=pickle.HIGHEST_PROTOCOL))
                _send(out, DONE)
            except BrokenPipeError:
                status = 1  # the seeding process is gone: nobody to tell
            except BaseException as failure:
                status = 1
                _send(out, pickle.dumps(f"{type(failure).__name__}: {failure}"))
    except BaseException:
        status = 1
    finally:
        # Without the interpreter's exit: the copied data file connection, threads' locks and
        # buffered output belong to the seeding process.
        os._exit(status)


def _send(out: BinaryIO, message: bytes) -> None:
    out.write(FRAME.pack(len(message)))
    out.write(message)
    out.flush()


def _receive(pipe: int, received: Received) -> None:
    """Each day as it arrives, then None; or the failure that ended the drawing."""
    try:
        with os.fdopen(pipe, "rb", buffering=CHUNK) as source:
            while header := source.read(FRAME.size):
                if len(header) < FRAME.size:
                    break
                size = FRAME.unpack(header)[0]
                message = source.read(size)
                if len(message) < size:
                    break
                if message == DONE:
                    received.put(None)
                    return
                day = pickle.loads(message)
                if isinstance(day, str):
                    received.put(UsageDrawingFailed(f"drawing the usage events failed: {day}"))
                    return
                received.put(day)
        received.put(UsageDrawingFailed("the process drawing the usage events stopped"))
    except BaseException as failure:
        received.put(failure)


def _days(received: Received) -> Iterator[DayOfUsageRows]:
    while (day := received.get()) is not None:
        if isinstance(day, BaseException):
            raise day
        yield day


def _stop(pid: int) -> None:
    """Reap the drawing process, stopping it first if it is still drawing."""
    finished, _status = os.waitpid(pid, os.WNOHANG)
    if finished == 0:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

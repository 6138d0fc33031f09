"""Run a command in a real pseudo-terminal and time what its user would see.

A headless run leaves out what the user waits for: the terminal driver, the escape sequences
and the writes to a real terminal. `run_in_pty` starts the command as a terminal would, on a
new pty of a given size that becomes its controlling terminal, reads everything it writes, and
times from just before the process is created until either

- a given text first appears on the terminal (`until="..."`, e.g. a label of the first
  frame, or a figure): the process is then stopped; or
- the process exits (`until=None`, e.g. `--help` or a command that seeds data).

The text is searched for in the output with every escape sequence (colours, cursor moves)
removed, so it is found however the program styles it, as long as it writes the text itself
in one run: a full-screen app redraws a line from left to right, so a word on one line is.

    from benchmarks.pty_run import run_in_pty
    run = run_in_pty([sys.executable, "-m", "metro_tui", "--local"], until="Overview")
    print(run.seconds)

Stdlib only (`pty`, `select`), so any benchmark can use it in any environment.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COLUMNS = 120
ROWS = 40
TIMEOUT_S = 120.0
READ_SIZE = 65536
# CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), DCS/SOS/PM/APC strings, and
# the short escapes (ESC 7, ESC =, ESC ( B ...: any final byte but those that open the others):
# everything a terminal does not print.
ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-OQ-WYZ\\`-~]"
)
# An escape sequence cut off at the end of what has been read so far.
UNFINISHED_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*|[ -/]*)$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class PtyRunError(RuntimeError):
    """The command exited before showing the text, or did not show it in time."""


@dataclass(frozen=True)
class PtyRun:
    """One timed run: seconds from just before the process was created to the text (or exit)."""

    seconds: float
    output: bytes  # everything read from the terminal up to that moment
    exit_status: int | None  # the wait status when it exited by itself; None when stopped

    @property
    def text(self) -> str:
        return visible_text(self.output)


def visible_text(raw: bytes) -> str:
    """What the terminal printed: the output decoded, escape sequences and controls removed
    (line breaks kept). A sequence cut off at the end is dropped until the rest arrives."""
    text = raw.decode("utf-8", errors="replace")
    text = UNFINISHED_ESCAPE.sub("", ESCAPE.sub("", text))
    return CONTROL.sub("", text)


class OutputWatch:
    """Collects a program's terminal output, chunk by chunk, and says when `text` appears.

    The text may arrive split across chunks, or with an escape sequence split across chunks
    before it: each check looks at everything read so far.
    """

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.output = bytearray()

    def feed(self, chunk: bytes) -> bool:
        """Add `chunk`; True once the text has appeared (never when no text is awaited)."""
        self.output += chunk
        return self.text is not None and self.text in visible_text(bytes(self.output))


def run_in_pty(
    argv: Sequence[str],
    *,
    until: str | None,
    columns: int = COLUMNS,
    rows: int = ROWS,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout_s: float = TIMEOUT_S,
) -> PtyRun:
    """Run `argv` on a new `columns` x `rows` pty until `until` appears, or until it exits
    when `until` is None. `env` is added to this process's environment (TERM defaults to
    xterm-256color). PtyRunError when it exits first or `timeout_s` passes."""
    environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    size = struct.pack("HHHH", rows, columns, 0, 0)
    started = time.monotonic()
    pid, master = pty.fork()
    if pid == 0:  # the child: size its terminal, then become the command
        try:
            fcntl.ioctl(pty.STDOUT_FILENO, termios.TIOCSWINSZ, size)
            if cwd is not None:
                os.chdir(cwd)
            os.execvpe(argv[0], list(argv), environment)
        finally:
            os._exit(127)
    watch = OutputWatch(until)
    try:
        seconds = _read_until(master, watch, started, timeout_s)
    except BaseException:
        _stop(pid)
        raise
    finally:
        os.close(master)
    if seconds is None:  # the terminal closed: the command has exited
        status = os.waitpid(pid, 0)[1]
        ended = time.monotonic() - started
        if until is not None:
            tail = visible_text(bytes(watch.output))[-500:]
            raise PtyRunError(f"{argv[0]} exited ({status}) before showing {until!r}: {tail}")
        return PtyRun(ended, bytes(watch.output), status)
    _stop(pid)
    return PtyRun(seconds, bytes(watch.output), None)


def _read_until(master: int, watch: OutputWatch, started: float, timeout_s: float) -> float | None:
    """Seconds from `started` to the awaited text; None when the terminal closes first."""
    deadline = started + timeout_s
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise PtyRunError(f"{watch.text!r} did not appear within {timeout_s:.0f} s")
        ready, _, _ = select.select([master], [], [], remaining)
        if not ready:
            continue
        try:
            chunk = os.read(master, READ_SIZE)
        except OSError as error:  # Linux reports a pty whose other end closed as EIO
            if error.errno != errno.EIO:
                raise
            return None
        if not chunk:
            return None
        if watch.feed(chunk):
            return time.monotonic() - started


def _stop(pid: int) -> None:
    """End the command and everything it started (its session's process group), and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

"""The demo data's progress on the console while the first run creates it (some seconds)."""

from __future__ import annotations

from typing import TextIO

ERASE_LINE = "\r\x1b[K"


class SeedProgress:
    """Reports the seed's progress (stage, done, total) to `stream`.

    At a terminal, one line redrawn in place with every report; elsewhere (a log, a pipe) a
    line per finished stage, so the log stays readable.
    """

    def __init__(self, stream: TextIO, heading: str) -> None:
        self._stream = stream
        self._heading = heading
        self._in_place = stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        line = f"{self._heading} {stage} {done:,}/{total:,}"
        if self._in_place:
            self._stream.write(ERASE_LINE + line)
            self._stream.flush()
        elif done == total:
            print(line, file=self._stream, flush=True)

    def finish(self, summary: str) -> None:
        """Replace the progress with `summary`, on a line of its own."""
        if self._in_place:
            self._stream.write(ERASE_LINE)
        print(summary, file=self._stream, flush=True)

"""`metro-tui local serve` in a child process, synchronised on what it prints when it is ready."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TextIO

SERVE = (sys.executable, "-m", "metro_tui", "local", "serve")
SETTINGS_LINES = 4
"""`serve` prints its base URLs and credentials once its socket listens, then serves."""


def start_serving(data: Path, port: int, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*SERVE, "--data", str(data), "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_ready(process: subprocess.Popen[str]) -> list[str]:
    """The settings the server printed: from then on it accepts connections."""
    assert process.stdout is not None
    settings = [process.stdout.readline().strip() for _ in range(SETTINGS_LINES)]
    if not all(settings):
        _, stderr = process.communicate()
        raise AssertionError(f"serve exited ({process.returncode}) before it was ready: {stderr}")
    return settings


@contextmanager
def serving(data: Path, port: int, *options: str) -> Iterator[subprocess.Popen[str]]:
    """A ready server; killed at the end if it is still running."""
    process = start_serving(data, port, *options)
    try:
        wait_until_ready(process)
        yield process
    finally:
        process.kill()
        process.communicate()


# Starting a Python process and importing the server costs seconds; a test that restarts the
# server many times forks each one, ready-imported, from a process that imported it once.
_FORKED = multiprocessing.get_context("forkserver")
_FORKED.set_forkserver_preload(["metro_tui.cli", "metro_tui.local.server"])


@dataclass
class ForkedServer:
    """`metro-tui local serve` (the command's own code, from its arguments on) in a process of
    its own, forked from one that has imported it already."""

    process: BaseProcess
    stdout: TextIO

    def kill(self) -> int:
        """SIGKILL it; its exit status."""
        self.process.kill()
        self.process.join()
        self.stdout.close()
        assert self.process.exitcode is not None
        return self.process.exitcode


def _serve(printed: Connection, argv: list[str]) -> None:
    from metro_tui.cli import main

    os.dup2(printed.fileno(), 1)  # what `serve` prints goes to the test
    sys.exit(main(argv))


@contextmanager
def serving_forked(data: Path, port: int, *options: str) -> Iterator[ForkedServer]:
    """A ready forked server; killed at the end if it is still running."""
    reader, writer = _FORKED.Pipe(duplex=False)
    argv = ["local", "serve", "--data", str(data), "--port", str(port), *options]
    process = _FORKED.Process(target=_serve, args=(writer, argv))
    process.start()
    writer.close()  # the child's end: its exit ends what we read
    server = ForkedServer(process, open(os.dup(reader.fileno())))  # noqa: SIM115
    reader.close()
    try:
        settings = [server.stdout.readline().strip() for _ in range(SETTINGS_LINES)]
        if not all(settings):
            raise AssertionError(f"serve exited ({server.kill()}) before it was ready")
        yield server
    finally:
        if process.is_alive() or not server.stdout.closed:
            server.kill()

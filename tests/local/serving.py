"""`metro-tui local serve` in a child process, synchronised on what it prints when it is ready."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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

"""The local backend as a separate process (`metro-tui local serve`), as a user would run it.

Running the server in the benchmark's own process would make it share one interpreter lock
with the client, so the client's parsing and the server's serving would take turns and the
measured wall time would blame the client for the server's work.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_TIMEOUT_S = 60


@dataclass(frozen=True)
class BackendProcess:
    """Where a running `metro-tui local serve` answers, and with which credentials."""

    metronome_url: str
    metronome_token: str
    stripe_url: str
    stripe_key: str


@contextmanager
def serve(
    data: Path, *, token: str, today: str, latency_ms: int = 0, extra: tuple[str, ...] = ()
) -> Iterator[BackendProcess]:
    """Serve `data` (already seeded) on a free loopback port until the block ends."""
    command = [
        sys.executable,
        "-m",
        "metro_tui",
        "local",
        "serve",
        "--port",
        "0",
        "--data",
        str(data),
        "--token",
        token,
        "--today",
        today,
        "--latency-ms",
        str(latency_ms),
        *extra,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield _read_settings(process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_settings(process: subprocess.Popen[str]) -> BackendProcess:
    """The four `NAME=value` lines the server prints once it is about to listen."""
    assert process.stdout is not None
    settings: dict[str, str] = {}
    while len(settings) < 4:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the local backend exited early ({process.wait()})")
        name, _, value = line.strip().partition("=")
        settings[name] = value
    backend = BackendProcess(
        metronome_url=settings["METRONOME_BASE_URL"],
        metronome_token=settings["METRONOME_BEARER_TOKEN"],
        stripe_url=settings["STRIPE_API_BASE"],
        stripe_key=settings["STRIPE_API_KEY"],
    )
    _wait_until_listening(backend.metronome_url)
    return backend


def _wait_until_listening(url: str) -> None:
    """The settings are printed just before uvicorn binds; poll until it answers."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            httpx.get(f"{url}/v1/customers", timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)

"""`metro-tui serve` in its own process, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import BrowserContext, Route, sync_playwright

from tests.browser.terminal import DEADLINE_MS
from tests.conftest import TEST_TODAY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
URL_LINE = re.compile(r"^\s+(?P<url>http://\S+/\?token=(?P<token>\S+))$")
DEADLINE_S = DEADLINE_MS / 1000
SCREENSHOT = "METRO_TUI_SCREENSHOT"
"""Set to a PNG path to have the browser test photograph the Overview there (the README's)."""


@dataclass
class ServedApp:
    """A running `metro-tui serve`, the URL it printed, and everything it has printed since."""

    process: subprocess.Popen[str]
    url: str
    token: str
    stdout: list[str]
    """Every line printed so far; all of them once `stop` has returned."""
    stderr_file: Path
    reader: threading.Thread

    @property
    def base_url(self) -> str:
        return self.url.split("/?", 1)[0]

    def stop(self) -> int:
        """Ctrl+C, then the exit status once the server has closed every tab."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        status = self.process.wait(timeout=DEADLINE_S)
        self.reader.join(timeout=DEADLINE_S)
        return status

    def stderr(self) -> str:
        return self.stderr_file.read_text()


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "metro_tui", "serve", *args]


def _pump(stream: IO[str], lines: list[str], announced: queue.Queue[str | None]) -> None:
    """Keep reading the server's output (so it never blocks on a full pipe); hand over the
    URL line as soon as it is printed, or None when the output ends first."""
    for line in stream:
        lines.append(line)
        if URL_LINE.match(line.rstrip("\n")):
            announced.put(line.rstrip("\n"))
    announced.put(None)


def start_serving(*args: str, stderr_file: Path) -> ServedApp:
    """Start `metro-tui serve` with `args` and return once it has printed its URL."""
    with stderr_file.open("w") as stderr:
        process = subprocess.Popen(
            serve_command(*args), stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    assert process.stdout is not None
    lines: list[str] = []
    announced: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(process.stdout, lines, announced), daemon=True)
    reader.start()
    line = announced.get(timeout=DEADLINE_S)
    if line is None:
        process.wait(timeout=DEADLINE_S)
        pytest.fail(f"metro-tui serve exited without a URL:\n{stderr_file.read_text()}")
    match = URL_LINE.match(line)
    assert match is not None
    return ServedApp(process, match["url"], match["token"], lines, stderr_file, reader)


@pytest.fixture
def serve_local(data_file: Path, tmp_path: Path) -> Iterator[Callable[..., ServedApp]]:
    """Start `metro-tui serve --local` over a copy of the seed; stopped after the test."""
    started: list[ServedApp] = []

    def start(*extra: str) -> ServedApp:
        served = start_serving(
            "--local",
            "--today",
            TEST_TODAY,
            "--data",
            str(data_file),
            "--port",
            "0",
            *extra,
            stderr_file=tmp_path / f"serve-{len(started)}.err",
        )
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[BrowserContext]:
    """Debian's Chromium with a fresh profile; nothing but 127.0.0.1 is fetched: any other
    address (a link the app opens, the page's web font) gets a stub page instead."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
            permissions=["clipboard-read", "clipboard-write"],
        )
        context.set_default_timeout(DEADLINE_MS)
        context.route("**/*", _only_this_machine)
        try:
            yield context
        finally:
            context.close()


def _only_this_machine(route: Route) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.fulfill(status=200, content_type="text/html", body="<title>not fetched</title>")


def process_environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (entry.split(b"=", 1) for entry in raw.split(b"\0") if b"=" in entry)
    return {name.decode(): value.decode() for name, value in pairs}


def tab_processes(data_file: Path) -> list[int]:
    """The pids of the app processes serving tabs over `data_file` (not other tests' ones)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"metro_tui.web.tab" not in command:
                continue
            environment = process_environment(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue  # it ended while we looked
        if environment.get("METRO_TUI_SERVED_BACKEND_DATA") == str(data_file.resolve()):
            found.append(int(entry.name))
    return found

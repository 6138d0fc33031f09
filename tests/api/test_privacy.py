"""metro-tui sends nothing beyond its own requests and writes nothing outside its own
directories: no client telemetry from the Stripe library, no machine details from the
Metronome SDK, no file anywhere else in a whole session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.local.server import RunningBackend
from tests.conftest import TEST_TODAY, TEST_TOKEN
from tests.local.serving import wait_until_ready

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SESSION_CUSTOMERS = 12
EMPTY_LIST = {"object": "list", "data": [], "has_more": False, "url": "/v1/customers"}


class RecordingStripe(BaseHTTPRequestHandler):
    """Answers every GET with an empty customer list (and a request id, which is what the
    library's latency telemetry keys on), remembering each request's headers."""

    seen: list[dict[str, str]]

    def do_GET(self) -> None:
        self.seen.append(dict(self.headers))
        body = json.dumps(EMPTY_LIST).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Request-Id", f"req_{len(self.seen)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording_stripe() -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (RecordingStripe,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


async def test_stripe_requests_carry_no_client_telemetry(
    recording_stripe: tuple[str, list[dict[str, str]]],
) -> None:
    url, seen = recording_stripe
    gateway = StripeGateway(f"sk_test_{TEST_TOKEN}", url, max_retries=0)

    for _ in range(2):  # the library reports a request's latency with the next one
        assert [page async for page in gateway.customer_pages()] == [[]]

    assert len(seen) == 2
    for headers in seen:
        assert "X-Stripe-Client-Telemetry" not in headers
        client = json.loads(headers["X-Stripe-Client-User-Agent"])
        assert (client["lang"], "telemetry_id" in client, "platform" in client) == (
            "python",
            False,
            False,
        )
    assert not (Path(os.environ["XDG_CONFIG_HOME"]) / "stripe").exists()


async def test_metronome_requests_name_no_machine_details(backend: RunningBackend) -> None:
    seen: list[httpx.Headers] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.headers)

    async with httpx.AsyncClient(event_hooks={"request": [record]}, timeout=None) as http:
        gateway = MetronomeGateway(TEST_TOKEN, backend.metronome_url, http_client=http)
        await gateway.products()

    assert seen
    for headers in seen:
        assert headers["x-stainless-lang"] == "python"
        assert ("x-stainless-os" in headers, "x-stainless-arch" in headers) == (False, False)


def session_environment(root: Path) -> dict[str, str]:
    """A user whose home, XDG directories and temporary directory are all under `root`."""
    home = root / "home"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("METRONOME_", "STRIPE_", "METRO_TUI_", "XDG_"))
    }
    environment.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        TMPDIR=str(root / "tmp"),
        METRO_TUI_KEYRING="0",
        METRO_TUI_TODAY=TEST_TODAY,
    )
    (root / "tmp").mkdir()
    return environment


def run(environment: dict[str, str], *arguments: str, typed: str = "") -> str:
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        input=typed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_whole_session_writes_only_inside_metro_tuis_own_directories(tmp_path: Path) -> None:
    environment = session_environment(tmp_path)
    metro_tui = ("-m", "metro_tui")

    # Demo data, small: its size is not the point. The app loads it; then an export of it.
    reset = ("local", "reset", "--customers", str(SESSION_CUSTOMERS), "--today", TEST_TODAY)
    run(environment, *metro_tui, *reset)
    run(environment, "-m", "tests.api.session_app")
    run(environment, *metro_tui, "export", "overview", "--format", "json")
    # Connect to a separately served backend, start the app on it, export from it.
    server = start_serving_in(environment)
    try:
        settings = dict(line.split("=", 1) for line in wait_until_ready(server))
        typed = f"{settings['METRONOME_BEARER_TOKEN']}\n{settings['STRIPE_API_KEY']}\n"
        urls = ("--metronome-url", settings["METRONOME_BASE_URL"])
        urls += ("--stripe-url", settings["STRIPE_API_BASE"])
        run(environment, *metro_tui, "connect", "--stdin", *urls, typed=typed)
        run(environment, "-m", "tests.api.session_app")
        exported = run(environment, *metro_tui, "export", "customers", "--format", "json")
    finally:
        server.kill()
        server.communicate()

    home = Path(environment["HOME"])
    own = [
        Path(environment[variable]) / "metro-tui"
        for variable in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")
    ]
    written = [path for path in home.rglob("*") if path.is_file()]
    assert len(json.loads(exported)) > 0
    assert [path for path in written if not any(path.is_relative_to(d) for d in own)] == []
    assert [any(path.is_relative_to(d) for path in written) for d in own] == [True] * 3
    assert list((tmp_path / "tmp").iterdir()) == []


def start_serving_in(environment: dict[str, str]) -> subprocess.Popen[str]:
    """`metro-tui local serve` on a free port over the user's default data file."""
    return subprocess.Popen(
        [sys.executable, "-m", "metro_tui", "local", "serve", "--port", "0", "--token", "t0k3n"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

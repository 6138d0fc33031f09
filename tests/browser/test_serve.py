"""`metro-tui serve` as a user starts it: the host rule, the token, and what reaches `ps`."""

from __future__ import annotations

import asyncio
import os
import select
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from aiohttp import ClientSession, WSMsgType, WSServerHandshakeError

from metro_tui.web import tab
from tests.browser.conftest import (
    DEADLINE_S,
    ServedApp,
    process_environment,
    serve_command,
    tab_processes,
)


def test_a_host_other_machines_can_reach_is_refused_without_allow_remote(tmp_path: Path) -> None:
    data = tmp_path / "never-created.sqlite3"
    finished = subprocess.run(
        serve_command("--host", "0.0.0.0", "--local", "--data", str(data)),
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
    )
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert finished.stderr == (
        "metro-tui serve: refusing to listen on 0.0.0.0, which other machines can reach: "
        "anyone who can reach the port would see this account's billing data. Use the "
        "default --host 127.0.0.1, or add --allow-remote if you mean to share it.\n"
    )
    assert not data.exists()  # refused before the demo data is made


def test_a_port_in_use_is_reported_plainly(data_file: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(
            serve_command("--local", "--data", str(data_file), "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=DEADLINE_S,
        )
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr == (
        f"metro-tui serve: cannot listen on 127.0.0.1 port {port}: it is already in use; "
        "choose another with --port (0 picks a free one).\n"
    )


def test_allow_remote_warns_and_still_wants_the_token(
    serve_local: Callable[..., ServedApp],
) -> None:
    served = serve_local("--host", "0.0.0.0", "--allow-remote")
    port = int(served.base_url.rsplit(":", 1)[1])
    assert served.base_url == f"http://{socket.gethostname()}:{port}"
    assert (
        f"metro-tui serve: warning: listening on 0.0.0.0 port {port} (--allow-remote). Anyone "
        "who can reach this port and has the URL below sees this account's billing data"
    ) in served.stderr()
    assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 403
    assert httpx.get(f"http://127.0.0.1:{port}/?token={served.token}").status_code == 200


async def test_the_token_gates_the_page_and_websocket_and_stays_off_command_lines_and_logs(
    serve_local: Callable[..., ServedApp], data_file: Path, tmp_path: Path
) -> None:
    served = serve_local()
    base = served.base_url
    async with ClientSession() as http:
        async with http.get(f"{base}/") as page:
            assert page.status == 403
        with pytest.raises(WSServerHandshakeError) as refused:
            await http.ws_connect(f"{base}/ws")
        assert refused.value.status == 403

        async with http.ws_connect(f"{base}/ws?token={served.token}&width=100&height=30") as tab:
            first = await tab.receive(timeout=DEADLINE_S)
            assert first.type is WSMsgType.BINARY  # the app process has started drawing
            [tab_pid] = tab_processes(data_file)
            _assert_secrets_stay_off_command_lines(tab_pid, served.token)

            # Ctrl+C ends every tab's app before the server exits.
            tab_exited = os.pidfd_open(tab_pid)
            status = await asyncio.to_thread(served.stop)
            async for _ in tab:  # the server has closed the websocket
                pass
    assert status == 0
    assert select.select([tab_exited], [], [], DEADLINE_S)[0] == [tab_exited]
    os.close(tab_exited)
    _assert_token_only_in_the_printed_url(served, [tmp_path, *_user_dirs()])


def _assert_secrets_stay_off_command_lines(tab_pid: int, access_token: str) -> None:
    """The tab's credentials come in its environment; no command line shows them (`ps`)."""
    environment = process_environment(tab_pid)
    backend_token = environment["METRONOME_BEARER_TOKEN"]
    stripe_key = environment["STRIPE_API_KEY"]
    assert len(backend_token) >= 32
    assert stripe_key == f"sk_test_{backend_token}"
    assert environment["METRONOME_BASE_URL"].startswith("http://127.0.0.1:")
    command_lines = subprocess.run(
        ["ps", "-eo", "args", "ww"], capture_output=True, text=True, check=True
    ).stdout
    assert "metro_tui.web.tab" in command_lines
    for secret in (access_token, backend_token, stripe_key):
        assert secret not in command_lines
    tab_command = Path(f"/proc/{tab_pid}/cmdline").read_bytes().split(b"\0")[1:]
    assert tab_command == [b"-m", b"metro_tui.web.tab", b""]


def _user_dirs() -> list[Path]:
    """The XDG directories the tests' processes use for config, data, cache and drafts."""
    return [
        Path(os.environ[name]) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
    ]


def _assert_token_only_in_the_printed_url(served: ServedApp, places: list[Path]) -> None:
    """The token appears once, in the URL printed to the terminal: no log, no file has it."""
    output = "".join(served.stdout)
    assert output.count(served.token) == 1
    assert f"    {served.url}\n" in served.stdout
    assert served.token not in served.stderr()
    token = served.token.encode()
    written = [path for place in places for path in place.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {"data.sqlite3", "serve-0.err"}
    assert [path for path in written if token in path.read_bytes()] == []


def test_a_tab_whose_keymap_went_bad_says_why_where_the_server_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\napp.refresh = "ctrl+shft+r"\n')
    monkeypatch.setenv("METRO_TUI_CONFIG", str(config))
    monkeypatch.setenv("METRONOME_BEARER_TOKEN", "served-token")
    monkeypatch.setenv("STRIPE_API_KEY", "rk_test_served")

    assert tab.main() == 1
    assert capsys.readouterr().err == (
        "metro-tui: a browser tab could not start: invalid settings: the key keymap.app.refresh "
        f"in {config} is 'ctrl+shft+r': 'ctrl+shft+r' is not a key; keys look like j, G, "
        "ctrl+n, f5, pageup or question_mark\n"
    )

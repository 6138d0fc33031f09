"""`metro-tui connect` (a real subprocess) and the credential checks behind it."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from metro_tui.cli import main
from metro_tui.config import Settings, load_settings
from metro_tui.errors import AuthError, UnavailableError
from metro_tui.local.server import RunningBackend
from metro_tui.session.connection import open_connection
from metro_tui.session.credentials import StoredCredentials
from metro_tui.session.sign_in import (
    RESTRICTED_KEY_NOTE,
    Verification,
    metronome_problem,
    sign_in_problem,
    verify_credentials,
)
from metro_tui.sync.engine import SyncEngine
from metro_tui.web.tab_environment import tab_environment
from tests.conftest import TEST_TOKEN

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
REJECTED = "There was an error signing in to Metronome: the API token was rejected."
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Private config and cache dirs, no keyring; the same for this process and the child."""
    for variable in ("METRONOME_BEARER_TOKEN", "STRIPE_API_KEY", "METRONOME_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    private = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "METRO_TUI_KEYRING": "0",
        "METRO_TUI_CONFIG": str(tmp_path / "config.toml"),
    }
    for variable, value in private.items():
        monkeypatch.setenv(variable, value)
    return {**os.environ, **private}


def _connect(
    env: dict[str, str], backend: RunningBackend, typed: str, *flags: str
) -> subprocess.CompletedProcess[str]:
    urls = ("--metronome-url", backend.metronome_url, "--stripe-url", backend.stripe_url)
    return subprocess.run(
        [sys.executable, "-m", "metro_tui", "connect", "--stdin", *flags, *urls],
        input=typed,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _files_holding(root: Path, secret: str) -> list[Path]:
    return sorted(
        path for path in root.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()
    )


async def _sync_and_cache() -> Path:
    """What the app does on start with the stored credentials: sync, then cache."""
    settings = load_settings()
    connection = open_connection(settings)
    try:
        engine = SyncEngine(connection.metronome, connection.stripe, now=NOW, concurrency=4)
        connection.cache.store(await engine.run())
    finally:
        await connection.close()
    return connection.cache.path


def test_good_credentials_are_stored_only_in_the_0600_file(
    home: dict[str, str], backend: RunningBackend, tmp_path: Path
) -> None:
    result = _connect(home, backend, f"{TEST_TOKEN}\n{backend.stripe_key}\n")

    credentials = tmp_path / "config" / "metro-tui" / "credentials.json"
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Verified Metronome at {backend.metronome_url} and Stripe at {backend.stripe_url} "
        "(test mode key).",
        f"Stored in {credentials}: Metronome token ****6789, Stripe key ****6789.",
    ]
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600

    cache_file = asyncio.run(_sync_and_cache())

    assert cache_file.is_relative_to(tmp_path / "cache")
    assert cache_file.exists()
    assert _files_holding(tmp_path, TEST_TOKEN) == [credentials]
    assert TEST_TOKEN not in result.stdout + result.stderr

    forgot = _connect(home, backend, "", "--forget")

    assert forgot.returncode == 0, forgot.stderr
    assert forgot.stdout == (
        f"Removed the stored credentials from {credentials}, and their cached data.\n"
    )
    assert not credentials.exists()
    assert not cache_file.exists()
    assert load_settings().uses_local_backend is True


def test_a_rejected_token_stores_nothing(
    home: dict[str, str], backend: RunningBackend, tmp_path: Path
) -> None:
    result = _connect(home, backend, f"wrong-token-0000\n{backend.stripe_key}\n")

    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == REJECTED
    assert lines[1].startswith("  1. Check the token in Metronome under Settings > API tokens")
    assert lines[-1] == "Nothing was stored."
    assert "wrong-token-0000" not in result.stderr
    assert not (tmp_path / "config" / "metro-tui").exists()
    assert _files_holding(tmp_path, "wrong-token-0000") == []


async def test_verification_names_the_stripe_key_mode(backend: RunningBackend) -> None:
    good = StoredCredentials(
        TEST_TOKEN, backend.metronome_url, backend.stripe_key, backend.stripe_url
    )
    wrong_key = replace(good, stripe_api_key="rk_live_not-this-one-1234")

    verified = await verify_credentials(good)
    (problem,) = (await verify_credentials(wrong_key)).problems

    assert verified == Verification(problems=(), stripe_key_mode="test mode")
    assert problem.headline == (
        "There was an error signing in to Stripe: the API key was rejected (it is a live mode key)."
    )
    assert problem.next_steps[1] == RESTRICTED_KEY_NOTE


async def test_a_publishable_key_is_refused_before_any_request() -> None:
    credentials = StoredCredentials("mtok-0000-0000", UNREACHABLE, "pk_test_abc123", UNREACHABLE)

    problems = (await verify_credentials(credentials)).problems

    assert [p.headline for p in problems] == [
        "There was an error signing in to Metronome: could not reach 127.0.0.1:9: "
        "could not connect to the server.",
        "There was an error signing in to Stripe: this is a publishable key (pk_…), "
        "which cannot read customers.",
    ]


def test_a_rejected_environment_token_says_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("METRONOME_BEARER_TOKEN", "env-token-0000")

    problem = metronome_problem(AuthError("Metronome", "rejected"), "https://api.metronome.com")

    assert problem.explain().splitlines()[:2] == [
        REJECTED,
        "  1. The token comes from the METRONOME_BEARER_TOKEN environment variable, which "
        "overrides stored credentials: update or unset it.",
    ]


def test_a_rejected_token_in_a_browser_tab_says_the_server_was_started_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A tab's token arrives in the environment from `metro-tui serve`, which may have read
    # it from the keyring: unsetting a variable in the tab would change nothing.
    for name, value in tab_environment(
        Settings(
            METRONOME_BEARER_TOKEN=SecretStr("stored-token-0000"),
            metronome_base_url="https://api.metronome.com",
        ),
        local_data=None,
    ).items():
        monkeypatch.setenv(name, value)

    problem = metronome_problem(AuthError("Metronome", "rejected"), "https://api.metronome.com")

    assert problem.explain().splitlines()[:2] == [
        REJECTED,
        "  1. The token is the one `metro-tui serve` was started with: update it there "
        "(`metro-tui connect`), then start the server again.",
    ]


def test_a_failure_of_the_configured_account_names_its_service() -> None:
    settings = Settings(
        METRONOME_BEARER_TOKEN=SecretStr("mtok-0000-0000"),
        metronome_base_url="https://api.metronome.com",
        STRIPE_API_KEY=SecretStr("sk_live_revoked-0000"),
    )

    metronome = sign_in_problem(AuthError("Metronome", "rejected"), settings)
    stripe = sign_in_problem(UnavailableError("Stripe", "the server failed (HTTP 503)"), settings)

    assert metronome.headline == REJECTED
    assert stripe.headline == (
        "There was an error signing in to Stripe: could not reach api.stripe.com: "
        "the server failed (HTTP 503)."
    )


def test_forget_removes_damaged_credentials(
    home: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    credentials = tmp_path / "config" / "metro-tui" / "credentials.json"
    credentials.parent.mkdir(parents=True)
    credentials.write_text("{not json")

    assert main(["connect", "--forget"]) == 0

    assert capsys.readouterr().out == (
        f"Removed the stored credentials from {credentials}, and their cached data.\n"
    )
    assert not credentials.exists()

"""`metro-tui` as a user runs it (a real subprocess): its help, and bad settings in words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SUBCOMMANDS_HELP = """\
subcommands:
  connect  verify and store a Metronome API token and a Stripe key
  export   print the Overview or Customers figures as JSON or CSV
  local    run (serve) or reseed (reset) the bundled local backend

`metro-tui SUBCOMMAND --help` shows a subcommand's options.
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config file the child reads (absent until a test writes it)."""
    path = tmp_path / "config.toml"
    monkeypatch.setenv("METRO_TUI_CONFIG", str(path))
    monkeypatch.delenv("METRO_TUI_TODAY", raising=False)
    monkeypatch.delenv("METRO_TUI_CONCURRENCY", raising=False)
    return path


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metro_tui", *args],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_every_subcommand(config: Path) -> None:
    result = _run("--help")

    assert result.returncode == 0
    assert result.stdout.startswith(
        "usage: metro-tui [-h] [backend flags]\n       metro-tui {connect,export,local} ...\n"
    )
    assert result.stdout.endswith(SUBCOMMANDS_HELP)


def test_a_bad_date_in_the_environment_names_the_variable(config: Path) -> None:
    result = _run("export", "overview", METRO_TUI_TODAY="2026-02-30")

    assert result.returncode == 2
    assert result.stderr == (
        "metro-tui: invalid setting: the environment variable METRO_TUI_TODAY is "
        "'2026-02-30': Input should be a valid date or datetime, day value is outside "
        "expected range\n"
    )


def test_a_bad_flag_names_the_flag(config: Path) -> None:
    result = _run("export", "overview", "--concurrency", "100")

    assert result.returncode == 2
    assert result.stderr == (
        "metro-tui: invalid setting: the command-line flag --concurrency is 100: Input should "
        "be less than or equal to 64\n"
    )


def test_bad_config_keys_name_the_key_and_the_file(config: Path) -> None:
    config.write_text('today = "2026-13-01"\nconcurrency = 0\n')

    result = _run("export", "overview")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"metro-tui: invalid setting: the key today in {config} is '2026-13-01': Input should "
        "be a valid date or datetime, month value is outside expected range of 1-12",
        f"metro-tui: invalid setting: the key concurrency in {config} is 0: Input should be "
        "greater than or equal to 1",
    ]


def test_the_environment_is_named_over_the_config_file_it_overrides(config: Path) -> None:
    config.write_text("concurrency = 8\n")

    result = _run("export", "overview", METRO_TUI_CONCURRENCY="many")

    assert result.returncode == 2
    assert result.stderr == (
        "metro-tui: invalid setting: the environment variable METRO_TUI_CONCURRENCY is 'many': "
        "Input should be a valid integer, unable to parse string as an integer\n"
    )


def test_a_config_file_that_is_not_toml_is_named(config: Path) -> None:
    config.write_text("theme = \n")

    result = _run("connect", "--stdin")

    assert result.returncode == 2
    assert result.stderr == (
        f"metro-tui: invalid setting: the config file {config} is not valid TOML: "
        "Invalid value (at line 1, column 9)\n"
    )

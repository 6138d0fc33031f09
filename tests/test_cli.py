"""`metro-tui` as a user runs it (a real subprocess): its help, bad settings in words, and the
first run's progress while it creates the demo data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from metro_tui.cli import connected
from metro_tui.config import load_settings
from tests.conftest import TEST_TODAY
from tests.ui.seed_facts import linked_customers, stripe_customer_count

SUBCOMMANDS_HELP = """\
subcommands:
  connect  verify and store a Metronome API token and a Stripe key
  export   print the Overview, the Customers or one customer's page
  local    run (serve) or reseed (reset) the bundled local backend
  serve    serve the app to web browsers, behind an access token

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
        "usage: metro-tui [-h] [backend flags]\n       metro-tui {connect,export,local,serve} ...\n"
    )
    assert result.stdout.endswith(SUBCOMMANDS_HELP)


def test_export_help_lists_the_customer_fields(config: Path) -> None:
    result = _run("export", "--help")

    assert result.returncode == 0
    assert " ".join(result.stdout.split()).endswith(
        "customers: one record per linked customer, with stripe_customer_id, "
        "metronome_customer_id, name, email, date_created, lifetime_billings_cents, "
        "provision_status. customer ID: that customer's page (contracts with their terms and "
        "balances, invoices with their line items), by Stripe or Metronome id."
    )


def test_the_help_names_the_fields_the_export_writes() -> None:
    from metro_tui.cli import CUSTOMER_EXPORT_FIELDS
    from metro_tui.export import CUSTOMER_FIELDS

    assert tuple(field.name for field in CUSTOMER_FIELDS) == CUSTOMER_EXPORT_FIELDS


HEAVY_PACKAGES = frozenset(
    {
        "textual",
        "textual_plotext",
        "textual_serve",
        "metronome",
        "stripe",
        "pydantic",
        "pydantic_core",
        "fastapi",
        "starlette",
        "uvicorn",
        "httpx",
        "httpcore",
        "aiohttp",
        "keyring",
    }
)
"""What `--help` must not import: the UI, the SDKs and their HTTP stack, validation, servers."""

IMPORTED_AFTER_HELP = """\
import sys
from metro_tui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit_:  # argparse exits after printing the help
    code = exit_.code
print(" ".join(sorted({name.partition(".")[0] for name in sys.modules})), file=sys.stderr)
sys.exit(code)
"""
"""Runs `metro-tui ARGS`, then prints the top-level packages it imported to stderr."""


@pytest.mark.parametrize(
    "command",
    [
        (),
        ("connect",),
        ("export",),
        ("local",),
        ("local", "serve"),
        ("local", "reset"),
        ("serve",),
    ],
    ids=" ".join,
)
def test_help_imports_nothing_heavy(config: Path, command: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED_AFTER_HELP, *command, "--help"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: {' '.join(('metro-tui', *command))} ")
    imported = set(result.stderr.split())
    assert "argparse" in imported
    assert imported & HEAVY_PACKAGES == set()


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


@pytest.mark.parametrize("command", [(), ("serve", "--port", "0")])
def test_a_bad_keymap_stops_the_app_before_any_demo_data_is_made(
    config: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    config.write_text('[keymap]\napp.refreshh = "f5"\n')
    data = tmp_path / "demo.sqlite3"

    result = _run(*command, "--local", "--data", str(data))

    assert result.returncode == 2
    assert result.stderr == (
        f"metro-tui: invalid setting: the key keymap.app.refreshh in {config}: there is no key "
        "binding 'app.refreshh' (the README lists the ids)\n"
    )
    assert not data.exists()


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


def test_the_first_run_shows_how_far_creating_the_demo_data_has_got(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "demo.sqlite3"
    settings = load_settings(local=True, data=data, today=date.fromisoformat(TEST_TODAY))

    with connected(settings):
        pass

    with sqlite3.connect(data) as conn:
        invoices, events = (
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("invoices", "usage_events")
        )
    unlinked = stripe_customer_count(data) - len(linked_customers(data))
    heading = f"Creating demo data in {data}:"
    assert capsys.readouterr().err.splitlines() == [
        f"{heading} catalog 1/1",
        f"{heading} Stripe customers 150/150",
        f"{heading} Metronome customers 132/132",
        f"{heading} contracts 137/137",
        f"{heading} invoices 137/137",
        f"{heading} usage events 35/35",
        f"Created demo data in {data}: 150 Stripe customers ({unlinked} not linked), 132 "
        f"Metronome customers, 137 contracts, {invoices:,} invoices, {events:,} usage events "
        f"(today {TEST_TODAY}).",
    ]

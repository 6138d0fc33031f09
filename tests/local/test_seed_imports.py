"""Seeding the demo data (`metro-tui local reset`) loads no web server or framework, and no
request model: the seed writes bodies it made itself, which need no validating."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_TODAY

WEB = ("fastapi", "starlette", "uvicorn")
REQUEST_MODELS = frozenset(
    {
        "pydantic",
        "pydantic_core",
        "metro_tui.local.metronome.schemas",
        "metro_tui.local.metronome.contract_schemas",
        "metro_tui.local.metronome.contract_store",
    }
)
RESET_AND_LIST_MODULES = """\
import sys

from metro_tui.cli import main

code = main(["local", "reset", "--data", sys.argv[1], "--customers", "12", "--today", sys.argv[2]])
print(code, " ".join(sorted(sys.modules)))
"""
"""Runs `metro-tui local reset` and prints its exit code and every module it imported."""


def test_the_reset_command_and_the_seed_import_no_web_framework() -> None:
    program = (
        "import sys; import metro_tui.local.cli, metro_tui.local.seed.dataset; "
        f"print(sorted(m for m in {WEB!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )

    assert loaded.stdout.strip() == "[]"


def reset_modules(data: Path) -> set[str]:
    """The modules `metro-tui local reset --data <data>` imported; it must have seeded."""
    result = subprocess.run(
        [sys.executable, "-c", RESET_AND_LIST_MODULES, str(data), TEST_TODAY],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=True,
    )
    code, modules = result.stdout.split(" ", 1)
    assert code == "0", result.stderr
    assert "metro-tui local: seeded:" in result.stderr
    assert data.is_file()
    return set(modules.split())


def test_seeding_the_demo_data_imports_no_request_model(tmp_path: Path) -> None:
    modules = reset_modules(tmp_path / "demo.sqlite3")

    assert "metro_tui.local.seed.writes" in modules
    assert REQUEST_MODELS & modules == set()


def test_a_reset_given_its_data_file_does_not_look_up_the_default_one(tmp_path: Path) -> None:
    assert "platformdirs" not in reset_modules(tmp_path / "demo.sqlite3")

"""The two README commands bootstrap a fresh checkout: `make run` installs only what running
needs."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def planned_commands(target: str, checkout: Path) -> list[str]:
    """What `make` would run for `target` in a checkout with no .venv yet (dry run)."""
    result = subprocess.run(
        ["make", "-n", target], cwd=checkout, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


@pytest.fixture
def fresh_checkout(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def installs(commands: list[str]) -> list[str]:
    return [line for line in commands if "pip install" in line and "--upgrade pip" not in line]


def test_make_run_installs_the_runtime_dependencies_only(fresh_checkout: Path) -> None:
    commands = planned_commands("run", fresh_checkout)
    assert any("-m venv .venv" in line for line in commands)
    assert installs(commands) == [".venv/bin/python -m pip install --quiet -e ."]
    assert any("Installing metro-tui and what it needs to run" in line for line in commands)
    assert commands[-1].startswith(".venv/bin/metro-tui")


@pytest.mark.parametrize("target", ["test", "lint", "bench"])
def test_the_developer_targets_install_the_dev_tools(fresh_checkout: Path, target: str) -> None:
    assert installs(planned_commands(target, fresh_checkout)) == [
        ".venv/bin/python -m pip install --quiet -e '.[dev]'"
    ]

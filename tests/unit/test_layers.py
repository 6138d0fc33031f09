"""The layers: only screens, widgets and the app may import textual; local/ imports nothing
else of ours; and every import contract in pyproject.toml holds (`lint-imports`)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "metro_tui"
UI_FREE = (
    "api",
    "services",
    "local",
    "sync",
    "drafts",
    "view_models.py",
    "store.py",
    "links.py",
    "models.py",
    "seed_progress.py",
    "config.py",
    "config_writer.py",
    "session",
    "export.py",
    "customer_columns.py",
    "stale_files.py",
    "web/access.py",
    "web/hosts.py",
    "web/server.py",
    "web/tab_environment.py",
)
IMPORT = re.compile(r"^\s*(?:from|import)\s+([\w.]+)", re.MULTILINE)


def _imports(target: str) -> dict[str, set[str]]:
    """Imports of each module in a folder, or of one module."""
    root = PACKAGE / target
    paths = [root] if root.is_file() else list(root.rglob("*.py"))
    return {str(path.relative_to(PACKAGE)): set(IMPORT.findall(path.read_text())) for path in paths}


@pytest.mark.parametrize("target", UI_FREE)
def test_layer_never_imports_textual(target: str) -> None:
    offenders = {
        module: sorted(name for name in names if name.split(".")[0] == "textual")
        for module, names in _imports(target).items()
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_local_backend_imports_nothing_else_of_metro_tui() -> None:
    offenders = {
        module: sorted(
            name
            for name in names
            if name.startswith("metro_tui") and not name.startswith("metro_tui.local")
        )
        for module, names in _imports("local").items()
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_every_import_contract_holds() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_local_backend_contract_names_every_other_module() -> None:
    """A module added beside local/ is covered by its contract the day it is added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        contract
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract.get("source_modules") == ["metro_tui.local"]
    )
    siblings = {
        f"metro_tui.{path.stem}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert set(contract["forbidden_modules"]) == siblings - {"metro_tui.local"}

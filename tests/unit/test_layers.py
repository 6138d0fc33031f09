"""Only screens, widgets and the app may import textual; local/ imports nothing else of ours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "metro_tui"
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

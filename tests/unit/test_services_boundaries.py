"""Services and models stay pure: no Textual, no local backend, no API adapters."""

from __future__ import annotations

import ast
from pathlib import Path

import metro_tui

PACKAGE = Path(metro_tui.__file__).parent
FORBIDDEN = ("textual", "metro_tui.local", "metro_tui.api", "httpx", "metronome", "stripe")


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_services_and_models_import_nothing_impure() -> None:
    files = [PACKAGE / "models.py", *sorted((PACKAGE / "services").glob("*.py"))]
    assert len(files) > 5
    for path in files:
        for module in imported_modules(path):
            assert not any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN), (
                f"{path.name} imports {module}"
            )

"""The local backend's layout: no import cycle among its modules, nothing else of metro_tui.

Imports are read with `ast`, including those inside functions, which break a cycle at import
time but not in the design: a module that needs the app to build its errors still cannot be
moved or read without the app.
"""

from __future__ import annotations

import ast
from pathlib import Path

LOCAL = Path(__file__).resolve().parents[2] / "metro_tui" / "local"
APP = "metro_tui.local.app"


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module under `root` by dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join([package, *parts])] = path
    return modules


def imported_names(module: str, path: Path) -> set[str]:
    """The dotted names a module imports: `from p import m` names `p.m` (a module or not)."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Which modules of the package each of its modules imports."""
    modules = module_names(root, package)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        graph[module] = {
            name for name in imported_names(module, path) if name in modules and name != module
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                lowest[module] = min(lowest[module], lowest[target])
            elif target in stack:
                lowest[module] = min(lowest[module], index[target])
        if lowest[module] == index[module]:
            group: list[str] = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def test_no_import_cycle_among_the_local_backend_modules() -> None:
    graph = import_graph(LOCAL, "metro_tui.local")
    assert "metro_tui.local.metronome.contracts" in graph[APP]
    assert cycles(graph) == []


def test_the_local_backend_imports_nothing_else_of_metro_tui() -> None:
    modules = module_names(LOCAL, "metro_tui.local")
    offenders = {
        module: sorted(
            name
            for name in imported_names(module, path)
            if name.split(".")[0] == "metro_tui" and not name.startswith("metro_tui.local")
        )
        for module, path in modules.items()
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_only_the_server_imports_the_app() -> None:
    """The app imports the routers, so anything the routers need lives outside it."""
    graph = import_graph(LOCAL, "metro_tui.local")
    importers = sorted(module for module, imported in graph.items() if APP in imported)
    assert importers == ["metro_tui.local.server"]


def test_the_top_of_the_local_backend_is_the_server_and_what_both_apis_share() -> None:
    """Code for one API goes in its package (`metronome/`, `stripe/`), demo data in `seed/`."""
    top = sorted(path.name for path in LOCAL.glob("*.py"))
    packages = sorted(path.parent.name for path in LOCAL.glob("*/__init__.py"))
    assert top == [
        "__init__.py",
        "app.py",
        "cli.py",
        "clock.py",
        "config.py",
        "db.py",
        "errors.py",
        "middleware.py",
        "server.py",
    ]
    assert packages == ["metronome", "seed", "stripe"]


def test_every_local_backend_module_says_what_it_serves() -> None:
    undocumented = sorted(
        module
        for module, path in module_names(LOCAL, "metro_tui.local").items()
        if not ast.get_docstring(ast.parse(path.read_text()))
    )
    assert undocumented == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "app.py").write_text(
        "class ApiError(Exception): ...\n\ndef create():\n    from pkg.sub import routes\n"
    )
    (package / "sub" / "routes.py").write_text("from ..app import ApiError\n")
    (package / "leaf.py").write_text("import pkg.app\n")
    graph = import_graph(package, "pkg")
    assert graph["pkg.sub.routes"] == {"pkg.app"}
    assert cycles(graph) == [["pkg.app", "pkg.sub.routes"]]

"""The user's keymap: `[keymap]` in config.toml gives a binding, by its id, other keys.

Every binding metro-tui declares has an id ("app.refresh", "list.cursor_down"). The keys given
for an id replace all of its own (as Textual's `App.set_keymap` does), so "pagedown,ctrl+d"
keeps the key and adds `ctrl+d`. Ids and keys are checked before the app starts: a typo would
otherwise leave a key silently doing nothing.

They are checked against `declared_keys.py`, the bindings each class declares, written out by
`python -m metro_tui.keymap`: reading them from the classes themselves would import every
screen before the first frame. `tests/ui/test_keymap.py` checks the two agree.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

# `_character_to_key` is how Textual names the key a character comes from ("?" is
# "question_mark"): a key in the keymap must match that name exactly to ever be pressed.
from textual.keys import Keys, _character_to_key, key_to_character

from metro_tui.declared_keys import DECLARED_KEYS, DeclaredKeys
from metro_tui.settings_sources import SettingsError, config_key

if TYPE_CHECKING:
    from metro_tui.start_settings import AppSettings

Keymap = dict[str, str]
"""Binding id -> its keys, comma-separated, in Textual's names ("ctrl+n", "question_mark")."""

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")
)
"""Keys with a name of their own: "enter", "f5", "pageup" ..."""
KEY_EXAMPLES = "keys look like j, G, ctrl+n, f5, pageup or question_mark"
VIEW_MODULES = ("metro_tui.app",)
VIEW_PACKAGES = ("metro_tui.screens", "metro_tui.widgets")
"""Where every class that declares key bindings lives."""


@dataclass(frozen=True, slots=True)
class DeclaredBinding:
    """A binding as a class of metro-tui declares it."""

    owner: type[DOMNode]
    binding: Binding

    @property
    def id(self) -> str:
        return self.binding.id or ""


def declared_bindings() -> list[DeclaredBinding]:
    """Every binding with an id that metro-tui's app, screens and widgets declare.

    Read from the classes themselves, to write `declared_keys.py` and check it. The same id
    on several classes (the list keys) is one binding to the user. Screens opened on request
    are imported only when first opened, so every module of `metro_tui.screens` and
    `metro_tui.widgets` is imported here first: too slow for the start-up's check.
    """
    for module in VIEW_MODULES:
        import_module(module)
    for package in VIEW_PACKAGES:
        _import_every_module(package)
    owners = dict.fromkeys(_metro_tui_classes(DOMNode))  # once each, in a stable order
    return [
        DeclaredBinding(owner, binding)
        for owner in owners
        for binding in owner.__dict__.get("BINDINGS", ())
        if isinstance(binding, Binding) and binding.id is not None
    ]


def declared_keys() -> DeclaredKeys:
    """`declared_bindings` as `declared_keys.py` holds them: each class by its dotted name,
    in name order, with the id and keys of each of its bindings in the order declared."""
    owners: dict[str, list[tuple[str, str]]] = {}
    for entry in declared_bindings():
        owner = f"{entry.owner.__module__}.{entry.owner.__qualname__}"
        owners.setdefault(owner, []).append((entry.id, entry.binding.key))
    return tuple((owner, tuple(owners[owner])) for owner in sorted(owners))


def declared_keys_source() -> str:
    """The text of `declared_keys.py` for the bindings declared now (before `ruff format`).

    A run of bindings several classes declare alike (the list keys, from one declaration in
    `widgets/list_keys.py`) is written once, as a constant each class's entry unpacks."""
    declared = declared_keys()
    runs: dict[tuple[tuple[str, str], ...], int] = {}
    for _, bindings in declared:
        for run in _runs_by_prefix(bindings):
            runs[run] = runs.get(run, 0) + 1
    shared = {run: f"{run[0][0].split('.')[0].upper()}_KEYS" for run, n in runs.items() if n > 1}
    constants = "".join(f"{name} = {run!r}\n\n" for run, name in shared.items())
    entries = []
    for owner, bindings in declared:
        parts = [
            f"*{shared[run]}" if run in shared else ", ".join(map(repr, run))
            for run in _runs_by_prefix(bindings)
        ]
        entries.append(f"({owner!r}, ({', '.join(parts)},)),")
    return (
        f'"""{DECLARED_KEYS_DOC}"""\n\n'
        "DeclaredKeys = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]\n\n"
        f"{constants}DECLARED_KEYS: DeclaredKeys = (\n" + "\n".join(entries) + "\n)\n"
    )


def _runs_by_prefix(bindings: tuple[tuple[str, str], ...]) -> list[tuple[tuple[str, str], ...]]:
    """`bindings` cut into runs whose ids share the part before the dot ("list", "detail")."""
    runs: list[list[tuple[str, str]]] = []
    for binding in bindings:
        if runs and runs[-1][0][0].split(".")[0] == binding[0].split(".")[0]:
            runs[-1].append(binding)
        else:
            runs.append([binding])
    return [tuple(run) for run in runs]


def _import_every_module(package_name: str) -> None:
    package = import_module(package_name)
    for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
        import_module(module.name)


def _metro_tui_classes(base: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for subclass in base.__subclasses__():
        if subclass.__module__.startswith("metro_tui."):
            yield subclass
        yield from _metro_tui_classes(subclass)


def user_keymap(settings: AppSettings) -> Keymap:
    """The configured keymap, checked and in Textual's key names.

    Raises SettingsError naming each entry at fault and the file it is in.
    """
    if not settings.keymap:
        return {}
    known = {binding_id for _, bindings in DECLARED_KEYS for binding_id, _ in bindings}
    keymap: Keymap = {}
    problems: list[str] = []
    for binding_id, keys in settings.keymap.items():
        source = config_key(f"keymap.{binding_id}")
        if binding_id not in known:
            problems.append(
                f"{source}: there is no key binding {binding_id!r} (the README lists the ids)"
            )
            continue
        names = {key.strip(): _key_name(key) for key in keys.split(",")}
        bad = [key for key, name in names.items() if name is None]
        if bad:
            shown = ", ".join(repr(key) for key in bad)
            problems.append(f"{source} is {keys!r}: {shown} is not a key; {KEY_EXAMPLES}")
            continue
        keymap[binding_id] = ",".join(dict.fromkeys(name for name in names.values() if name))
    problems.extend(_clashes(keymap))
    if problems:
        raise SettingsError(problems)
    return keymap


def _key_name(key: str) -> str | None:
    """`key` as Textual names it when pressed ("ctrl+?" is "ctrl+question_mark", modifiers in
    alphabetical order), or None if no key has that name."""
    *modifiers, base = key.strip().split("+")
    if not base or len(set(modifiers)) < len(modifiers) or not MODIFIERS.issuperset(modifiers):
        return None
    if len(base) == 1:
        base = _character_to_key(base)
    elif base not in NAMED_KEYS and key_to_character(base) is None:
        return None
    return "+".join([*sorted(modifiers), base])


def _clashes(keymap: Keymap) -> Iterator[str]:
    """A remapped binding given a key another binding of its class has: Textual would quietly
    drop one of the two."""
    for _, bindings in DECLARED_KEYS:
        taken: dict[str, str] = {}
        for binding_id, declared in bindings:
            for key in keymap.get(binding_id, declared).split(","):
                holder = taken.setdefault(_key_name(key) or key, binding_id)
                remapped = [each for each in (binding_id, holder) if each in keymap]
                if holder != binding_id and remapped:
                    other = holder if remapped[0] == binding_id else binding_id
                    yield (
                        f"{config_key(f'keymap.{remapped[0]}')} is {keymap[remapped[0]]!r}: "
                        f"{key.strip()} is already the key of {other}; give one of them another key"
                    )


def keys_in_force(binding: Binding, keymap: Mapping[str, str]) -> Binding:
    """`binding` with the keys the keymap gives it, if it gives it any."""
    keys = keymap.get(binding.id or "")
    return binding if keys is None else binding.with_key(keys)


DECLARED_KEYS_DOC = """The key bindings metro-tui's classes declare, for checking a `[keymap]`.

Written by `python -m metro_tui.keymap` from the classes themselves; do not edit by hand.
`tests/ui/test_keymap.py` fails when a class declares a binding this does not hold.
"""


if __name__ == "__main__":
    # Written out for the keymap's check at start-up; formatted as `make lint` expects.
    target = Path(__file__).with_name("declared_keys.py")
    target.write_text(declared_keys_source(), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(target)], check=True)

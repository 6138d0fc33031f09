"""The user's keymap: `[keymap]` in config.toml gives a binding, by its id, other keys.

Every binding metro-tui declares has an id ("app.refresh", "list.cursor_down"). The keys given
for an id replace all of its own (as Textual's `App.set_keymap` does), so "pagedown,ctrl+d"
keeps the key and adds `ctrl+d`. Ids and keys are checked before the app starts: a typo would
otherwise leave a key silently doing nothing.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

# `_character_to_key` is how Textual names the key a character comes from ("?" is
# "question_mark"): a key in the keymap must match that name exactly to ever be pressed.
from textual.keys import Keys, _character_to_key, key_to_character

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

    Read from the classes themselves, so a new screen's keys can be remapped with no list
    to keep. The same id on several classes (the list keys) is one binding to the user.
    Screens opened on request are imported only when first opened, so every module of
    `metro_tui.screens` and `metro_tui.widgets` is imported here first.
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
    declared = declared_bindings()
    known = {entry.id for entry in declared}
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
    problems.extend(_clashes(declared, keymap))
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


def _clashes(declared: list[DeclaredBinding], keymap: Keymap) -> Iterator[str]:
    """A remapped binding given a key another binding of its class has: Textual would quietly
    drop one of the two."""
    keys_by_owner: dict[type[DOMNode], dict[str, str]] = {}
    for entry in declared:
        taken = keys_by_owner.setdefault(entry.owner, {})
        for key in keys_in_force(entry.binding, keymap).key.split(","):
            holder = taken.setdefault(_key_name(key) or key, entry.id)
            remapped = [binding_id for binding_id in (entry.id, holder) if binding_id in keymap]
            if holder != entry.id and remapped:
                other = holder if remapped[0] == entry.id else entry.id
                yield (
                    f"{config_key(f'keymap.{remapped[0]}')} is {keymap[remapped[0]]!r}: "
                    f"{key.strip()} is already the key of {other}; give one of them another key"
                )


def keys_in_force(binding: Binding, keymap: Mapping[str, str]) -> Binding:
    """`binding` with the keys the keymap gives it, if it gives it any."""
    keys = keymap.get(binding.id or "")
    return binding if keys is None else binding.with_key(keys)

"""`[keymap]` in config.toml: ids and keys checked with the entry and the file named, keys in
Textual's names, and the README's list of ids is the app's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import metro_tui.app  # noqa: F401  (declares every binding the keymap may name)
from metro_tui.config import Settings, SettingsError, config_file
from metro_tui.declared_keys import DECLARED_KEYS
from metro_tui.keymap import declared_bindings, declared_keys, user_keymap

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `([\w.]+)` \| `([^`]+)` \| (.+) \|$", re.MULTILINE)


def _keymap(**entries: str) -> dict[str, str]:
    return user_keymap(Settings(keymap={key.replace("__", "."): v for key, v in entries.items()}))


def _problems(**entries: str) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        _keymap(**entries)
    return raised.value.problems


def test_keys_are_put_in_the_names_textual_gives_pressed_keys() -> None:
    assert _keymap(
        app__help="f1,?",
        app__refresh="shift+ctrl+r, R",
        list__cursor_down="down,j,down",
    ) == {
        "app.help": "f1,question_mark",
        "app.refresh": "ctrl+shift+r,R",
        "list.cursor_down": "down,j",
    }


def test_an_unknown_id_is_named_with_the_file() -> None:
    assert _problems(app__refreshh="f5") == [
        f"the key keymap.app.refreshh in {config_file()}: there is no key binding "
        "'app.refreshh' (the README lists the ids)"
    ]


def test_a_key_with_no_such_name_is_named_with_the_file() -> None:
    assert _problems(customers__stripe="ctrl+shft+s, x, F5") == [
        f"the key keymap.customers.stripe in {config_file()} is 'ctrl+shft+s, x, F5': "
        "'ctrl+shft+s', 'F5' is not a key; keys look like j, G, ctrl+n, f5, pageup or "
        "question_mark"
    ]


def test_an_empty_entry_is_not_a_key() -> None:
    assert _problems(app__quit="") == [
        f"the key keymap.app.quit in {config_file()} is '': '' is not a key; keys look like "
        "j, G, ctrl+n, f5, pageup or question_mark"
    ]


def test_a_key_another_binding_of_the_same_class_has_is_refused() -> None:
    assert _problems(app__refresh="q") == [
        f"the key keymap.app.refresh in {config_file()} is 'q': q is already the key of "
        "app.quit; give one of them another key"
    ]


def test_two_bindings_may_swap_keys() -> None:
    assert _keymap(app__overview="2", app__customers="1") == {
        "app.overview": "2",
        "app.customers": "1",
    }


def test_the_readme_lists_every_binding_id_with_its_keys() -> None:
    listed = ROW.findall(README.read_text(encoding="utf-8"))
    declared = {entry.id: entry.binding for entry in declared_bindings()}
    assert listed == [
        (binding_id, binding.key, binding.tooltip or binding.description)
        for binding_id, binding in sorted(declared.items())
    ]


def test_a_binding_of_a_screen_not_opened_yet_can_be_remapped_in_a_fresh_process() -> None:
    """Screens a key opens are imported when first opened; the keymap check finds their
    bindings all the same."""
    check = (
        "import sys\n"
        "from metro_tui.config import Settings\n"
        "from metro_tui.keymap import user_keymap\n"
        "print(user_keymap(Settings(keymap={'detail.invoice': 'f6', 'wizard.next': 'f7'})))\n"
        "print(sorted(name for name in sys.modules if name.startswith('metro_tui.screens')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode == 0, result.stderr
    # ... without importing them: that would slow every start with a keymap.
    assert result.stdout == "{'detail.invoice': 'f6', 'wizard.next': 'f7'}\n[]\n"


def test_the_keys_checked_at_start_are_those_the_classes_declare() -> None:
    assert declared_keys() == DECLARED_KEYS, "run `python -m metro_tui.keymap` to write them"

"""Where each setting is read from: flags, the environment, stored credentials, config.toml.

Precedence, highest first: command-line flags, environment variables, the credentials stored
by `metro-tui connect`, the config file, defaults. This module only gathers and names the
values; `config.Settings` (pydantic) validates them, and `start_settings` accepts at once
the values it is sure pydantic would accept unchanged. Nothing here imports pydantic: the
app's first frame uses it, and pydantic's import is a part of that frame's time.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from metro_tui.session.credentials import CredentialStore, open_credential_store, usable_keyring

APP_NAME = "metro-tui"
DEFAULT_METRONOME_URL = "https://api.metronome.com"
DEFAULT_STRIPE_URL = "https://api.stripe.com"
DEFAULT_CONCURRENCY = 16
DEFAULT_THEME = "textual-dark"
SETTING_ALIASES: dict[str, tuple[str, ...]] = {
    "metronome_bearer_token": ("METRONOME_BEARER_TOKEN",),
    "metronome_base_url": ("metronome_base_url", "METRONOME_BASE_URL"),
    "stripe_api_key": ("STRIPE_API_KEY",),
    "stripe_api_base": ("stripe_api_base", "STRIPE_API_BASE"),
    "today": ("today", "METRO_TUI_TODAY"),
    "concurrency": ("concurrency", "METRO_TUI_CONCURRENCY"),
    "local": ("local", "METRO_TUI_LOCAL"),
    "data": ("data", "METRO_TUI_DATA"),
    "cache": ("cache", "METRO_TUI_CACHE_DIR"),
    "theme": ("theme",),
    "keymap": ("keymap",),
}
"""Every setting, by field name, and the names it is given by (environment variables ignore
case); the order is the model's field order."""
SECRET_FIELDS = frozenset({"metronome_bearer_token", "stripe_api_key"})
"""Settings never printed, not even in an error message."""
CONFIG_FILE_ONLY = frozenset({"keymap"})
"""Settings only config.toml holds: tables, which an environment variable cannot spell."""
STORED_FIELDS = (
    "metronome_bearer_token",
    "metronome_base_url",
    "stripe_api_key",
    "stripe_api_base",
)
"""The settings `metro-tui connect` stores."""


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


class WhereTheSettingsPoint:
    """What both kinds of settings (`config.Settings`, `start_settings.StartSettings`) work
    out from their values: the backend, the data file and the cache folder."""

    if TYPE_CHECKING:  # declared by each kind of settings itself
        local: bool
        metronome_bearer_token: object | None
        data: Path | None
        cache: Path | None

    @property
    def uses_local_backend(self) -> bool:
        """No Metronome token (or `--local`): run the bundled backend with demo data."""
        return self.local or self.metronome_bearer_token is None

    @property
    def data_file(self) -> Path:
        return self.data or data_dir() / "local.sqlite3"

    @property
    def cache_root(self) -> Path:
        return self.cache or cache_dir()


def config_file() -> Path:
    """`METRO_TUI_CONFIG` points elsewhere (tests use it to keep the user's own file out)."""
    override = os.environ.get("METRO_TUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def credential_store() -> CredentialStore:
    """Where `metro-tui connect` keeps credentials: the OS keyring, else a 0600 file."""
    return open_credential_store(config_dir(), usable_keyring())


class SettingsError(ValueError):
    """Settings that are not valid; each line names the bad value and where it came from."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def given_values(
    overrides: Mapping[str, Any], flag_names: Mapping[str, str] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The command-line `overrides` that are set, and the flag behind each, for messages."""
    given = {key: value for key, value in overrides.items() if value is not None}
    flags = {field: (flag_names or {}).get(field, field) for field in given}
    return given, flags


def gathered(flags: Mapping[str, Any]) -> dict[str, Any]:
    """Each setting's value from the highest source that gives it, by field name.

    Raises `tomllib.TOMLDecodeError` when the config file is not TOML.
    """
    config = _config_file_values()
    above = {**_environment_values(), **by_field(flags)}
    # Flags and the environment already give everything stored: asking the OS keyring,
    # which takes a noticeable part of a second to probe, would change nothing.
    stored = {} if all(name in above for name in STORED_FIELDS) else _stored_values()
    return {**config, **stored, **above}


def _environment_values() -> dict[str, str]:
    """Settings from environment variables, named by any alias in any case.

    Not those only the config file holds: a variable named KEYMAP (which some systems set for
    the console's keyboard layout) is not the keymap table.
    """
    variables = {name.casefold(): value for name, value in os.environ.items()}
    values = {}
    for field, aliases in SETTING_ALIASES.items():
        if field in CONFIG_FILE_ONLY:
            continue
        for alias in aliases:
            if alias.casefold() in variables:
                values[field] = variables[alias.casefold()]
                break
    return values


def _stored_values() -> dict[str, Any]:
    """The credentials saved by `metro-tui connect`."""
    stored = credential_store().load()
    if stored is None:
        return {}
    values = {
        "metronome_bearer_token": stored.metronome_bearer_token,
        "metronome_base_url": stored.metronome_base_url,
        "stripe_api_key": stored.stripe_api_key,
        "stripe_api_base": stored.stripe_api_base,
    }
    return {name: value for name, value in values.items() if value is not None}


def _config_file_values() -> dict[str, Any]:
    """The config file's keys that name a setting (by alias or field name); none without one."""
    config = config_file()
    if not config.is_file():
        return {}
    with config.open("rb") as handle:
        return by_field(tomllib.load(handle))


def by_field(values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` keyed by field name, from keys that are an alias or the field's own name."""
    found = {}
    for field, aliases in SETTING_ALIASES.items():
        for key in (*aliases, field):
            if key in values:
                found[field] = values[key]
                break
    return found


def flattened(table: Mapping[Any, Any], prefix: str = "") -> dict[str, Any]:
    """`app.refresh = "f5"` in TOML is a table `app` holding `refresh`: both it and the
    quoted `"app.refresh" = "f5"` name the binding id `app.refresh`."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flattened(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def setting_source(field: str, flags: Mapping[str, str] | None = None) -> str:
    """Where the value of setting `field` comes from, in words, by the sources' precedence.

    Stored credentials are not looked at: they hold only URLs and secrets, which any string
    satisfies, so no value of theirs is ever the one at fault.
    """
    if flags and field in flags:
        return f"the command-line flag {flags[field]}"
    aliases = SETTING_ALIASES.get(field, (field,))
    for alias in aliases if field not in CONFIG_FILE_ONLY else ():
        for name in os.environ:
            # Environment variables are matched ignoring case (`_environment_values`).
            if name.casefold() == alias.casefold():
                return f"the environment variable {name}"
    config = config_file()
    try:
        keys = tomllib.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        keys = {}
    for alias in aliases:
        if alias in keys:
            return config_key(alias)
    return f"the setting {field}"


def config_key(key: str) -> str:
    """A key of the config file, in words: "the key keymap.app.quit in ~/.config/..."."""
    return f"the key {key} in {config_file()}"


def invalid_toml(error: tomllib.TOMLDecodeError) -> SettingsError:
    return SettingsError([f"the config file {config_file()} is not valid TOML: {error}"])

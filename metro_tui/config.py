"""Settings: environment variables, the TOML config file and command-line flags.

Precedence, highest first: command-line flags, environment variables, the credentials stored
by `metro-tui connect`, the config file, defaults. Secrets are `SecretStr` so they never print
by accident; the config file holds no secrets (credentials live in the OS keyring or a 0600
credentials file, see `session/credentials.py`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from metro_tui.session.credentials import CredentialStore, open_credential_store, usable_keyring

APP_NAME = "metro-tui"
DEFAULT_METRONOME_URL = "https://api.metronome.com"
DEFAULT_STRIPE_URL = "https://api.stripe.com"
DEFAULT_CONCURRENCY = 16
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


def config_file() -> Path:
    """`METRO_TUI_CONFIG` points elsewhere (tests use it to keep the user's own file out)."""
    override = os.environ.get("METRO_TUI_CONFIG")
    return Path(override) if override else config_dir() / "config.toml"


def credential_store() -> CredentialStore:
    """Where `metro-tui connect` keeps credentials: the OS keyring, else a 0600 file."""
    return open_credential_store(config_dir(), usable_keyring())


class Settings(BaseModel):
    """Everything the app needs to know to connect and to draw.

    Built from exactly the values given; `load_settings` gathers them from every source.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True, validate_default=True)

    metronome_bearer_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("METRONOME_BEARER_TOKEN")
    )
    metronome_base_url: str = Field(
        default=DEFAULT_METRONOME_URL,
        validation_alias=AliasChoices("metronome_base_url", "METRONOME_BASE_URL"),
    )
    stripe_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("STRIPE_API_KEY")
    )
    stripe_api_base: str = Field(
        default=DEFAULT_STRIPE_URL,
        validation_alias=AliasChoices("stripe_api_base", "STRIPE_API_BASE"),
    )
    today: date | None = Field(
        default=None, validation_alias=AliasChoices("today", "METRO_TUI_TODAY")
    )
    concurrency: int = Field(
        default=DEFAULT_CONCURRENCY,
        ge=1,
        le=64,
        validation_alias=AliasChoices("concurrency", "METRO_TUI_CONCURRENCY"),
    )
    local: bool = Field(default=False, validation_alias=AliasChoices("local", "METRO_TUI_LOCAL"))
    data: Path | None = Field(default=None, validation_alias=AliasChoices("data", "METRO_TUI_DATA"))
    cache: Path | None = Field(
        default=None, validation_alias=AliasChoices("cache", "METRO_TUI_CACHE_DIR")
    )
    theme: str = Field(default="textual-dark", validation_alias=AliasChoices("theme"))
    keymap: dict[str, str] = Field(default_factory=dict, validation_alias=AliasChoices("keymap"))
    """Binding id -> the keys that replace its own, from the `[keymap]` table."""

    @field_validator("metronome_base_url", "stripe_api_base")
    @classmethod
    def _strip_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("keymap", mode="before")
    @classmethod
    def _dotted_ids(cls, table: object) -> object:
        """`app.refresh = "f5"` in TOML is a table `app` holding `refresh`: both it and the
        quoted `"app.refresh" = "f5"` name the binding id `app.refresh`."""
        return _flattened(table) if isinstance(table, dict) else table

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


def _flattened(table: dict[Any, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flattened(value, f"{name}."))
        else:
            flat[name] = value
    return flat


class SettingsError(ValueError):
    """Settings that are not valid; each line names the bad value and where it came from."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_settings(*, flag_names: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from every source, with command-line `overrides` (None values ignored).

    `flag_names` names the command-line flag behind each override, for the error message.
    """
    given = {key: value for key, value in overrides.items() if value is not None}
    flags = {field: (flag_names or {}).get(field, field) for field in given}
    try:
        return Settings.model_validate(_gathered(_by_field(given)))
    except ValidationError as error:
        raise SettingsError(
            [_invalid_value(problem, flags) for problem in error.errors(include_url=False)]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(
            [f"the config file {config_file()} is not valid TOML: {error}"]
        ) from None


def _gathered(flags: dict[str, Any]) -> dict[str, Any]:
    """Each setting's value from the highest source that gives it, by field name."""
    config = _config_file_values()
    above = {**_environment_values(), **flags}
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
    for field in Settings.model_fields:
        if field in CONFIG_FILE_ONLY:
            continue
        for alias in _aliases(field):
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
        return _by_field(tomllib.load(handle))


def _by_field(values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` keyed by field name, from keys that are an alias or the field's own name."""
    found = {}
    for field in Settings.model_fields:
        for key in (*_aliases(field), field):
            if key in values:
                found[field] = values[key]
                break
    return found


def setting_source(field: str, flags: Mapping[str, str] | None = None) -> str:
    """Where the value of setting `field` comes from, in words, by the sources' precedence.

    Stored credentials are not looked at: they hold only URLs and secrets, which any string
    satisfies, so no value of theirs is ever the one at fault.
    """
    if flags and field in flags:
        return f"the command-line flag {flags[field]}"
    aliases = _aliases(field)
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


def _aliases(field: str) -> list[str]:
    alias = Settings.model_fields[field].validation_alias
    return [str(choice) for choice in alias.choices] if isinstance(alias, AliasChoices) else [field]


def _field_named(key: str) -> str:
    """The field a validation error's first location names (a field name or an alias)."""
    for field in Settings.model_fields:
        if key == field or key in _aliases(field):
            return field
    return key


def _invalid_value(problem: Mapping[str, Any], flags: Mapping[str, str]) -> str:
    """E.g. "the environment variable METRO_TUI_TODAY is '2026-02-30': Input should be ..."."""
    field = _field_named(str(problem["loc"][0])) if problem["loc"] else ""
    if field not in Settings.model_fields:
        return str(problem["msg"])
    if field in CONFIG_FILE_ONLY:
        # The entry of the table at fault, e.g. keymap.app.quit.
        source = config_key(".".join(map(str, (field, *problem["loc"][1:]))))
    else:
        source = setting_source(field, flags)
    secret = Settings.model_fields[field].annotation in (SecretStr, SecretStr | None)
    value = "" if secret else f" is {problem['input']!r}"
    return f"{source}{value}: {problem['msg']}"

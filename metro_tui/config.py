"""Settings: environment variables, the TOML config file and command-line flags, validated.

Precedence, highest first: command-line flags, environment variables, the credentials stored
by `metro-tui connect`, the config file, defaults (`settings_sources`). Secrets are
`SecretStr` so they never print by accident; the config file holds no secrets (credentials
live in the OS keyring or a 0600 credentials file, see `session/credentials.py`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from metro_tui.settings_sources import (
    CONFIG_FILE_ONLY,
    DEFAULT_CONCURRENCY,
    DEFAULT_METRONOME_URL,
    DEFAULT_STRIPE_URL,
    DEFAULT_THEME,
    SECRET_FIELDS,
    SETTING_ALIASES,
    SettingsError,
    WhereTheSettingsPoint,
    cache_dir,
    config_dir,
    config_file,
    config_key,
    credential_store,
    data_dir,
    flattened,
    gathered,
    given_values,
    invalid_toml,
    setting_source,
)

__all__ = [
    "DEFAULT_METRONOME_URL",
    "DEFAULT_STRIPE_URL",
    "Settings",
    "SettingsError",
    "cache_dir",
    "config_dir",
    "config_file",
    "config_key",
    "credential_store",
    "data_dir",
    "load_settings",
    "setting_source",
    "validated",
]
"""What other modules import from here; most of it is read from `settings_sources`."""


def _aliases(field: str) -> AliasChoices:
    return AliasChoices(*SETTING_ALIASES[field])


class Settings(WhereTheSettingsPoint, BaseModel):
    """Everything the app needs to know to connect and to draw.

    Built from exactly the values given; `load_settings` gathers them from every source.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True, validate_default=True)

    metronome_bearer_token: SecretStr | None = Field(
        default=None, validation_alias=_aliases("metronome_bearer_token")
    )
    metronome_base_url: str = Field(
        default=DEFAULT_METRONOME_URL, validation_alias=_aliases("metronome_base_url")
    )
    stripe_api_key: SecretStr | None = Field(
        default=None, validation_alias=_aliases("stripe_api_key")
    )
    stripe_api_base: str = Field(
        default=DEFAULT_STRIPE_URL, validation_alias=_aliases("stripe_api_base")
    )
    today: date | None = Field(default=None, validation_alias=_aliases("today"))
    concurrency: int = Field(
        default=DEFAULT_CONCURRENCY, ge=1, le=64, validation_alias=_aliases("concurrency")
    )
    local: bool = Field(default=False, validation_alias=_aliases("local"))
    data: Path | None = Field(default=None, validation_alias=_aliases("data"))
    cache: Path | None = Field(default=None, validation_alias=_aliases("cache"))
    theme: str = Field(default=DEFAULT_THEME, validation_alias=_aliases("theme"))
    keymap: dict[str, str] = Field(default_factory=dict, validation_alias=_aliases("keymap"))
    """Binding id -> the keys that replace its own, from the `[keymap]` table."""

    @field_validator("metronome_base_url", "stripe_api_base")
    @classmethod
    def _strip_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @field_validator("keymap", mode="before")
    @classmethod
    def _dotted_ids(cls, table: object) -> object:
        """`app.refresh = "f5"` and `"app.refresh" = "f5"` both name `app.refresh`."""
        return flattened(table) if isinstance(table, dict) else table

    def on_local_backend(
        self, token: str, metronome_url: str, stripe_key: str, stripe_url: str
    ) -> Settings:
        """These settings pointed at a running local backend, with its credentials."""
        return self.model_copy(
            update={
                "metronome_bearer_token": SecretStr(token),
                "metronome_base_url": metronome_url,
                "stripe_api_key": SecretStr(stripe_key),
                "stripe_api_base": stripe_url,
            }
        )


def load_settings(*, flag_names: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from every source, with command-line `overrides` (None values ignored).

    `flag_names` names the command-line flag behind each override, for the error message.
    """
    given, flags = given_values(overrides, flag_names)
    try:
        return validated(gathered(given), flags)
    except tomllib.TOMLDecodeError as error:
        raise invalid_toml(error) from None


def validated(values: Mapping[str, Any], flags: Mapping[str, str]) -> Settings:
    """`values` (keyed by field name) as Settings; raises SettingsError naming each bad one."""
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        raise SettingsError(
            [_invalid_value(problem, flags) for problem in error.errors(include_url=False)]
        ) from None


def _field_named(key: str) -> str:
    """The field a validation error's first location names (a field name or an alias)."""
    for field, aliases in SETTING_ALIASES.items():
        if key == field or key in aliases:
            return field
    return key


def _invalid_value(problem: Mapping[str, Any], flags: Mapping[str, str]) -> str:
    """E.g. "the environment variable METRO_TUI_TODAY is '2026-02-30': Input should be ..."."""
    field = _field_named(str(problem["loc"][0])) if problem["loc"] else ""
    if field not in SETTING_ALIASES:
        return str(problem["msg"])
    if field in CONFIG_FILE_ONLY:
        # The entry of the table at fault, e.g. keymap.app.quit.
        source = config_key(".".join(map(str, (field, *problem["loc"][1:]))))
    else:
        source = setting_source(field, flags)
    value = "" if field in SECRET_FIELDS else f" is {problem['input']!r}"
    return f"{source}{value}: {problem['msg']}"

"""Settings: environment variables, the TOML config file and command-line flags.

Precedence, highest first: command-line flags, environment variables, the config file,
defaults. Secrets are `SecretStr` so they never print by accident; the config file holds no
secrets (credentials live in the OS keyring or a 0600 credentials file).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "metro-tui"
DEFAULT_METRONOME_URL = "https://api.metronome.com"
DEFAULT_STRIPE_URL = "https://api.stripe.com"
DEFAULT_CONCURRENCY = 16


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


class Settings(BaseSettings):
    """Everything the app needs to know to connect and to draw."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

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

    @field_validator("metronome_base_url", "stripe_api_base")
    @classmethod
    def _strip_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )

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


def load_settings(**overrides: Any) -> Settings:
    """Settings from every source, with command-line `overrides` (None values ignored)."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)

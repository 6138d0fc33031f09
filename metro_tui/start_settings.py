"""The settings of a start, without pydantic when every value is plainly valid.

Importing pydantic and building the `config.Settings` model took about a tenth of the CPU of
a warm start before its first frame (measured). Almost every start gives plain values: no
value at all, a URL, a token, an ISO date. `load_start_settings` checks those by hand and
accepts a value only where pydantic is sure to accept it and make the same of it; at the
slightest doubt (any other spelling, type or range) it validates with `config.Settings` as
before, so a bad value stops the app with pydantic's own message, before anything is drawn.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol, Self

from metro_tui.session.account_settings import AccountSettings, SecretValue
from metro_tui.settings_sources import (
    DEFAULT_CONCURRENCY,
    DEFAULT_METRONOME_URL,
    DEFAULT_STRIPE_URL,
    DEFAULT_THEME,
    SECRET_FIELDS,
    WhereTheSettingsPoint,
    flattened,
    gathered,
    given_values,
    invalid_toml,
)

MAX_CONCURRENCY = 64
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONCURRENCY = re.compile(r"[1-9][0-9]?")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
"""The spellings of a yes or no taken without pydantic (it takes more, in any case)."""


class AppSettings(AccountSettings, Protocol):
    """What the app reads of its settings: `config.Settings`, or `StartSettings` when every
    value was plainly valid."""

    theme: str
    """The Settings screen changes it for the rest of the run."""

    @property
    def today(self) -> date | None: ...

    @property
    def concurrency(self) -> int: ...

    @property
    def keymap(self) -> Mapping[str, str]: ...

    @property
    def uses_local_backend(self) -> bool: ...

    @property
    def data_file(self) -> Path: ...

    def on_local_backend(
        self, token: str, metronome_url: str, stripe_key: str, stripe_url: str
    ) -> Self: ...


class Secret:
    """A token or key that never prints (as pydantic's `SecretStr`)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')"


@dataclass
class StartSettings(WhereTheSettingsPoint):
    """The same settings as `config.Settings`, from values that needed no pydantic."""

    metronome_bearer_token: SecretValue | None = None
    metronome_base_url: str = DEFAULT_METRONOME_URL
    stripe_api_key: SecretValue | None = None
    stripe_api_base: str = DEFAULT_STRIPE_URL
    today: date | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    local: bool = False
    data: Path | None = None
    cache: Path | None = None
    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)

    def on_local_backend(
        self, token: str, metronome_url: str, stripe_key: str, stripe_url: str
    ) -> StartSettings:
        """These settings pointed at a running local backend, with its credentials."""
        return replace(
            self,
            metronome_bearer_token=Secret(token),
            metronome_base_url=metronome_url,
            stripe_api_key=Secret(stripe_key),
            stripe_api_base=stripe_url,
        )


def load_start_settings(
    *, flag_names: Mapping[str, str] | None = None, **overrides: Any
) -> AppSettings:
    """As `config.load_settings`, without pydantic when every value is plainly valid.

    Raises `SettingsError` with exactly the messages `config.load_settings` gives.
    """
    given, flags = given_values(overrides, flag_names)
    try:
        values = gathered(given)
    except tomllib.TOMLDecodeError as error:
        raise invalid_toml(error) from None
    plain = plainly_valid(values)
    if plain is not None:
        return plain
    from metro_tui.config import validated

    return validated(values, flags)


def plainly_valid(values: Mapping[str, Any]) -> StartSettings | None:
    """`values` (keyed by field name) as settings, when each is a value pydantic takes as
    it is; None at any doubt, for pydantic to decide."""
    checked: dict[str, Any] = {}
    for name, value in values.items():
        plain = _plain_value(name, value)
        if plain is None:
            return None
        checked[name] = plain
    return StartSettings(**checked)


def _plain_value(name: str, value: Any) -> Any | None:
    """The value pydantic makes of `value` for setting `name`, or None when unsure."""
    kind = type(value)
    if name in SECRET_FIELDS:
        return Secret(value) if kind is str else None
    if name in ("metronome_base_url", "stripe_api_base"):
        return value.rstrip("/") if kind is str else None
    if name == "theme":
        return value if kind is str else None
    if name == "today":
        return _day(value)
    if name == "concurrency":
        return _concurrency(value)
    if name == "local":
        if kind is bool:
            return value
        return _BOOLEANS.get(value.lower()) if kind is str else None
    if name in ("data", "cache"):
        if isinstance(value, Path):
            return value
        return Path(value) if kind is str and value and "\0" not in value else None
    if name == "keymap":
        return _keymap(value)
    return None


def _day(value: Any) -> date | None:
    """A date (not a datetime), or an ISO day "2026-11-24" that is a real day."""
    if type(value) is date:
        return value
    if type(value) is not str or not _ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _concurrency(value: Any) -> int | None:
    if type(value) is str and _CONCURRENCY.fullmatch(value):
        value = int(value)
    return value if type(value) is int and 1 <= value <= MAX_CONCURRENCY else None


def _keymap(value: Any) -> dict[str, str] | None:
    if type(value) is not dict:
        return None
    table = flattened(value)
    if all(type(key) is str and type(keys) is str for key, keys in table.items()):
        return table
    return None

"""What the session needs to know of the settings: where the account is, and its credentials.

`config.Settings` and `start_settings.StartSettings` have all of it; the session asks only for
this much, so it does not depend on how the settings are read (and `config`, which reads the
stored credentials, can depend on the session without a cycle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

SETTINGS_FROM_SERVER = "METRO_TUI_SETTINGS_FROM_SERVER"
"""Set in the process of a browser tab: the variables that give it its account were handed
down by `metro-tui serve`, not set by the user."""


class SecretValue(Protocol):
    """A token or key that never prints: pydantic's `SecretStr`, or `start_settings.Secret`."""

    def get_secret_value(self) -> str: ...


class AccountSettings(Protocol):
    """The account's addresses and credentials, and where its cache lives."""

    @property
    def metronome_bearer_token(self) -> SecretValue | None: ...

    @property
    def metronome_base_url(self) -> str: ...

    @property
    def stripe_api_key(self) -> SecretValue | None: ...

    @property
    def stripe_api_base(self) -> str: ...

    @property
    def cache_root(self) -> Path: ...

"""The settings each browser tab's app process starts with, passed in its environment.

textual-serve starts every tab's process with a command and a copy of the server's
environment. The command carries nothing secret (a command line is visible to every user of
the machine in `ps`); the resolved settings travel as the environment variables `Settings`
already reads, so every tab shows the account the server announced, and a bundled backend
started once by the server is shared by every tab instead of one per tab.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from metro_tui.config import Settings, load_settings
from metro_tui.session.account_settings import SETTINGS_FROM_SERVER
from metro_tui.session.connection import Connection, open_connection

SERVED_BACKEND_DATA = "METRO_TUI_SERVED_BACKEND_DATA"
"""The data file of the bundled backend the server started; its URL and token are in
METRONOME_BASE_URL and METRONOME_BEARER_TOKEN. Absent when the server serves a live account."""


def tab_environment(settings: Settings, *, local_data: Path | None) -> dict[str, str]:
    """The variables that give a tab's process exactly the server's `settings`."""
    variables = {
        SETTINGS_FROM_SERVER: "1",
        "METRONOME_BASE_URL": settings.metronome_base_url,
        "STRIPE_API_BASE": settings.stripe_api_base,
        "METRO_TUI_CONCURRENCY": str(settings.concurrency),
    }
    if settings.metronome_bearer_token is not None:
        variables["METRONOME_BEARER_TOKEN"] = settings.metronome_bearer_token.get_secret_value()
    if settings.stripe_api_key is not None:
        variables["STRIPE_API_KEY"] = settings.stripe_api_key.get_secret_value()
    if settings.today is not None:
        variables["METRO_TUI_TODAY"] = settings.today.isoformat()
    if settings.cache is not None:
        variables["METRO_TUI_CACHE_DIR"] = str(settings.cache)
    if local_data is not None:
        variables[SERVED_BACKEND_DATA] = str(local_data.resolve())
    return variables


def tab_connection(environ: Mapping[str, str] = os.environ) -> tuple[Settings, Connection]:
    """In a tab's process: the settings handed down, and a connection to that account."""
    settings = load_settings()
    served_data = environ.get(SERVED_BACKEND_DATA)
    local_data = Path(served_data) if served_data else None
    return settings, open_connection(settings, local_data=local_data)

"""The gateways and cache for the account the settings point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from metro_tui.api.metronome import MetronomeGateway
from metro_tui.api.stripe import StripeGateway
from metro_tui.session.account_cache import live_cache
from metro_tui.session.account_settings import AccountSettings
from metro_tui.sync.cache import SnapshotCache, account_key

LOCAL_LABEL = "Local demo data"


class MissingCredentialError(Exception):
    """A credential the connection needs is not configured."""


@dataclass
class Connection:
    """One connected account: who it is, how to reach it, where its cache lives."""

    label: str
    metronome: MetronomeGateway
    stripe: StripeGateway | None
    cache: SnapshotCache
    is_local: bool

    async def close(self) -> None:
        await self.metronome.close()


def open_connection(settings: AccountSettings, *, local_data: Path | None = None) -> Connection:
    """Gateways for the configured account; `local_data` marks the bundled backend's file."""
    token = settings.metronome_bearer_token
    if token is None:
        raise MissingCredentialError("No Metronome API token is configured.")
    secret = token.get_secret_value()
    metronome = MetronomeGateway(secret, settings.metronome_base_url)
    stripe_key = settings.stripe_api_key
    stripe = (
        StripeGateway(stripe_key.get_secret_value(), settings.stripe_api_base)
        if stripe_key is not None
        else None
    )
    if local_data is not None:
        # The local backend's port and token change every run; its data file does not.
        cache = SnapshotCache(
            settings.cache_root, account_key(f"local:{local_data.resolve()}", "local")
        )
        label = LOCAL_LABEL
    else:
        cache = live_cache(settings.cache_root, settings.metronome_base_url, secret)
        label = f"Metronome ({urlparse(settings.metronome_base_url).netloc})"
    return Connection(
        label=label,
        metronome=metronome,
        stripe=stripe,
        cache=cache,
        is_local=local_data is not None,
    )

"""The gateways and cache for the account the settings point at."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from metro_tui.session.account_cache import live_cache
from metro_tui.session.account_settings import AccountSettings
from metro_tui.session.gateways import metronome_gateway, stripe_gateway
from metro_tui.sync.cache import SnapshotCache, account_key

if TYPE_CHECKING:
    # Only for annotations: the gateways' modules import the SDKs (`session/gateways.py`).
    from metro_tui.api.metronome import MetronomeGateway
    from metro_tui.api.stripe import StripeGateway

LOCAL_LABEL = "Local demo data"


class MissingCredentialError(Exception):
    """A credential the connection needs is not configured."""


@dataclass(frozen=True)
class GatewayCredentials:
    """What the gateways are built from when first used. The secrets stay out of `repr`."""

    metronome_url: str
    stripe_url: str
    metronome_token: str = field(repr=False)
    stripe_key: str | None = field(repr=False)


class Connection:
    """One connected account: who it is, how to reach it, where its cache lives.

    `metronome` is the Metronome gateway, or the credentials to build it and Stripe's from
    the first time either is asked for: the cached account is on screen before any SDK is
    imported.
    """

    def __init__(
        self,
        label: str,
        metronome: MetronomeGateway | GatewayCredentials,
        stripe: StripeGateway | None,
        cache: SnapshotCache,
        is_local: bool,
    ) -> None:
        self.label = label
        self.cache = cache
        self.is_local = is_local
        self._metronome = metronome
        self._stripe = stripe

    @property
    def metronome(self) -> MetronomeGateway:
        gateway = self._metronome
        if isinstance(gateway, GatewayCredentials):
            gateway = self._build_gateways(gateway)
        return gateway

    @property
    def stripe(self) -> StripeGateway | None:
        if isinstance(self._metronome, GatewayCredentials):
            self._build_gateways(self._metronome)
        return self._stripe

    def _build_gateways(self, credentials: GatewayCredentials) -> MetronomeGateway:
        metronome = metronome_gateway(credentials.metronome_token, credentials.metronome_url)
        self._metronome = metronome
        if credentials.stripe_key is not None:
            self._stripe = stripe_gateway(credentials.stripe_key, credentials.stripe_url)
        return metronome

    async def close(self) -> None:
        if not isinstance(self._metronome, GatewayCredentials):
            await self._metronome.close()


def open_connection(settings: AccountSettings, *, local_data: Path | None = None) -> Connection:
    """The configured account; `local_data` marks the bundled backend's file. The gateways are
    built on first use."""
    token = settings.metronome_bearer_token
    if token is None:
        raise MissingCredentialError("No Metronome API token is configured.")
    secret = token.get_secret_value()
    stripe_key = settings.stripe_api_key
    credentials = GatewayCredentials(
        metronome_url=settings.metronome_base_url,
        stripe_url=settings.stripe_api_base,
        metronome_token=secret,
        stripe_key=stripe_key.get_secret_value() if stripe_key is not None else None,
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
    return Connection(label, credentials, None, cache, local_data is not None)

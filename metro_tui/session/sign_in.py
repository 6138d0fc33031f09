"""Checking a Metronome token and a Stripe key before they are stored.

One cheap read each (the first page of customers), with no retries so a wrong address fails
in seconds. A failure becomes a `SignInProblem`: the reason in plain words and the next steps,
the same words whether it shows in `metro-tui connect`, the Connect screen, or the app when a
stored token stops working.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from urllib.parse import urlparse

from metro_tui.errors import AuthError, BillingApiError, RateLimitedError, UnavailableError
from metro_tui.session.account_settings import SETTINGS_FROM_SERVER, AccountSettings
from metro_tui.session.credentials import CredentialStore, StoredCredentials
from metro_tui.session.gateways import load_sdks, metronome_gateway, stripe_gateway

METRONOME = "Metronome"
STRIPE = "Stripe"
VERIFY_TIMEOUT_S = 15.0
RESTRICTED_KEY_NOTE = (
    "A restricted read-only Stripe key (rk_…) with read access to Customers is enough: "
    "metro-tui only reads from Stripe."
)
UNKNOWN_MODE = "unknown mode"
CONNECT_AGAIN = "Connect again: run `metro-tui connect`, or choose Connect… in Settings."


@dataclass(frozen=True)
class SignInProblem:
    """Why signing in to one service failed, and what the user can do about it."""

    service: str
    reason: str
    next_steps: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"There was an error signing in to {self.service}"

    @property
    def headline(self) -> str:
        return f"{self.title}: {self.reason}"

    def explain(self) -> str:
        """The headline and numbered next steps, for a terminal."""
        steps = [f"  {number}. {step}" for number, step in enumerate(self.next_steps, 1)]
        return "\n".join([self.headline, *steps])


@dataclass(frozen=True)
class Verification:
    """The outcome of checking both credentials; `problems` is empty when both work."""

    problems: tuple[SignInProblem, ...]
    stripe_key_mode: str

    @property
    def ok(self) -> bool:
        return not self.problems


def stripe_key_mode(api_key: str) -> str:
    """Which Stripe mode a key belongs to, from its prefix (`sk_test_`, `rk_live_` ...)."""
    if api_key[3:8] == "test_":
        return "test mode"
    if api_key[3:8] == "live_":
        return "live mode"
    return UNKNOWN_MODE


def _host(base_url: str) -> str:
    return urlparse(base_url).netloc or base_url


def _unreachable(service: str, error: BillingApiError, base_url: str, flag: str) -> SignInProblem:
    return SignInProblem(
        service,
        f"could not reach {_host(base_url)}: {error.message}.",
        (
            "Check your network connection.",
            f"Check the address {base_url} ({flag}).",
            "Try again in a minute.",
        ),
    )


def _not_the_api(service: str, error: BillingApiError, base_url: str, flag: str) -> SignInProblem:
    return SignInProblem(
        service,
        f"{_host(base_url)} did not answer like the {service} API ({error.message}).",
        (f"Check the address {base_url} ({flag}).", CONNECT_AGAIN),
    )


def _rate_limited(service: str) -> SignInProblem:
    return SignInProblem(
        service, "too many requests right now.", ("Wait a minute, then try again.",)
    )


def metronome_problem(error: BillingApiError, base_url: str) -> SignInProblem:
    """What to tell the user when Metronome refuses or fails a request."""
    if isinstance(error, AuthError):
        steps = [
            "Check the token in Metronome under Settings > API tokens: it may have been "
            "revoked, or belong to another Metronome account.",
            "Clear cached Metronome credentials (Settings, or `metro-tui connect --forget`).",
            CONNECT_AGAIN,
        ]
        if os.environ.get(SETTINGS_FROM_SERVER):
            steps.insert(
                0,
                "The token is the one `metro-tui serve` was started with: update it there "
                "(`metro-tui connect`), then start the server again.",
            )
        elif os.environ.get("METRONOME_BEARER_TOKEN"):
            steps.insert(
                0,
                "The token comes from the METRONOME_BEARER_TOKEN environment variable, which "
                "overrides stored credentials: update or unset it.",
            )
        return SignInProblem(METRONOME, "the API token was rejected.", tuple(steps))
    if isinstance(error, UnavailableError):
        return _unreachable(METRONOME, error, base_url, "--metronome-url, METRONOME_BASE_URL")
    if isinstance(error, RateLimitedError):
        return _rate_limited(METRONOME)
    return _not_the_api(METRONOME, error, base_url, "--metronome-url, METRONOME_BASE_URL")


def stripe_problem(error: BillingApiError, base_url: str, api_key: str) -> SignInProblem:
    """What to tell the user when Stripe refuses or fails a request."""
    if isinstance(error, AuthError):
        mode = stripe_key_mode(api_key)
        which = f" (it is a {mode} key)" if mode != UNKNOWN_MODE else ""
        return SignInProblem(
            STRIPE,
            f"the API key was rejected{which}.",
            (
                "Check the key in the Stripe Dashboard under Developers > API keys, in the "
                "mode (test or live) that your Metronome account sends invoices to.",
                RESTRICTED_KEY_NOTE,
                CONNECT_AGAIN,
            ),
        )
    if isinstance(error, UnavailableError):
        return _unreachable(STRIPE, error, base_url, "--stripe-url, STRIPE_API_BASE")
    if isinstance(error, RateLimitedError):
        return _rate_limited(STRIPE)
    return _not_the_api(STRIPE, error, base_url, "--stripe-url, STRIPE_API_BASE")


def sign_in_problem(error: BillingApiError, settings: AccountSettings) -> SignInProblem:
    """The problem for a failure of the configured account, e.g. a token revoked since."""
    if error.service == STRIPE:
        key = settings.stripe_api_key.get_secret_value() if settings.stripe_api_key else ""
        return stripe_problem(error, settings.stripe_api_base, key)
    return metronome_problem(error, settings.metronome_base_url)


def _stripe_key_format_problem(api_key: str) -> SignInProblem | None:
    """Keys that cannot work, caught before any request."""
    if not api_key:
        return SignInProblem(STRIPE, "no API key was entered.", (RESTRICTED_KEY_NOTE,))
    if api_key.startswith("pk_"):
        return SignInProblem(
            STRIPE,
            "this is a publishable key (pk_…), which cannot read customers.",
            ("Use a secret key (sk_…) or a restricted key (rk_…).", RESTRICTED_KEY_NOTE),
        )
    return None


async def verify_metronome(bearer_token: str, base_url: str) -> SignInProblem | None:
    """Read the first page of customers with the token; None when that works."""
    if not bearer_token:
        return SignInProblem(
            METRONOME,
            "no API token was entered.",
            ("Create a token in Metronome under Settings > API tokens.",),
        )
    gateway = metronome_gateway(bearer_token, base_url, max_retries=0, timeout=VERIFY_TIMEOUT_S)
    try:
        async for _ in gateway.customer_pages():
            break
    except BillingApiError as error:
        return metronome_problem(error, base_url)
    finally:
        await gateway.close()
    return None


async def verify_stripe(api_key: str, base_url: str) -> SignInProblem | None:
    """Read the first page of Stripe customers with the key; None when that works."""
    problem = _stripe_key_format_problem(api_key)
    if problem is not None:
        return problem
    gateway = stripe_gateway(api_key, base_url, max_retries=0, timeout=VERIFY_TIMEOUT_S)
    try:
        async for _ in gateway.customer_pages():
            break
    except BillingApiError as error:
        return stripe_problem(error, base_url, api_key)
    return None


async def verify_credentials(credentials: StoredCredentials) -> Verification:
    """Check both credentials at once."""
    stripe_key = credentials.stripe_api_key or ""
    await load_sdks()
    results = await asyncio.gather(
        verify_metronome(credentials.metronome_bearer_token, credentials.metronome_base_url),
        verify_stripe(stripe_key, credentials.stripe_api_base),
    )
    return Verification(
        problems=tuple(problem for problem in results if problem is not None),
        stripe_key_mode=stripe_key_mode(stripe_key),
    )


async def connect_account(credentials: StoredCredentials, store: CredentialStore) -> Verification:
    """Verify, and store the credentials only if both work."""
    verification = await verify_credentials(credentials)
    if verification.ok:
        await asyncio.to_thread(store.save, credentials)
    return verification

"""Our own small set of API errors, each with a message a user can act on.

The API adapters raise them and the screens catch them, so no screen needs to know an
adapter. SDK exceptions carry request details and response bodies; what reaches the user is rebuilt
from the status alone plus the server's own message, and scrubbed of anything that looks
like a credential.
"""

from __future__ import annotations

import re

_SECRET_PATTERN = re.compile(r"\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_\-]+|Bearer\s+\S+")


def scrub(text: str, *secrets: str | None) -> str:
    """Mask credentials in text: known secrets, Stripe keys and bearer headers."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, mask(secret))
    return _SECRET_PATTERN.sub(lambda m: mask(m.group(0)), text)


def mask(secret: str) -> str:
    """Show only the last four characters of a credential."""
    return "****" + secret[-4:] if len(secret) > 8 else "****"


class BillingApiError(Exception):
    """A failed call to Metronome or Stripe, with a message fit for the screen."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message

    @property
    def user_message(self) -> str:
        return f"{self.service}: {self.message}"


class AuthError(BillingApiError):
    """The credential was rejected (401/403): retrying will not help."""


class NotFoundError(BillingApiError):
    """The record does not exist (404)."""


class ConflictError(BillingApiError):
    """The request conflicts with an existing record (409), e.g. a repeated uniqueness key."""


class ContractAlreadyCreated(ConflictError):
    """A create with this uniqueness key already went through: the contract exists."""


class RequestRejectedError(BillingApiError):
    """The service refused the request as invalid (400)."""


class RateLimitedError(BillingApiError):
    """Still rate limited (429) after the SDK's own retries."""


class UnavailableError(BillingApiError):
    """The service could not be reached, timed out, or failed (5xx)."""


class InvalidResponseError(BillingApiError):
    """The service answered with something that is not the documented shape."""


class UnknownCustomerError(LookupError):
    """No linked customer has the Stripe or Metronome id asked for."""

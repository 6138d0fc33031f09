"""Translate stripe-python exceptions into our API errors."""

from __future__ import annotations

import stripe

from metro_tui.errors import (
    AuthError,
    BillingApiError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    UnavailableError,
    scrub,
)

SERVICE = "Stripe"


def translate(exc: Exception, api_key: str | None) -> BillingApiError:
    """The one place a stripe-python error becomes something the user reads."""
    if isinstance(exc, BillingApiError):
        return exc
    detail = scrub(getattr(exc, "user_message", None) or "", api_key) or "no details"
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        return AuthError(SERVICE, f"the API key was rejected ({detail})")
    if isinstance(exc, stripe.RateLimitError):
        return RateLimitedError(SERVICE, "too many requests; try again shortly")
    if isinstance(exc, stripe.APIConnectionError):
        return UnavailableError(SERVICE, "could not connect to the server")
    if isinstance(exc, stripe.InvalidRequestError):
        if exc.http_status == 404 or exc.code == "resource_missing":
            return NotFoundError(SERVICE, detail)
        return RequestRejectedError(SERVICE, detail)
    if isinstance(exc, stripe.APIError):
        status = exc.http_status
        if status is not None and status < 500:
            return InvalidResponseError(SERVICE, "the server's response could not be read")
        return UnavailableError(SERVICE, f"the server failed (HTTP {status or 'unknown'})")
    return InvalidResponseError(SERVICE, scrub(f"unexpected error: {type(exc).__name__}", api_key))

"""Translate metronome-sdk exceptions into our API errors."""

from __future__ import annotations

import json

import metronome

from metro_tui.errors import (
    AuthError,
    BillingApiError,
    ConflictError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    UnavailableError,
    scrub,
)

SERVICE = "Metronome"


def _server_message(exc: metronome.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return f"HTTP {exc.status_code}"


def translate(exc: Exception, token: str | None) -> BillingApiError:
    """The one place a metronome-sdk error becomes something the user reads."""
    if isinstance(exc, BillingApiError):
        return exc
    if isinstance(exc, metronome.APITimeoutError):
        return UnavailableError(SERVICE, "the request timed out")
    if isinstance(exc, metronome.APIConnectionError):
        return UnavailableError(SERVICE, "could not connect to the server")
    # A body cut short or not JSON at all (an HTML error page) fails to decode in the SDK.
    if isinstance(exc, metronome.APIResponseValidationError | json.JSONDecodeError):
        return InvalidResponseError(SERVICE, "the server's response was not in the expected shape")
    if isinstance(exc, metronome.APIStatusError):
        detail = scrub(_server_message(exc), token)
        status = exc.status_code
        if status in (401, 403):
            return AuthError(SERVICE, f"the API token was rejected ({detail})")
        if status == 404:
            return NotFoundError(SERVICE, f"not found ({detail})")
        if status == 409:
            return ConflictError(SERVICE, detail)
        if status == 429:
            return RateLimitedError(SERVICE, "too many requests; try again shortly")
        if status >= 500:
            return UnavailableError(SERVICE, f"the server failed (HTTP {status})")
        return RequestRejectedError(SERVICE, detail)
    return InvalidResponseError(SERVICE, scrub(f"unexpected error: {type(exc).__name__}", token))

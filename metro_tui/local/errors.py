"""Errors the local backend answers, in the shape of the API a request was for.

Metronome answers `{"message": ...}` (with a `code` where its document names one); Stripe,
mounted under `/stripe`, answers `{"error": {...}}`. Routes and stores raise `ApiError`; the
app and the middleware turn it, or a refusal of their own, into the response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the stores and the seed raise ApiError without loading the web framework
    from fastapi import Request
    from fastapi.responses import JSONResponse

STRIPE_PREFIX = "/stripe"


class ApiError(Exception):
    """An error answered in the shape of the API the request was for."""

    def __init__(
        self, status: int, message: str, *, code: str | None = None, param: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param


def is_stripe_path(path: str) -> bool:
    return path == STRIPE_PREFIX or path.startswith(STRIPE_PREFIX + "/")


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    code: str | None = None,
    param: str | None = None,
) -> JSONResponse:
    """Metronome answers `{"message": ...}` (with a `code` where its document names one);
    Stripe answers `{"error": {...}}`."""
    from fastapi.responses import JSONResponse

    if is_stripe_path(request.url.path):
        error: dict[str, Any] = {
            "type": "invalid_request_error" if status < 500 else "api_error",
            "message": message,
        }
        if status == 401:
            error["type"] = "invalid_request_error"
        if code:
            error["code"] = code
        if param:
            error["param"] = param
        return JSONResponse({"error": error}, status_code=status)
    body = {"message": message} if code is None else {"code": code, "message": message}
    return JSONResponse(body, status_code=status)

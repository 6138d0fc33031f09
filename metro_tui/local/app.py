"""The local backend's ASGI app: Metronome at the root, Stripe under /stripe."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from metro_tui.local.db import Database

STRIPE_PREFIX = "/stripe"


@dataclass(frozen=True)
class BackendConfig:
    """How the server behaves: its token, its clock and the faults it injects."""

    token: str
    today: str | None = None  # YYYY-MM-DD; "now" is noon UTC of that day when given
    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit: float = 0.0  # requests per second; 0 = unlimited
    fault_seed: int = 0
    # The first N contract creates are committed, then their connection is dropped before the
    # response body: the client cannot tell whether the contract exists (--drop-after-commit).
    drop_after_commit: int = 0
    # Seconds, for the rate limit; tests pass a clock they move themselves.
    clock: Callable[[], float] = time.monotonic

    def stripe_keys(self) -> frozenset[str]:
        """The Stripe keys the server accepts: secret or restricted, test or live mode."""
        return frozenset(
            f"{kind}_{mode}_{self.token}" for kind in ("sk", "rk") for mode in ("test", "live")
        )


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


def create_app(db: Database, config: BackendConfig) -> FastAPI:
    """Build the server over an open database."""
    from metro_tui.local import metronome_api, metronome_contracts, middleware, stripe_api

    app = FastAPI(title="metro-tui local backend", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db = db
    app.state.config = config

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.message, code=exc.code, param=exc.param)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        location = [str(p) for p in first.get("loc", ()) if p != "body"]
        where = ".".join(location)
        message = (
            f"{where}: {first.get('msg', 'invalid request')}"
            if where
            else str(first.get("msg", "invalid request"))
        )
        code = metronome_contracts.validation_error_code(
            request.url.path, location[0] if location else None, first.get("type") == "missing"
        )
        return error_response(request, 400, message, code=code, param=where or None)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = "Not found" if exc.status_code == 404 else str(exc.detail)
        code = (
            "resource_missing"
            if exc.status_code == 404 and is_stripe_path(request.url.path)
            # A body that is not JSON at all is a malformed request like any other.
            else metronome_contracts.validation_error_code(request.url.path, "", False)
            if exc.status_code == 400
            else None
        )
        return error_response(request, exc.status_code, message, code=code)

    app.include_router(metronome_api.router)
    app.include_router(stripe_api.router, prefix=STRIPE_PREFIX)
    middleware.install(app, config)
    return app

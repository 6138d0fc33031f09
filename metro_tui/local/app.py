"""The local backend's ASGI app: Metronome at the root, Stripe under /stripe."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from metro_tui.local import middleware
from metro_tui.local.config import BackendConfig
from metro_tui.local.db import Database
from metro_tui.local.errors import STRIPE_PREFIX, ApiError, error_response, is_stripe_path
from metro_tui.local.metronome import contracts, customer_balances, customers, pricing, usage
from metro_tui.local.stripe import customers as stripe_customers

# Metronome's endpoints, mounted at the root like api.metronome.com, one router per area.
METRONOME_ROUTERS: tuple[APIRouter, ...] = (
    customers.router,
    contracts.router,
    customer_balances.router,
    pricing.router,
    usage.router,
)
# Stripe's, mounted under /stripe.
STRIPE_ROUTERS: tuple[APIRouter, ...] = (stripe_customers.router,)


def create_app(db: Database, config: BackendConfig) -> FastAPI:
    """Build the server over an open database."""
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
        code = contracts.validation_error_code(
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
            else contracts.validation_error_code(request.url.path, "", False)
            if exc.status_code == 400
            else None
        )
        return error_response(request, exc.status_code, message, code=code)

    for router in METRONOME_ROUTERS:
        app.include_router(router)
    for router in STRIPE_ROUTERS:
        app.include_router(router, prefix=STRIPE_PREFIX)
    middleware.install(app, config)
    return app

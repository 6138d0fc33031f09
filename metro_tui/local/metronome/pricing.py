"""The contract pricing catalogue: rate cards, their rates, and products."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.pages import fetch_page, slice_page
from metro_tui.local.metronome.rates import rate_card_rates, select_rates
from metro_tui.local.metronome.records import backend_db
from metro_tui.local.metronome.schemas import EmptyBody, ProductList, RateCardGet, RatesQuery

router = APIRouter()

PageLimit = Annotated[int, Query(ge=1, le=100)]
DEFAULT_LIMIT = 25
ARCHIVE_FILTERS = {
    "ARCHIVED": "archived_at IS NOT NULL",
    "NOT_ARCHIVED": "archived_at IS NULL",
    "ALL": "1",
}


@router.post("/v1/contract-pricing/rate-cards/list")
def list_rate_cards(
    request: Request,
    body: EmptyBody | None = None,
    limit: PageLimit = DEFAULT_LIMIT,
    next_page: str | None = None,
) -> dict[str, Any]:
    del body  # checked, so a malformed body is refused, but it holds nothing
    page = fetch_page(
        backend_db(request),
        table="rate_cards",
        where="1",
        params=[],
        limit=limit,
        cursor=next_page,
        param="next_page",
    )
    return {"data": page.docs, "next_page": page.next_cursor}


@router.post("/v1/contract-pricing/rate-cards/get")
def get_rate_card(request: Request, body: RateCardGet) -> dict[str, Any]:
    docs = backend_db(request).docs("SELECT doc FROM rate_cards WHERE id = ?", (body.id,))
    if not docs:
        raise ApiError(404, f"rate card {body.id} not found")
    return {"data": docs[0]}


@router.post("/v1/contract-pricing/rate-cards/getRates")
def get_rates(
    request: Request, body: RatesQuery, limit: PageLimit = 100, next_page: str | None = None
) -> dict[str, Any]:
    db = backend_db(request)
    if db.query_one("SELECT 1 FROM rate_cards WHERE id = ?", (body.rate_card_id,)) is None:
        raise ApiError(404, f"rate card {body.rate_card_id} not found")
    rates = select_rates(rate_card_rates(db, body.rate_card_id, body.at), body.selectors)
    page = slice_page(rates, limit=limit, cursor=next_page, param="next_page")
    return {"data": page.docs, "next_page": page.next_cursor}


@router.post("/v1/contract-pricing/products/list")
def list_products(
    request: Request,
    body: ProductList | None = None,
    limit: PageLimit = DEFAULT_LIMIT,
    next_page: str | None = None,
) -> dict[str, Any]:
    archive_filter = (body or ProductList()).archive_filter
    page = fetch_page(
        backend_db(request),
        table="products",
        where=ARCHIVE_FILTERS[archive_filter],
        params=[],
        limit=limit,
        cursor=next_page,
        param="next_page",
    )
    return {"data": page.docs, "next_page": page.next_cursor}

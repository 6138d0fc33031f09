"""Stripe's customer endpoints, as the official `stripe` library calls them (mounted at /stripe).

Parameters arrive form-encoded (`metadata[plan]=pro`, `expand[0]=...`, `created[gt]=...`), in
the query string for GET and in the body for POST. Unknown parameters are rejected, as Stripe
does. The mode (test or live) comes from the API key, which the middleware checks and records.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from metro_tui.local import clock
from metro_tui.local.config import BackendConfig
from metro_tui.local.db import Database
from metro_tui.local.errors import ApiError
from metro_tui.local.stripe import store
from metro_tui.local.stripe.expand import LIST_ITEM, TOTAL_COUNT, expanded, expansions
from metro_tui.local.stripe.search import EXAMPLE, SearchQueryError, compile_customer_query

router = APIRouter()

CUSTOMERS_URL = "/v1/customers"
SEARCH_URL = "/v1/customers/search"
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500
_LIST_PARAMS = frozenset(
    {"limit", "starting_after", "ending_before", "email", "created", "expand", "test_clock"}
)
_SEARCH_PARAMS = frozenset({"query", "limit", "page", "expand"})
_CREATE_PARAMS = frozenset(
    {"name", "email", "description", "phone", "metadata", "preferred_locales", "expand"}
)
_CREATED_BOUNDS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_PARAM_NAME = re.compile(r"^([^\[\]]+)(?:\[([^\[\]]*)\])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

Params = dict[str, str | dict[str, str]]


@router.get("/v1/customers")
def list_customers(request: Request) -> JSONResponse:
    params = _decode(request.query_params.multi_items(), _LIST_PARAMS)
    expand = expansions(params, LIST_ITEM)
    limit = _limit(params)
    where = _list_filter(params)
    livemode = _livemode(request)
    db = _db(request)
    starting_after = _text(params, "starting_after")
    ending_before = _text(params, "ending_before")
    if starting_after and ending_before:
        raise ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
        )
    if ending_before:
        before = _cursor(db, ending_before, livemode, "ending_before")
        page = store.page_newer_than(db, livemode=livemode, where=where, before=before, limit=limit)
    else:
        after = _cursor(db, starting_after, livemode, "starting_after") if starting_after else None
        page = store.page_older_than(db, livemode=livemode, where=where, after=after, limit=limit)
    data = [expanded(doc, expand) for doc in page.documents]
    return JSONResponse(
        {"object": "list", "data": data, "has_more": page.has_more, "url": CUSTOMERS_URL}
    )


@router.get("/v1/customers/search")
def search_customers(request: Request) -> JSONResponse:
    params = _decode(request.query_params.multi_items(), _SEARCH_PARAMS)
    expand = expansions(params, LIST_ITEM, TOTAL_COUNT)
    query = _text(params, "query")
    if not query:
        raise ApiError(
            400, "Missing required param: query.", code="parameter_missing", param="query"
        )
    try:
        where = compile_customer_query(query)
    except SearchQueryError as error:
        raise ApiError(
            400,
            f"Invalid search query: {error}. Example of a valid query: {EXAMPLE}",
            param="query",
        ) from error
    page_token = _text(params, "page")
    after = _page_position(page_token) if page_token else None
    db, livemode = _db(request), _livemode(request)
    page = store.page_older_than(
        db, livemode=livemode, where=where, after=after, limit=_limit(params)
    )
    next_page = _page_token(page.last) if page.has_more and page.last else None
    result: dict[str, Any] = {
        "object": "search_result",
        "data": [expanded(doc, expand) for doc in page.documents],
        "has_more": page.has_more,
        "next_page": next_page,
        "url": SEARCH_URL,
    }
    if TOTAL_COUNT in expand:
        result[TOTAL_COUNT] = store.count(db, livemode=livemode, where=where)
    return JSONResponse(result)


@router.get("/v1/customers/{customer_id}")
def retrieve_customer(customer_id: str, request: Request) -> JSONResponse:
    expand = expansions(_decode(request.query_params.multi_items(), frozenset({"expand"})), "")
    livemode = _livemode(request)
    doc = store.find_customer(_db(request), customer_id)
    if doc is None or doc["livemode"] != livemode:
        message = f"No such customer: '{customer_id}'"
        if doc is not None:
            message += (
                f"; a similar object exists in {_mode(doc['livemode'])} mode, but a "
                f"{_mode(livemode)} mode key was used to make this request."
            )
        raise ApiError(404, message, code="resource_missing", param="id")
    return JSONResponse(expanded(doc, expand))


@router.post("/v1/customers")
async def create_customer(request: Request) -> JSONResponse:
    body = (await request.body()).decode("utf-8", errors="replace")
    pairs = parse_qsl(body, keep_blank_values=True)
    fields = _new_customer_fields(_decode(pairs, _CREATE_PARAMS))
    livemode = _livemode(request)
    key = request.headers.get("idempotency-key")
    write = _CustomerWrite(
        fields=fields,
        livemode=livemode,
        created=int(clock.now(_config(request).today).timestamp()),
        idempotency_key=f"{_mode(livemode)}:{key}" if key else None,
        fingerprint=hashlib.sha256(f"POST {CUSTOMERS_URL}?{sorted(pairs)}".encode()).hexdigest(),
    )
    try:
        doc, replayed = await run_in_threadpool(write.run, _db(request))
    except store.IdempotencyKeyReused:
        return _idempotency_error(key or "")
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return JSONResponse(doc, headers=headers)


@dataclass(frozen=True)
class _CustomerWrite:
    """One customer creation: a single transaction, replayed when its key was seen before."""

    fields: dict[str, Any]
    livemode: bool
    created: int
    idempotency_key: str | None
    fingerprint: str

    def run(self, db: Database) -> tuple[dict[str, Any], bool]:
        with db.transaction() as conn:
            if self.idempotency_key:
                earlier = store.idempotent_response(conn, self.idempotency_key, self.fingerprint)
                if earlier is not None:
                    return earlier, True
            doc = store.insert_stripe_customer(
                conn, customer_id=None, created=self.created, livemode=self.livemode, **self.fields
            )
            if self.idempotency_key:
                store.remember_response(conn, self.idempotency_key, self.fingerprint, doc)
        return doc, False


def _new_customer_fields(params: Params) -> dict[str, Any]:
    email = _text(params, "email")
    if email is not None and not _EMAIL.match(email):
        raise ApiError(400, f"Invalid email address: {email}", code="email_invalid", param="email")
    locales = params.get("preferred_locales")
    return {
        "name": _text(params, "name"),
        "email": email,
        "description": _text(params, "description"),
        "phone": _text(params, "phone"),
        "metadata": _metadata(params.get("metadata")),
        "preferred_locales": _indexed_list(locales, "preferred_locales") if locales else None,
    }


def _metadata(value: str | dict[str, str] | None) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        raise ApiError(400, "Invalid object", param="metadata")
    # An empty value unsets a key in Stripe; on a new customer that means "not set".
    metadata = {key: text for key, text in value.items() if text != ""}
    if len(metadata) > MAX_METADATA_KEYS:
        raise ApiError(
            400, f"Metadata can have at most {MAX_METADATA_KEYS} keys.", param="metadata"
        )
    for key, text in metadata.items():
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise ApiError(
                400,
                f"Metadata keys can be at most {MAX_METADATA_KEY_LENGTH} characters long.",
                param=f"metadata[{key}]",
            )
        if len(text) > MAX_METADATA_VALUE_LENGTH:
            raise ApiError(
                400,
                f"Metadata values can be at most {MAX_METADATA_VALUE_LENGTH} characters long.",
                param=f"metadata[{key}]",
            )
    return metadata


def _decode(pairs: Iterable[tuple[str, str]], allowed: frozenset[str]) -> Params:
    """Form pairs to Stripe's one level of nesting: `a[b]=c` -> {"a": {"b": "c"}}."""
    params: Params = {}
    for raw_name, value in pairs:
        match = _PARAM_NAME.match(raw_name)
        if match is None or match.group(1) not in allowed:
            raise ApiError(
                400,
                f"Received unknown parameter: {raw_name}",
                code="parameter_unknown",
                param=raw_name,
            )
        name, key = match.group(1), match.group(2)
        if key is None:
            params[name] = value
            continue
        nested = params.setdefault(name, {})
        if isinstance(nested, str):
            raise ApiError(400, f"Invalid value for {name}", param=name)
        nested[key if key != "" else str(len(nested))] = value
    return params


def _indexed_list(value: str | dict[str, str], name: str) -> list[str]:
    if isinstance(value, str) or not all(key.isdigit() for key in value):
        raise ApiError(400, "Invalid array", param=name)
    return [value[key] for key in sorted(value, key=int)]


def _text(params: Params, name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, dict):
        raise ApiError(400, f"Invalid string: {name} must be a string", param=name)
    return value or None


def _integer(text: str, param: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiError(
            400, f"Invalid integer: {text}", code="parameter_invalid_integer", param=param
        ) from None


def _limit(params: Params) -> int:
    text = _text(params, "limit")
    limit = DEFAULT_LIMIT if text is None else _integer(text, "limit")
    if limit < 1:
        raise ApiError(400, "This value must be greater than or equal to 1.", param="limit")
    if limit > MAX_LIMIT:
        raise ApiError(400, f"This value must be less than or equal to {MAX_LIMIT}.", param="limit")
    return limit


def _list_filter(params: Params) -> store.Condition:
    where = store.EVERY_CUSTOMER
    email = _text(params, "email")
    if email is not None:
        # The list endpoint's email filter is case-sensitive (Stripe's documented behaviour).
        where = where & store.Condition("email = ?", (email,))
    # Without `test_clock`, customers on a test clock are left out, as Stripe documents.
    where = where & store.on_test_clock(_text(params, "test_clock"))
    created = params.get("created")
    if isinstance(created, str):
        where = where & store.Condition("created = ?", (_integer(created, "created"),))
    elif created is not None:
        for bound, text in created.items():
            sql_op = _CREATED_BOUNDS.get(bound)
            if sql_op is None:
                raise ApiError(
                    400,
                    f"Received unknown parameter: created[{bound}]",
                    code="parameter_unknown",
                    param=f"created[{bound}]",
                )
            value = _integer(text, f"created[{bound}]")
            where = where & store.Condition(f"created {sql_op} ?", (value,))
    return where


def _cursor(db: Database, customer_id: str, livemode: bool, param: str) -> store.Position:
    position = store.position_of(db, customer_id, livemode)
    if position is None:
        raise ApiError(
            400, f"No such customer: '{customer_id}'", code="resource_missing", param=param
        )
    return position


def _page_token(position: store.Position) -> str:
    raw = f"{position.created}:{position.seq}".encode()
    return "page_" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _page_position(token: str) -> store.Position:
    try:
        encoded = token.removeprefix("page_")
        created, seq = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).split(b":")
        return store.Position(int(created), int(seq))
    except (binascii.Error, ValueError):
        raise ApiError(400, f"Invalid page token: {token}", param="page") from None


def _idempotency_error(key: str) -> JSONResponse:
    # Built here rather than via ApiError: the library maps only this `type` to IdempotencyError.
    message = (
        "Keys for idempotent requests can only be used with the same parameters they "
        f"were first used with. Try using a key other than '{key}' if you meant to "
        "execute a different request."
    )
    return JSONResponse(
        {"error": {"type": "idempotency_error", "message": message}}, status_code=400
    )


def _mode(livemode: bool) -> str:
    return "live" if livemode else "test"


def _livemode(request: Request) -> bool:
    return bool(getattr(request.state, "stripe_livemode", False))


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _config(request: Request) -> BackendConfig:
    config: BackendConfig = request.app.state.config
    return config

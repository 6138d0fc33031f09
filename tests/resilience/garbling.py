"""An HTTP transport that spoils the backend's answers about one customer, as a broken proxy
or a half-deployed API might: fields missing, fields of the wrong type, or an HTML error page."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import httpx

CONTRACTS_PATH = "/v2/contracts/list"
HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
)


class Spoil(StrEnum):
    MISSING_FIELD = "missing field"
    WRONG_TYPE = "wrong type"
    HTML_502 = "HTML 502 page"
    NOT_JSON = "cut-off JSON"


class RecordKind(StrEnum):
    INVOICES = "invoices"
    CONTRACTS = "contracts"


# The field each kind of record cannot do without, and a value of the wrong type for it.
_REQUIRED_FIELD = {RecordKind.INVOICES: "total", RecordKind.CONTRACTS: "starting_at"}
_WRONG_VALUE: dict[RecordKind, Any] = {
    RecordKind.INVOICES: "a lot",
    RecordKind.CONTRACTS: {"date": "2026-11-01"},
}


class GarblingTransport(httpx.AsyncBaseTransport):
    """Real HTTP to the backend, except that `kind` lists of `customer_id` come back spoiled."""

    def __init__(self, customer_id: str, kind: RecordKind, spoil: Spoil) -> None:
        self.customer_id = customer_id
        self.kind = kind
        self.spoil = spoil
        self.spoiled = 0
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if not self._targets(request):
            return response
        body = await response.aread()
        await response.aclose()
        self.spoiled += 1
        return self._spoiled(response.status_code, body)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def _targets(self, request: httpx.Request) -> bool:
        if self.kind is RecordKind.INVOICES:
            return request.url.path == f"/v1/customers/{self.customer_id}/invoices"
        if request.url.path != CONTRACTS_PATH:
            return False
        return bool(json.loads(request.content).get("customer_id") == self.customer_id)

    def _spoiled(self, status: int, body: bytes) -> httpx.Response:
        if self.spoil is Spoil.HTML_502:
            return httpx.Response(502, headers={"content-type": "text/html"}, content=HTML_502)
        if self.spoil is Spoil.NOT_JSON:
            return httpx.Response(
                status, headers={"content-type": "application/json"}, content=body[: len(body) // 2]
            )
        document = json.loads(body)
        field = _REQUIRED_FIELD[self.kind]
        for item in document["data"]:
            if self.spoil is Spoil.MISSING_FIELD:
                del item[field]
            else:
                item[field] = _WRONG_VALUE[self.kind]
        return httpx.Response(status, json=document)

"""Customers, their billing provider configurations and their invoices."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime

from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.pages import fetch_page
from metro_tui.local.metronome.records import (
    backend_db,
    backend_now,
    derived_id,
    iso_or_none,
    require_customer,
)
from metro_tui.local.metronome.schemas import (
    BillingConfigurationsQuery,
    CustomerCreate,
    SetBillingConfigurations,
)
from metro_tui.local.metronome.store import insert_billing_configuration, insert_customer

router = APIRouter()

PageLimit = Annotated[int, Query(ge=1, le=100)]
DEFAULT_LIMIT = 25
MAX_FILTER_IDS = 100
# Invoices sort by issue date; drafts are not issued yet, so they sort by their period end.
INVOICE_DATE = "COALESCE(json_extract(doc, '$.issued_at'), end_timestamp)"


@router.get("/v1/customers")
def list_customers(
    request: Request,
    limit: PageLimit = DEFAULT_LIMIT,
    next_page: str | None = None,
    ingest_alias: str | None = None,
    customer_ids: Annotated[list[str] | None, Query()] = None,
    only_archived: bool = False,
    salesforce_account_ids: Annotated[list[str] | None, Query(max_length=MAX_FILTER_IDS)] = None,
) -> dict[str, Any]:
    where = ["archived_at IS NOT NULL" if only_archived else "archived_at IS NULL"]
    params: list[Any] = []
    if ingest_alias is not None:
        where.append("id IN (SELECT customer_id FROM customer_aliases WHERE alias = ?)")
        params.append(ingest_alias)
    if customer_ids:
        # The SDK joins list parameters with commas; plain repeats work too.
        ids = [part for value in customer_ids for part in value.split(",") if part]
        if len(ids) > MAX_FILTER_IDS:
            raise ApiError(400, f"customer_ids: at most {MAX_FILTER_IDS} ids")
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params += ids
    if salesforce_account_ids:
        marks = ",".join("?" * len(salesforce_account_ids))
        where.append(f"json_extract(doc, '$.customer_config.salesforce_account_id') IN ({marks})")
        params += salesforce_account_ids
    page = fetch_page(
        backend_db(request),
        table="customers",
        where=" AND ".join(where),
        params=params,
        limit=limit,
        cursor=next_page,
        param="next_page",
    )
    return {"data": page.docs, "next_page": page.next_cursor}


@router.post("/v1/customers")
def create_customer(request: Request, body: CustomerCreate) -> dict[str, Any]:
    """Create a customer and, in the same transaction, its billing configurations."""
    now = backend_now(request)
    aliases = [body.external_id] if body.external_id else []
    with backend_db(request).transaction() as conn:
        customer = insert_customer(
            conn,
            name=body.name,
            created_at=now,
            ingest_aliases=aliases + body.ingest_aliases,
            custom_fields=body.custom_fields,
        )
        for index, config in enumerate(body.customer_billing_provider_configurations):
            insert_billing_configuration(
                conn,
                customer_id=customer["id"],
                billing_provider=config.billing_provider,
                delivery_method=config.method,
                configuration=config.configuration,
                created_at=now,
                config_id=derived_id(customer["id"], f"billing_provider_configurations/{index}"),
            )
    summary = {
        key: customer[key]
        for key in ("id", "external_id", "ingest_aliases", "name", "custom_fields")
    }
    return {"data": summary}


@router.get("/v1/customers/{customer_id}")
def get_customer(request: Request, customer_id: str) -> dict[str, Any]:
    return {"data": require_customer(backend_db(request), customer_id)}


@router.post("/v1/getCustomerBillingProviderConfigurations")
def get_billing_configurations(
    request: Request, body: BillingConfigurationsQuery
) -> dict[str, Any]:
    db = backend_db(request)
    require_customer(db, body.customer_id)
    live = "" if body.include_archived else " AND archived_at IS NULL"
    docs = db.docs(
        f"SELECT doc FROM billing_configurations WHERE customer_id = ?{live} ORDER BY seq",
        (body.customer_id,),
    )
    return {"data": docs}


@router.post("/v1/setCustomerBillingProviderConfigurations")
def set_billing_configurations(request: Request, body: SetBillingConfigurations) -> dict[str, Any]:
    """Add configurations to existing customers, all or none."""
    now = backend_now(request)
    created = []
    with backend_db(request).transaction() as conn:
        for item in body.data:
            created.append(
                insert_billing_configuration(
                    conn,
                    customer_id=item.customer_id,
                    billing_provider=item.billing_provider,
                    delivery_method=item.method,
                    configuration=item.configuration,
                    created_at=now,
                )
            )
    keys = ("id", "billing_provider", "configuration", "customer_id", "delivery_method_id")
    return {"data": [{key: doc[key] for key in keys} for doc in created]}


@router.get("/v1/customers/{customer_id}/invoices")
def list_invoices(
    request: Request,
    customer_id: str,
    limit: PageLimit = DEFAULT_LIMIT,
    next_page: str | None = None,
    status: str | None = None,
    contract_id: str | None = None,
    starting_on: Annotated[AwareDatetime | None, Query()] = None,
    ending_before: Annotated[AwareDatetime | None, Query()] = None,
    sort: Literal["date_asc", "date_desc"] = "date_asc",
    skip_zero_qty_line_items: bool = False,
) -> dict[str, Any]:
    """A customer's invoices; `starting_on` bounds the period start (inclusive) and
    `ending_before` the period end (exclusive), as documented upstream."""
    db = backend_db(request)
    require_customer(db, customer_id)
    where = ["customer_id = ?"]
    params: list[Any] = [customer_id]
    filters: list[tuple[str, object | None]] = [
        ("status = ?", status.upper() if status else None),
        ("json_extract(doc, '$.contract_id') = ?", contract_id),
        ("start_timestamp >= ?", iso_or_none(starting_on)),
        ("end_timestamp < ?", iso_or_none(ending_before)),
    ]
    for clause, value in filters:
        if value is not None:
            where.append(clause)
            params.append(value)
    page = fetch_page(
        db,
        table="invoices",
        where=" AND ".join(where),
        params=params,
        limit=limit,
        cursor=next_page,
        param="next_page",
        sort_key=INVOICE_DATE,
        descending=sort == "date_desc",
    )
    docs = [_shown_invoice(doc, skip_zero_qty_line_items) for doc in page.docs]
    return {"data": docs, "next_page": page.next_cursor}


@router.get("/v1/customers/{customer_id}/invoices/{invoice_id}")
def get_invoice(
    request: Request, customer_id: str, invoice_id: str, skip_zero_qty_line_items: bool = False
) -> dict[str, Any]:
    db = backend_db(request)
    require_customer(db, customer_id)
    docs = db.docs(
        "SELECT doc FROM invoices WHERE id = ? AND customer_id = ?", (invoice_id, customer_id)
    )
    if not docs:
        raise ApiError(404, f"invoice {invoice_id} not found")
    return {"data": _shown_invoice(docs[0], skip_zero_qty_line_items)}


def _shown_invoice(invoice: dict[str, Any], skip_zero_qty_line_items: bool) -> dict[str, Any]:
    """The invoice, without its line items of zero quantity when asked."""
    if not skip_zero_qty_line_items:
        return invoice
    items = [item for item in invoice["line_items"] if item.get("quantity") != 0]
    return {**invoice, "line_items": items}

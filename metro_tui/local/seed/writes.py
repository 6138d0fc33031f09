"""Writing the planned demo dataset through the local backend's own storage functions, so the
seeded documents are exactly what the API endpoints would have stored."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from metro_tui.local.metronome.contract_doc import store_contract
from metro_tui.local.metronome.invoice_store import INSERT_INVOICE, invoice_doc, invoice_row
from metro_tui.local.metronome.store import (
    RateSpec,
    insert_billing_configuration,
    insert_customer,
    insert_product,
    insert_rate_card,
)
from metro_tui.local.seed.catalog import SUBSCRIPTION, Catalog
from metro_tui.local.seed.contracts import Contract
from metro_tui.local.seed.customers import MetronomeCustomer, StripeCustomer
from metro_tui.local.seed.invoices import Invoice
from metro_tui.local.stripe.store import insert_stripe_customer


def write_catalog(conn: sqlite3.Connection, catalog: Catalog) -> None:
    for product in catalog.products.values():
        insert_product(
            conn,
            product_id=product.id,
            name=product.name,
            type=product.type,
            tags=list(product.tags),
            created_at=catalog.created_at,
        )
    for card in catalog.rate_cards.values():
        rates = [
            RateSpec(
                product_id=catalog.products[key].id,
                price_cents=price,
                starting_at=catalog.rates_start,
                billing_frequency="MONTHLY" if catalog.products[key].type == SUBSCRIPTION else None,
            )
            for key, price in card.prices.items()
        ]
        insert_rate_card(
            conn,
            rate_card_id=card.id,
            name=card.name,
            description=card.description,
            created_at=catalog.created_at,
            rates=rates,
        )


def write_stripe_customers(conn: sqlite3.Connection, customers: Iterable[StripeCustomer]) -> None:
    for customer in customers:
        insert_stripe_customer(
            conn,
            customer_id=customer.id,
            name=customer.company.name,
            email=customer.company.email,
            created=int(customer.created.timestamp()),
            metadata={"segment": customer.segment},
        )


def write_metronome_customers(
    conn: sqlite3.Connection, customers: Iterable[MetronomeCustomer]
) -> None:
    """Each customer with its Stripe billing configuration, if it has one."""
    for customer in customers:
        insert_customer(
            conn,
            name=customer.name,
            created_at=customer.created_at,
            customer_id=customer.id,
            ingest_aliases=customer.ingest_aliases,
        )
        if customer.stripe_customer_id is None:
            continue
        insert_billing_configuration(
            conn,
            customer_id=customer.id,
            billing_provider="stripe",
            delivery_method="direct_to_billing_provider",
            configuration={
                "stripe_customer_id": customer.stripe_customer_id,
                "stripe_collection_method": customer.collection_method,
            },
            created_at=customer.created_at,
            config_id=customer.config_id,
            archived_at=customer.config_archived_at,
        )


def write_contracts(conn: sqlite3.Connection, contracts: Iterable[Contract]) -> None:
    """The documents `insert_contract` would store. The seed made every body itself, for
    customers, products and rate cards it wrote before: it needs no validating."""
    for contract in contracts:
        store_contract(conn, contract.body, contract_id=contract.id, created_at=contract.created_at)


def product_documents(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Every stored product document, by id: read once for all the invoices that bill them."""
    return {row[0]: json.loads(row[1]) for row in conn.execute("SELECT id, doc FROM products")}


def write_invoices(
    conn: sqlite3.Connection, invoices: Iterable[Invoice], products: dict[str, dict[str, Any]]
) -> None:
    """The documents `insert_invoice` would store, in one statement. The seed made every
    invoice itself, for customers and products it wrote before: nothing needs checking."""
    rows = [
        invoice_row(
            invoice_doc(
                customer_id=invoice.customer_id,
                invoice_id=invoice.id,
                status=invoice.status,
                start_timestamp=invoice.start,
                end_timestamp=invoice.end,
                line_items=list(invoice.line_items),
                contract_id=invoice.contract_id,
                issued_at=invoice.issued_at,
                products=products,
                invoice_type=invoice.type,
            )
        )
        for invoice in invoices
    ]
    conn.executemany(INSERT_INVOICE, rows)

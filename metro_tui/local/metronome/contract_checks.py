"""The checks of a create-contract request against stored records: the rate card, products,
credit types and subscription rates it names must exist (else 400). The billing configuration
it names is looked up, and checked, as its document is built (`contract_doc`)."""

from __future__ import annotations

import sqlite3

from metro_tui.local.errors import ApiError
from metro_tui.local.metronome.contract_schemas import ContractCreate, SubscriptionInput
from metro_tui.local.metronome.records import USD_CREDIT_TYPE_ID, load_doc, product_docs


def check_references(conn: sqlite3.Connection, request: ContractCreate) -> None:
    """400 for a rate card, product or credit type the body names that does not exist."""
    if (
        request.rate_card_id is not None
        and load_doc(conn, "rate_cards", request.rate_card_id) is None
    ):
        raise ApiError(400, f"rate_card_id: unknown rate card {request.rate_card_id}")
    grants = [
        *request.commits,
        *request.credits,
        *request.recurring_commits,
        *request.recurring_credits,
    ]
    for product in product_docs(
        conn, [grant.product_id for grant in grants], "product_id"
    ).values():
        if product["type"] != "FIXED":
            raise ApiError(
                400,
                f"product_id: commits and credits need a FIXED product, "
                f"{product['id']} is {product['type']}",
            )
    product_docs(
        conn,
        [pid for grant in grants for pid in grant.applicable_product_ids or []],
        "applicable_product_ids",
    )
    for override in request.overrides:
        named = [override.product_id, *(s.product_id for s in override.override_specifiers or [])]
        product_docs(conn, [pid for pid in named if pid], "overrides.product_id")
    if any(kind not in (None, USD_CREDIT_TYPE_ID) for kind in _credit_type_ids(request)):
        raise ApiError(400, "credit_type_id: unknown credit type")
    for subscription in request.subscriptions:
        _check_subscription_rate(conn, request.rate_card_id, subscription)


def _credit_type_ids(request: ContractCreate) -> list[str | None]:
    """Every credit type the body names; USD (cents) is the only one the backend knows."""
    named: list[str | None] = []
    for commit in request.commits:
        named += [s.credit_type_id for s in (commit.access_schedule, commit.invoice_schedule) if s]
    named += [credit.access_schedule.credit_type_id for credit in request.credits]
    for recurring in [*request.recurring_commits, *request.recurring_credits]:
        named.append(recurring.access_amount.credit_type_id)
    named += [
        c.invoice_amount.credit_type_id
        for c in request.recurring_commits
        if c.invoice_amount is not None
    ]
    return named


def _check_subscription_rate(
    conn: sqlite3.Connection, rate_card_id: str | None, subscription: SubscriptionInput
) -> None:
    """A subscription's product and billing frequency must match a rate on the rate card."""
    rate = subscription.subscription_rate
    if rate_card_id is None:
        raise ApiError(400, "subscriptions: a contract with subscriptions needs a rate_card_id")
    found = conn.execute(
        "SELECT 1 FROM rates WHERE rate_card_id = ? AND product_id = ? "
        "AND json_extract(doc, '$.billing_frequency') = ?",
        (rate_card_id, rate.product_id, rate.billing_frequency),
    ).fetchone()
    if found is None:
        raise ApiError(
            400,
            f"subscription_rate: no {rate.billing_frequency} rate for product "
            f"{rate.product_id} on rate card {rate_card_id}",
        )

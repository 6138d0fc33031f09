"""The showcase customer: one linked customer whose contract has every term the customer page
shows, and a commit and credits in each state a balance can be in.

Its contract (the oldest single, still active contract of a linked customer: the longer its
invoice history the better) gets a discount on tagged products, ten seats (where its rate card
prices seats) and the grants of `SHOWCASE_GRANTS`, sized from its planned monthly charges so
that, whatever the seed, the prepaid commit is partly used, the onboarding credit fully used
and the launch promotion expired with a remainder.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from metro_tui.local.seed.catalog import Catalog
from metro_tui.local.seed.contracts import (
    USD_CREDIT_TYPE_ID,
    Contract,
    Discount,
    _access,
    _overrides,
    _subscription,
)
from metro_tui.local.seed.customers import LINKED
from metro_tui.local.seed.draws import add_months, month_start, months_between, timestamp

DISCOUNT = Discount(0.85, ("compute", "ai"), datetime.min, None)  # dates set per contract
SEATS = 10
DISCOUNT_MONTHS_AHEAD = 6  # the discount ends on the 1st, six months after this one


@dataclass(frozen=True)
class ShowcaseGrant:
    """A commit or credit of the showcase contract, in multiples of its monthly charges."""

    kind: str  # "commits" or "credits"
    product_key: str
    name: str
    monthly_charges: float  # amount granted, in months of the planned charges it covers
    months: int  # length of the access schedule from the contract start
    priority: int
    state: str  # what is left of it today, by construction


SHOWCASE_GRANTS = (
    # At most 18 months are invoiced, each within 15% of plan: 25 months of today's usage.
    ShowcaseGrant("commits", "prepaid", "Annual prepaid commitment", 48, 36, 2, "partly used"),
    ShowcaseGrant("credits", "onboarding", "Onboarding credit", 0.25, 36, 1, "fully used"),
    ShowcaseGrant("credits", "promo", "Launch promotion", 3, 1, 1, "expired"),
)
PAID_SHARE = 0.9  # the customer pays 90% of the prepaid commit's value


def feature_showcase(
    contracts: list[Contract], catalog: Catalog, now: datetime
) -> tuple[list[Contract], str | None]:
    """The contracts with the showcase contract rewritten, and its customer's id."""
    chosen = _showcase_contract(contracts, now)
    if chosen is None:
        return contracts, None
    featured = _featured(contracts[chosen], catalog, now)
    return [*contracts[:chosen], featured, *contracts[chosen + 1 :]], featured.customer.id


def _showcase_contract(contracts: list[Contract], now: datetime) -> int | None:
    """The index of the linked customer's only contract, active now, that started longest
    ago (at least two months ago, so the launch promotion has ended)."""
    per_customer: dict[str, int] = {}
    for contract in contracts:
        per_customer[contract.customer.id] = per_customer.get(contract.customer.id, 0) + 1
    candidates = [
        index
        for index, c in enumerate(contracts)
        if c.customer.link == LINKED
        and per_customer[c.customer.id] == 1
        and c.is_active(now)
        and c.usage
        and months_between(c.starting_at, now) >= 2
    ]
    # A rate card that prices seats first, so the contract can have its seats subscription.
    return min(
        candidates,
        key=lambda i: ("seats" not in contracts[i].rate_card.prices, contracts[i].starting_at, i),
        default=None,
    )


def _featured(contract: Contract, catalog: Catalog, now: datetime) -> Contract:
    start = contract.starting_at
    discount = replace(
        DISCOUNT,
        starting_at=start,
        ending_before=add_months(month_start(now), DISCOUNT_MONTHS_AHEAD),
    )
    prices = contract.rate_card.prices
    subscriptions = contract.subscriptions
    if "seats" in prices:
        seats = catalog.products["seats"]
        others = tuple(s for s in subscriptions if s[0] is not seats)
        subscriptions = (*others, (seats, SEATS))
    # Usage grows month on month: planned at its size today, every past month is below it
    # (or at most 20% above, for a customer whose usage shrinks 1% a month).
    growth = (1 + contract.customer.growth) ** months_between(contract.customer.created_at, now)
    usage = growth * sum(quantity * prices[p.key] for p, quantity in contract.usage)
    fees = sum(quantity * prices[p.key] for p, quantity in subscriptions)
    body = dict(contract.body)
    entitlements = [o for o in body.get("overrides", []) if o.get("type") != "MULTIPLIER"]
    body["overrides"] = _overrides(discount, None, start) + entitlements
    body["subscriptions"] = [_subscription(p, quantity, start) for p, quantity in subscriptions]
    body.pop("recurring_commits", None)
    body["commits"] = []
    body["credits"] = []
    for grant in SHOWCASE_GRANTS:
        # The commit covers usage only, the credits every charge: each is sized on what it covers.
        covered = usage if grant.kind == "commits" else usage + fees
        body[grant.kind].append(_grant_body(grant, catalog, covered, contract))
    return replace(contract, subscriptions=subscriptions, discount=discount, body=body)


def _grant_body(
    grant: ShowcaseGrant, catalog: Catalog, monthly: float, contract: Contract
) -> dict[str, Any]:
    start = contract.starting_at
    amount = float(round(monthly * grant.monthly_charges, -2))
    doc: dict[str, Any] = {
        "product_id": catalog.products[grant.product_key].id,
        "name": grant.name,
        "priority": grant.priority,
        "access_schedule": _access(amount, start, add_months(start, grant.months)),
    }
    if grant.kind == "commits":
        paid = float(round(amount * PAID_SHARE, -2))
        doc["type"] = "PREPAID"
        # Usage only: the subscription stays on the invoices, which keep a total to pay.
        doc["applicable_product_ids"] = [product.id for product, _ in contract.usage]
        doc["invoice_schedule"] = {
            "credit_type_id": USD_CREDIT_TYPE_ID,
            "schedule_items": [{"timestamp": timestamp(start), "amount": paid}],
        }
    return doc

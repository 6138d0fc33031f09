"""Rates in effect at a moment: a rate card's (getRates) and a contract's (getContractRateSchedule).

Every stored timestamp is written by `clock.iso`, so ISO strings compare in time order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from metro_tui.local.clock import iso
from metro_tui.local.db import Database
from metro_tui.local.metronome.schemas import RateSelector


def rate_card_rates(db: Database, rate_card_id: str, at: datetime) -> list[dict[str, Any]]:
    """The getRates items of a rate card in effect at `at`, in rate card order."""
    moment = iso(at)
    return db.docs(
        "SELECT doc FROM rates WHERE rate_card_id = ? AND starting_at <= ? "
        "AND (ending_before IS NULL OR ending_before > ?) ORDER BY seq",
        (rate_card_id, moment, moment),
    )


def select_rates(
    rates: list[dict[str, Any]], selectors: list[RateSelector]
) -> list[dict[str, Any]]:
    """The rates matching any selector; all of them when there is none."""
    if not selectors:
        return rates
    return [rate for rate in rates if any(_selects(s, rate) for s in selectors)]


def _selects(selector: RateSelector, rate: dict[str, Any]) -> bool:
    if selector.product_id is not None and selector.product_id != rate["product_id"]:
        return False
    if selector.product_tags and not set(selector.product_tags) & set(rate["product_tags"]):
        return False
    return selector.billing_frequency is None or (
        selector.billing_frequency == rate.get("billing_frequency")
    )


def _in_effect(doc: dict[str, Any], moment: str) -> bool:
    ending_before = doc.get("ending_before")
    return bool(doc["starting_at"] <= moment and (ending_before is None or moment < ending_before))


def _applies(override: dict[str, Any], rate: dict[str, Any]) -> bool:
    """Whether an override targets the rate's product, by id or by tag."""
    tags = set(rate["product_tags"])
    if override.get("product", {}).get("id") == rate["product_id"]:
        return True
    if tags & set(override.get("applicable_product_tags", [])):
        return True
    return any(
        spec.get("product_id", rate["product_id"]) == rate["product_id"]
        and (not spec.get("product_tags") or bool(tags & set(spec["product_tags"])))
        for spec in override.get("override_specifiers", [])
    )


def _scaled(rate: dict[str, Any], multiplier: float) -> dict[str, Any]:
    scaled = dict(rate)
    if "price" in rate:
        scaled["price"] = round(rate["price"] * multiplier, 10)
    if "tiers" in rate:
        scaled["tiers"] = [
            {**tier, "price": round(tier["price"] * multiplier, 10)} for tier in rate["tiers"]
        ]
    return scaled


def contract_rate_schedule(
    contract: dict[str, Any], rates: list[dict[str, Any]], at: datetime
) -> list[dict[str, Any]]:
    """The contract's entitled rates at `at`: its rate card's rates with its overrides applied.

    Entitlement overrides decide `entitled` (the latest-starting one wins) and, as upstream
    documents, only entitled rates are returned. Of the MULTIPLIER overrides that apply, the
    lowest multiplier wins, or under EXPLICIT prioritization the lowest priority.
    """
    moment = iso(at)
    if not _in_effect(contract, moment):
        return []
    live = sorted(
        (o for o in contract["overrides"] if _in_effect(o, moment)), key=lambda o: o["starting_at"]
    )
    explicit = contract.get("multiplier_override_prioritization") == "EXPLICIT"
    schedule = []
    for rate in rates:
        applying = [o for o in live if _applies(o, rate)]
        entitled = rate["entitled"]
        for override in applying:
            entitled = override.get("entitled", entitled)
        if not entitled:
            continue
        multipliers = [o for o in applying if o.get("type") == "MULTIPLIER"]
        chosen = min(
            multipliers, key=lambda o: o["priority"] if explicit else o["multiplier"], default=None
        )
        item = _schedule_item(contract, rate, [contract, rate, *applying])
        if chosen is not None:
            item["override_rate"] = _scaled(rate["rate"], chosen["multiplier"])
        schedule.append(item)
    return schedule


def _schedule_item(
    contract: dict[str, Any], rate: dict[str, Any], bounds: list[dict[str, Any]]
) -> dict[str, Any]:
    """A ContractRateSchedule segment: the span where the rate, the contract and every
    applying override all hold."""
    ends = [doc["ending_before"] for doc in bounds if doc.get("ending_before")]
    item: dict[str, Any] = {
        "rate_card_id": contract["rate_card_id"],
        "product_id": rate["product_id"],
        "product_name": rate["product_name"],
        "product_tags": rate["product_tags"],
        "product_custom_fields": rate["product_custom_fields"],
        "starting_at": max(doc["starting_at"] for doc in bounds),
        "entitled": True,
        "list_rate": rate["rate"],
    }
    if ends:
        item["ending_before"] = min(ends)
    if "billing_frequency" in rate:
        item["billing_frequency"] = rate["billing_frequency"]
    return item

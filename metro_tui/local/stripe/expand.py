"""`expand[]` on the Stripe customer reads: which fields can be expanded, and expanding them.

Stripe refuses to expand a field that is not expandable ("This property cannot be expanded").
The local customers hold no payment sources, test clocks or default payment methods, so an
expandable reference is null and stays null; what a customer includes only on request is
included as a customer with nothing of it has it: empty `sources`, `subscriptions` and
`tax_ids` lists, no cash balance, no tax location. Lists and searches expand their items'
fields as `data.<field>`; a search can also add its `total_count`.
"""

from __future__ import annotations

from typing import Any

from metro_tui.local.errors import ApiError

LIST_ITEM = "data."
TOTAL_COUNT = "total_count"
# References that expand to an object in place; null here, so expanding leaves them null.
_REFERENCES = frozenset({"default_source", "test_clock", "invoice_settings.default_payment_method"})
# Fields left out of a customer unless expanded.
_INCLUDABLE_LISTS = frozenset({"sources", "subscriptions", "tax_ids"})
_INCLUDABLE = _INCLUDABLE_LISTS | {"cash_balance", "tax"}

Params = dict[str, str | dict[str, str]]


def expansions(params: Params, item_prefix: str, *own_fields: str) -> frozenset[str]:
    """The customer fields to expand (and any of `own_fields` asked for); a field that cannot be
    expanded is a 400. `item_prefix` is how the request addresses one customer's fields."""
    value = params.get("expand")
    if value is None:
        return frozenset()
    requested = [value] if isinstance(value, str) else list(value.values())
    fields: set[str] = set()
    for path in requested:
        if path in own_fields:
            fields.add(path)
            continue
        field = path.removeprefix(item_prefix) if path.startswith(item_prefix) else None
        if field not in _REFERENCES | _INCLUDABLE:
            raise ApiError(400, f"This property cannot be expanded ({path}).", param="expand")
        fields.add(field)
    return frozenset(fields)


def expanded(customer: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """The customer with the fields it includes only on request, where asked for."""
    included = {name: _included(customer, name) for name in sorted(fields & _INCLUDABLE)}
    return {**customer, **included} if included else customer


def _included(customer: dict[str, Any], name: str) -> dict[str, Any]:
    if name == "cash_balance":
        return {
            "object": "cash_balance",
            "available": None,
            "customer": customer["id"],
            "livemode": customer["livemode"],
            "settings": {"reconciliation_mode": "automatic", "using_merchant_default": True},
        }
    if name == "tax":  # no address, so Stripe Tax cannot place the customer
        return {"automatic_tax": "unrecognized_location", "ip_address": None, "location": None}
    return {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": f"/v1/customers/{customer['id']}/{name}",
    }

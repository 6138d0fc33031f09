"""The demo's commit purchase invoices: what the customer pays for its prepaid commits.

Metronome bills each item of a prepaid commit's invoice schedule on a SCHEDULED invoice of its
own, whose one `commit_purchase` line item names the commit; a recurring commit bills each
period's commit the same way, at the period's start. Each is FINALIZED on its date, so only
those dated by now exist, and, like the usage statements, only those of the invoiced history.
The billing period of a purchase is its day, so it counts in the month it is billed in; its
line is named after the commit's product, as every line of the demo invoices is.
Postpaid commits are billed when they are trued up, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from metro_tui.local.metronome.contract_doc import priced
from metro_tui.local.metronome.records import derived_id
from metro_tui.local.metronome.recurring import recurring_periods
from metro_tui.local.metronome.store import LineItemSpec
from metro_tui.local.seed.contracts import Contract
from metro_tui.local.seed.invoices import FINALIZED, Invoice

SCHEDULED = "SCHEDULED"
PURCHASE_PERIOD = timedelta(days=1)


def commit_purchases(
    contract: Contract, now: datetime, first_month: datetime, product_names: Mapping[str, str]
) -> list[Invoice]:
    """The contract's purchase invoices dated from `first_month` to `now`, oldest first;
    `product_names` names each product by its id."""
    purchases = [
        *_scheduled_purchases(contract, product_names),
        *_recurring_purchases(contract, now, product_names),
    ]
    dated = [invoice for invoice in purchases if first_month <= invoice.start <= now]
    return sorted(dated, key=lambda invoice: invoice.start)


def _scheduled_purchases(contract: Contract, product_names: Mapping[str, str]) -> list[Invoice]:
    invoices = []
    for index, commit in enumerate(contract.body.get("commits", [])):
        schedule = commit.get("invoice_schedule")
        if commit["type"] != "PREPAID" or schedule is None or schedule.get("do_not_invoice"):
            continue
        commit_id = derived_id(contract.id, f"commits/{index}")
        for item_index, item in enumerate(schedule["schedule_items"]):
            amount, quantity, unit_price = priced(item)
            item_id = derived_id(contract.id, f"commits/{index}/invoice_schedule/{item_index}")
            line = _purchase_line(
                product_names, commit["product_id"], commit_id, (amount, quantity, unit_price)
            )
            invoices.append(
                _invoice(contract, item_id, datetime.fromisoformat(item["timestamp"]), line)
            )
    return invoices


def _recurring_purchases(
    contract: Contract, now: datetime, product_names: Mapping[str, str]
) -> list[Invoice]:
    invoices = []
    usage_invoices = contract.usage_invoices()
    for index, recurring in enumerate(contract.body.get("recurring_commits", [])):
        invoiced = recurring.get("invoice_amount")
        if invoiced is None:
            continue
        recurring_id = derived_id(contract.id, f"recurring_commits/{index}")
        for period in recurring_periods(recurring, now, usage_invoices):
            # A prorated last period bills its share of the quantity, as its commit lists.
            quantity = invoiced["quantity"] * period.share
            unit_price = invoiced["unit_price"]
            commit_id = period.grant_id(recurring_id)
            priced = (unit_price * quantity, quantity, unit_price)
            line = _purchase_line(product_names, recurring["product_id"], commit_id, priced)
            item_id = period.invoice_item_id(recurring_id)
            invoices.append(_invoice(contract, item_id, period.starting_at, line))
    return invoices


def _purchase_line(
    product_names: Mapping[str, str],
    product_id: str,
    commit_id: str,
    priced: tuple[float, float, float],
) -> LineItemSpec:
    """The line paying for `commit_id`: `priced` is its (amount, quantity, unit price)."""
    amount, quantity, unit_price = priced
    return LineItemSpec(
        product_names[product_id],
        product_id,
        round(amount),
        quantity,
        unit_price,
        purchased_commit_id=commit_id,
    )


def _invoice(contract: Contract, item_id: str, billed: datetime, line: LineItemSpec) -> Invoice:
    return Invoice(
        id=derived_id(item_id, "invoice"),
        customer_id=contract.customer.id,
        contract_id=contract.id,
        status=FINALIZED,
        start=billed,
        end=billed + PURCHASE_PERIOD,
        issued_at=billed,
        line_items=(line,),
        type=SCHEDULED,
    )

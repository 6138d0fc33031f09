"""`metro-tui export`: the Overview and Customers figures for scripts and spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime
from typing import Any, TextIO

from metro_tui.customer_columns import COLUMNS, ExportField
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerRow, OverviewFigures, customer_rows, overview_figures

METRONOME_CUSTOMER_ID = ExportField("metronome_customer_id", lambda row: row.metronome_customer_id)
"""Not a column on screen, but the other key a script joins on."""
CUSTOMER_FIELDS: tuple[ExportField, ...] = (
    *(column.export for column in COLUMNS if column.identifies),
    METRONOME_CUSTOMER_ID,
    *(column.export for column in COLUMNS if not column.identifies),
)
"""The ids first, then every column of the Customers table in its order."""


def overview_document(figures: OverviewFigures) -> dict[str, Any]:
    return {
        "total_revenue_cents": figures.total_revenue_cents,
        "revenue_last_month_cents": figures.revenue_last_month.last_month_cents,
        "revenue_by_month": [asdict(month) for month in figures.revenue_by_month],
        "new_customers": figures.new_customers,
        "top_products": [
            {"name": product.name, "amount_cents": product.amount_cents}
            for product in figures.top_products
        ],
        "usage_events": (
            None
            if figures.usage_events is None
            else [
                {"date": day.day.isoformat(), "total": day.total, "duplicates": day.duplicates}
                for day in figures.usage_events
            ]
        ),
    }


def customers_help() -> str:
    """What `metro-tui export --help` says a customer record holds."""
    names = ", ".join(field.name for field in CUSTOMER_FIELDS)
    return (
        f"customers: one record per linked customer, with {names}. "
        "customer ID: that customer's page (contracts with their terms and balances, "
        "invoices with their line items), by Stripe or Metronome id."
    )


def customer_record(row: CustomerRow) -> dict[str, Any]:
    return {field.name: field.value(row) for field in CUSTOMER_FIELDS}


def write_export(
    what: str, output_format: str, snapshot: AccountSnapshot, now: datetime, out: TextIO
) -> None:
    """Write the overview (JSON) or the linked customers (CSV or JSON) to `out`."""
    if what == "overview":
        if output_format != "json":
            raise ValueError("The overview exports as JSON only (--format json).")
        json.dump(overview_document(overview_figures(snapshot, now)), out, indent=2)
        out.write("\n")
        return
    records = [customer_record(row) for row in customer_rows(snapshot, now)]
    if output_format == "json":
        json.dump(records, out, indent=2)
        out.write("\n")
        return
    buffer = io.StringIO()
    names = [field.name for field in CUSTOMER_FIELDS]
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    out.write(buffer.getvalue())

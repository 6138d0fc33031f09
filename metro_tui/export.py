"""`metro-tui export`: the Overview and Customers figures for scripts and spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import datetime
from typing import Any, TextIO

from metro_tui.services.provisioning import provision_status_text
from metro_tui.sync.snapshot import AccountSnapshot
from metro_tui.view_models import CustomerRow, OverviewFigures, customer_rows, overview_figures

CUSTOMER_FIELDS = (
    "stripe_customer_id",
    "metronome_customer_id",
    "name",
    "email",
    "date_created",
    "lifetime_billings_cents",
    "provision_status",
)


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


def customer_record(row: CustomerRow) -> dict[str, Any]:
    return {
        "stripe_customer_id": row.stripe_customer_id,
        "metronome_customer_id": row.metronome_customer_id,
        "name": row.name,
        "email": row.email,
        "date_created": row.date_created.date().isoformat(),
        "lifetime_billings_cents": row.lifetime_billings_cents,
        "provision_status": (
            None if row.status_error is not None else provision_status_text(row.provision_status)
        ),
    }


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
    writer = csv.DictWriter(buffer, fieldnames=CUSTOMER_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    out.write(buffer.getvalue())

"""The Customers columns are one list: the table, the export and the README all follow it."""

from __future__ import annotations

import re
from pathlib import Path

from metro_tui.customer_columns import COLUMNS, CustomerColumn
from metro_tui.export import CUSTOMER_FIELDS

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme() -> str:
    return " ".join(README.read_text(encoding="utf-8").split())


def test_every_key_has_one_column_in_the_order_of_the_keys() -> None:
    assert [column.key for column in COLUMNS] == list(CustomerColumn)


def test_the_export_writes_the_ids_first_then_the_columns_in_the_table_order() -> None:
    assert [field.name for field in CUSTOMER_FIELDS] == [
        "stripe_customer_id",
        "metronome_customer_id",
        "name",
        "email",
        "date_created",
        "lifetime_billings_cents",
        "provision_status",
    ]


def test_the_readme_names_the_columns_in_the_table_order() -> None:
    *first, last = (column.title for column in COLUMNS)
    listed = f"the linked customers with {', '.join(first)} and {last}, newest first"
    assert listed.casefold() in _readme().casefold()


def test_the_readme_lists_the_exported_fields_in_order() -> None:
    text = _readme()
    start = text.index("`customers` prints one row per linked customer:")
    fields = text[start : text.index("(", start)]
    assert re.findall(r"`(\w+)`", fields)[1:] == [field.name for field in CUSTOMER_FIELDS]

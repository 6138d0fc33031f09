"""Top products: FINALIZED line items grouped by product, top 5 then "Other"."""

from __future__ import annotations

from datetime import UTC, datetime

from metro_tui.models import Invoice, InvoiceLineItem
from metro_tui.services.products import ProductRevenue, top_products
from metro_tui.sync.line_table import LineTable, TabledLines


def invoice(items: list[InvoiceLineItem], status: str = "FINALIZED", end_day: int = 1) -> Invoice:
    return Invoice(
        id=f"inv-{status}-{end_day}",
        customer_id="m1",
        status=status,
        start_timestamp=datetime(2026, 9, end_day, tzinfo=UTC),
        end_timestamp=datetime(2026, 10, end_day, tzinfo=UTC),
        total_cents=sum(item.total_cents for item in items),
        line_items=tuple(items),
    )


def item(name: str, cents: int, product_id: str | None = None) -> InvoiceLineItem:
    return InvoiceLineItem(name=name, product_id=product_id, total_cents=cents)


def products(*amounts: tuple[str, int]) -> list[Invoice]:
    """One FINALIZED invoice with one line item per (product, amount)."""
    return [invoice([item(name, cents, f"p-{name}") for name, cents in amounts])]


def test_grouped_by_product_id_across_invoices_finalized_only() -> None:
    invoices = [
        invoice([item("API calls", 300, "p1"), item("Storage", 300, "p2")], end_day=1),
        invoice([item("API calls", 200, "p1")], end_day=2),
        invoice([item("API calls", 9_999, "p1")], status="DRAFT", end_day=3),
        invoice([item("Storage", 9_999, "p2")], status="VOID", end_day=4),
    ]
    assert top_products(invoices) == [
        ProductRevenue("API calls", 500, 0.625),
        ProductRevenue("Storage", 300, 0.375),
    ]


def test_line_items_without_a_product_group_by_name() -> None:
    invoices = [
        invoice([item("Platform fee", 250), item("Platform fee", 250), item("Seats", 500, "p1")])
    ]
    assert top_products(invoices) == [
        ProductRevenue("Platform fee", 500, 0.5),
        ProductRevenue("Seats", 500, 0.5),
    ]


def test_a_name_without_id_does_not_merge_with_a_product_id_of_that_text() -> None:
    invoices = [invoice([item("p1", 100), item("Seats", 300, "p1")])]
    assert top_products(invoices) == [
        ProductRevenue("Seats", 300, 0.75),
        ProductRevenue("p1", 100, 0.25),
    ]


def test_a_renamed_product_shows_its_latest_name() -> None:
    invoices = [
        invoice([item("Compute (new)", 100, "p1")], end_day=20),
        invoice([item("Compute", 300, "p1")], end_day=5),
    ]
    assert top_products(invoices) == [ProductRevenue("Compute (new)", 400, 1.0)]


def test_ties_are_ordered_by_name() -> None:
    rows = top_products(products(("Zeta", 200), ("Alpha", 200), ("Mid", 400)))
    assert [(row.name, row.amount_cents) for row in rows] == [
        ("Mid", 400),
        ("Alpha", 200),
        ("Zeta", 200),
    ]


def test_fewer_than_five_products_have_no_other() -> None:
    rows = top_products(products(("A", 100), ("B", 300)))
    assert rows == [ProductRevenue("B", 300, 0.75), ProductRevenue("A", 100, 0.25)]


def test_exactly_five_products_have_no_other() -> None:
    rows = top_products(products(("A", 500), ("B", 400), ("C", 300), ("D", 200), ("E", 100)))
    assert [row.name for row in rows] == ["A", "B", "C", "D", "E"]


def test_the_rest_is_summed_as_other_last() -> None:
    rows = top_products(
        products(("A", 100), ("B", 200), ("C", 50), ("D", 300), ("E", 25), ("F", 75), ("G", 250))
    )
    assert rows == [
        ProductRevenue("D", 300, 0.3),
        ProductRevenue("G", 250, 0.25),
        ProductRevenue("B", 200, 0.2),
        ProductRevenue("A", 100, 0.1),
        ProductRevenue("F", 75, 0.075),
        ProductRevenue("Other", 75, 0.075),
    ]


def test_other_can_be_larger_than_the_fifth_product_and_still_comes_last() -> None:
    rows = top_products(products(*[(f"P{i}", 10) for i in range(9)]), limit=2)
    assert [(row.name, row.amount_cents) for row in rows] == [
        ("P0", 10),
        ("P1", 10),
        ("Other", 70),
    ]


def test_no_revenue_no_rows() -> None:
    assert top_products([]) == []
    assert top_products([invoice([item("A", 0, "p1")])]) == [ProductRevenue("A", 0, 0.0)]


def test_lines_kept_in_a_table_sum_as_their_records_do() -> None:
    table = LineTable()
    table.name_products([("Compute", "p1"), ("Compute (new)", "p1"), ("Platform fee", None)])
    table.extend([(0, 300), (1, 100), (2, 250), (0, 9_999)])

    def tabled(refs: list[int], status: str = "FINALIZED", end_day: int = 1) -> Invoice:
        return invoice(list(table.lines_of(refs)), status, end_day)._replace(
            line_items=table.lines_of(refs)
        )

    invoices = [
        tabled([0, 2], end_day=5),
        tabled([1, 2, 2], end_day=20),
        tabled([3], status="DRAFT", end_day=25),
    ]
    assert all(isinstance(i.line_items, TabledLines) for i in invoices)
    assert top_products(invoices) == [
        ProductRevenue("Platform fee", 750, 0.6521739130434783),
        ProductRevenue("Compute (new)", 400, 0.34782608695652173),
    ]

"""The rows and figures of a growing snapshot, rebuilt only where something came in."""

from __future__ import annotations

from datetime import UTC, datetime

from metro_tui.models import Contract, Invoice, ProvisionStatus, StripeCustomer
from metro_tui.partial_rows import CustomerFigures, PartialRows
from metro_tui.partial_views import PartialViews
from metro_tui.snapshot_additions import AdditionsReader
from metro_tui.sync.snapshot import AccountSnapshot, LoadState
from metro_tui.view_models import CustomerRow, LoadedShare, account_view
from tests.records import config, metronome, stripe

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
ACTIVE = ProvisionStatus.ACTIVE

Summary = tuple[str, str | None, int | None, ProvisionStatus | None, bool, bool]
"""Stripe id, linked Metronome id, lifetime billings, status, billings and status loading."""


def contract(customer_id: str) -> Contract:
    return Contract(f"c-{customer_id}", customer_id, datetime(2026, 1, 1, tzinfo=UTC))


def invoice(customer_id: str, cents: int) -> Invoice:
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 10, 1, tzinfo=UTC)
    return Invoice(f"i-{customer_id}", customer_id, "FINALIZED", start, end, cents)


def loading_snapshot() -> AccountSnapshot:
    return AccountSnapshot(loading=LoadState())


def add_customer(
    snapshot: AccountSnapshot, customer_id: str, stripe_id: str, *, day: int = 1, cents: int = 100
) -> None:
    """A Metronome customer listed, with its configuration, contract and invoice fetched."""
    snapshot.metronome_customers.append(metronome(customer_id, day))
    snapshot.billing_configurations[customer_id] = (config(customer_id, stripe_id),)
    snapshot.contracts[customer_id] = (contract(customer_id),)
    snapshot.invoices[customer_id] = (invoice(customer_id, cents),)


def rows_of(views: PartialViews, snapshot: AccountSnapshot) -> list[Summary]:
    """The rows, checked with every figure against those derived from scratch."""
    view, scratch = views.derive(snapshot), account_view(snapshot, NOW)
    assert view.overview == scratch.overview
    assert view.rows == scratch.rows
    return [
        (
            row.stripe_customer_id,
            row.metronome_customer_id,
            row.lifetime_billings_cents,
            row.provision_status,
            row.billings_loading,
            row.status_loading,
        )
        for row in view.rows
    ]


def test_a_claimant_created_earlier_takes_a_stripe_customer_over() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe("cus_A"), stripe("cus_B")]
    add_customer(snapshot, "m_late", "cus_A", day=9, cents=900)
    rows = PartialViews(NOW)
    assert rows_of(rows, snapshot) == [
        ("cus_A", "m_late", 900, ACTIVE, False, False),
        ("cus_B", None, None, None, False, False),
    ]
    add_customer(snapshot, "m_early", "cus_A", day=2, cents=200)
    assert rows_of(rows, snapshot) == [
        ("cus_A", "m_early", 200, ACTIVE, False, False),
        ("cus_B", None, None, None, False, False),
    ]
    add_customer(snapshot, "m_later", "cus_A", day=5, cents=500)  # created after m_early
    assert rows_of(rows, snapshot)[0] == ("cus_A", "m_early", 200, ACTIVE, False, False)


def test_configurations_that_arrive_before_their_metronome_customer_link_once_it_is_listed() -> (
    None
):
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe("cus_A"), stripe("cus_B")]
    snapshot.billing_configurations["m1"] = (config("m1", "cus_B"),)
    rows = PartialViews(NOW)
    assert rows_of(rows, snapshot) == [
        ("cus_A", None, None, None, False, False),
        ("cus_B", None, None, None, False, False),
    ]
    snapshot.metronome_customers.append(metronome("m1"))
    assert rows_of(rows, snapshot) == [
        ("cus_B", "m1", None, None, True, True),
        ("cus_A", None, None, None, False, False),
    ]
    snapshot.invoices["m1"] = (invoice("m1", 300),)
    assert rows_of(rows, snapshot)[0] == ("cus_B", "m1", 300, None, False, True)
    snapshot.contracts["m1"] = (contract("m1"),)
    assert rows_of(rows, snapshot)[0] == ("cus_B", "m1", 300, ACTIVE, False, False)


def test_the_metronome_list_replaced_by_a_new_list() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe("cus_A"), stripe("cus_B"), stripe("cus_C")]
    add_customer(snapshot, "m1", "cus_A", cents=100)
    add_customer(snapshot, "m2", "cus_B", cents=200)
    rows = PartialViews(NOW)
    assert [row[:2] for row in rows_of(rows, snapshot)] == [
        ("cus_A", "m1"),
        ("cus_B", "m2"),
        ("cus_C", None),
    ]
    # The whole list, in the API's order, with a customer not seen yet, and its own record
    # of a customer a look-up found first (equal to it).
    m1, _m2 = snapshot.metronome_customers
    snapshot.metronome_customers = [metronome("m3"), metronome("m2"), m1]
    snapshot.billing_configurations["m3"] = (config("m3", "cus_C"),)
    assert [row[:2] for row in rows_of(rows, snapshot)] == [
        ("cus_A", "m1"),
        ("cus_B", "m2"),
        ("cus_C", "m3"),
    ]
    assert rows.derive(snapshot).overview.revenue_so_far == LoadedShare(2, 3, False)
    # A list without a customer listed before: its Stripe customer is no longer linked.
    snapshot.metronome_customers = [snapshot.metronome_customers[0], m1]
    assert [row[:2] for row in rows_of(rows, snapshot)] == [
        ("cus_A", "m1"),
        ("cus_C", "m3"),
        ("cus_B", None),
    ]


def test_a_list_naming_a_customer_twice_links_the_last_record_of_it() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers.append(stripe("cus_A"))
    early, late = metronome("m1", day=1), metronome("m1", day=9)
    snapshot.metronome_customers += [early, metronome("m2", day=5)]
    snapshot.billing_configurations["m1"] = (config("m1", "cus_A"),)
    snapshot.billing_configurations["m2"] = (config("m2", "cus_A"),)
    rows = PartialViews(NOW)
    assert [row[:2] for row in rows_of(rows, snapshot)] == [("cus_A", "m1")]
    # Listed again whole, a record created later first: the last record of m1 is the live one.
    snapshot.metronome_customers = [late, snapshot.metronome_customers[1], early]
    assert [row[:2] for row in rows_of(rows, snapshot)] == [("cus_A", "m1")]
    snapshot.metronome_customers = [early, snapshot.metronome_customers[1], late]
    assert [row[:2] for row in rows_of(rows, snapshot)] == [("cus_A", "m2")]


def test_records_removed_or_replaced_are_not_shown() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe("cus_A"), stripe("cus_B")]
    add_customer(snapshot, "m1", "cus_A", cents=100)
    add_customer(snapshot, "m2", "cus_B", cents=200)
    rows = PartialViews(NOW)
    rows_of(rows, snapshot)
    # A resumed load forgets the records of customers no longer listed.
    del snapshot.billing_configurations["m1"]
    del snapshot.invoices["m2"]
    assert rows_of(rows, snapshot) == [
        ("cus_B", "m2", None, ACTIVE, True, False),
        ("cus_A", None, None, None, False, False),
    ]
    # As many keys as before, one of them new: not an addition either.
    snapshot.invoices["m3"] = (invoice("m3", 300),)
    snapshot.contracts["m2"] = ()
    assert rows_of(rows, snapshot) == [
        ("cus_B", "m2", None, None, True, False),
        ("cus_A", None, None, None, False, False),
    ]


def test_archived_configurations_never_link() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe("cus_A"), stripe("cus_B")]
    snapshot.metronome_customers += [metronome("m1"), metronome("m2")]
    snapshot.billing_configurations["m1"] = (config("m1", "cus_A", archived=True),)
    rows = PartialViews(NOW)
    assert [row[:2] for row in rows_of(rows, snapshot)] == [("cus_A", None), ("cus_B", None)]
    snapshot.billing_configurations["m2"] = (
        config("m2", "cus_A", archived=True),
        config("m2", "cus_B"),
    )
    assert [row[:2] for row in rows_of(rows, snapshot)] == [("cus_B", "m2"), ("cus_A", None)]


def test_rows_waiting_for_records_stop_loading_when_the_load_ends() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe("cus_A"), stripe("cus_B")]
    add_customer(snapshot, "m1", "cus_A", cents=100)
    snapshot.metronome_customers.append(metronome("m2"))
    snapshot.billing_configurations["m2"] = (config("m2", "cus_B"),)
    rows = PartialViews(NOW)
    assert rows_of(rows, snapshot)[1] == ("cus_B", "m2", None, None, True, True)
    snapshot.failed_invoices["m2"] = "timed out"
    snapshot.loading = None
    assert rows_of(rows, snapshot) == [
        ("cus_A", "m1", 100, ACTIVE, False, False),
        ("cus_B", "m2", None, None, False, False),
    ]
    assert rows.derive(snapshot).rows[1].billings_error == "timed out"


class CountingRows(PartialRows):
    """Names the Stripe customer of each row built."""

    def __init__(self) -> None:
        super().__init__(CustomerFigures(NOW))
        self.built: list[str] = []

    def build_row(self, snapshot: AccountSnapshot, customer: StripeCustomer) -> CustomerRow:
        self.built.append(customer.id)
        return super().build_row(snapshot, customer)


def test_a_partial_result_builds_only_the_rows_of_what_came_in() -> None:
    snapshot = loading_snapshot()
    snapshot.stripe_customers += [stripe(f"cus_{n}") for n in range(50)]
    for n in range(40):
        add_customer(snapshot, f"m{n}", f"cus_{n}", cents=n)
    reader, rows = AdditionsReader(), CountingRows()

    def derive() -> list[Summary]:
        added = reader.read(snapshot)
        assert added is not None
        rows.built.clear()
        rows.add(snapshot, added)
        assert rows.rows() == account_view(snapshot, NOW).rows
        return [(row.stripe_customer_id, row.metronome_customer_id) for row in rows.rows()]

    derive()
    assert len(rows.built) == 50

    snapshot.metronome_customers.append(metronome("m45"))
    snapshot.billing_configurations["m45"] = (config("m45", "cus_45"),)
    assert derive()[40] == ("cus_45", "m45")
    assert rows.built == ["cus_45"]

    snapshot.invoices["m45"] = (invoice("m45", 4500),)
    snapshot.contracts["m45"] = (contract("m45"),)
    derive()
    assert rows.built == ["cus_45"]
    assert rows.rows()[40].lifetime_billings_cents == 4500

    snapshot.stripe_customers.append(stripe("cus_new"))
    assert derive()[-1] == ("cus_new", None)
    assert rows.built == ["cus_new"]

    derive()
    assert rows.built == []

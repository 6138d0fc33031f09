"""Linked customers and the troubleshooting data for those that do not link."""

from __future__ import annotations

from itertools import permutations

from metro_tui.models import BillingConfiguration, MetronomeCustomer
from metro_tui.services.linking import (
    CustomerLink,
    GrowingLinks,
    MissingStripeCustomer,
    StripeIdConflict,
    link_customers,
    link_diagnostics,
    partition_customers,
    unlinked_stripe_customers,
)
from tests.records import config, metronome, stripe

STRIPE_CUSTOMERS = [stripe(i) for i in ("cus_A", "cus_B", "cus_C", "cus_D", "cus_E")]
METRONOME_CUSTOMERS = [
    metronome("m1"),
    metronome("m2"),
    metronome("m3"),
    metronome("m4", day=2),
    metronome("m5", day=1),
    metronome("m6"),
    metronome("m7", archived=True),
]
CONFIGURATIONS = [
    config("m1", "cus_A"),
    config("m2", "cus_GHOST"),  # Stripe has no such customer
    config("m3", "cus_B", provider="netsuite"),  # not a Stripe configuration
    config("m4", "cus_C"),  # claims cus_C, created after m5
    config("m5", "cus_C"),
    config("m6", "cus_D", archived=True),  # archived configurations never link
    config("m7", "cus_E"),  # archived Metronome customer
    config("m_unknown", "cus_B"),  # a customer not in the Metronome list
    config("m3", None),  # a Stripe configuration naming no Stripe customer
]


def test_linked_customers_follow_the_definition() -> None:
    links = link_customers(STRIPE_CUSTOMERS, METRONOME_CUSTOMERS, CONFIGURATIONS)
    assert links == [
        CustomerLink(STRIPE_CUSTOMERS[0], "m1"),
        CustomerLink(STRIPE_CUSTOMERS[2], "m5"),
    ]


def test_unlinked_stripe_customers_are_the_rest_in_order() -> None:
    unlinked = unlinked_stripe_customers(STRIPE_CUSTOMERS, METRONOME_CUSTOMERS, CONFIGURATIONS)
    assert [customer.id for customer in unlinked] == ["cus_B", "cus_D", "cus_E"]


def test_diagnostics_explain_every_customer_that_did_not_link() -> None:
    diagnostics = link_diagnostics(STRIPE_CUSTOMERS, METRONOME_CUSTOMERS, CONFIGURATIONS)
    by_id = {customer.id: customer for customer in METRONOME_CUSTOMERS}
    assert diagnostics.missing_stripe_customers == (
        MissingStripeCustomer(by_id["m2"], "cus_GHOST"),
    )
    assert [c.id for c in diagnostics.metronome_without_stripe_config] == ["m3", "m6"]
    assert [c.id for c in diagnostics.stripe_without_metronome] == ["cus_B", "cus_D", "cus_E"]
    assert [c.id for c in diagnostics.archived_stripe_configurations] == ["cfg-m6-stripe"]
    assert diagnostics.conflicts == (StripeIdConflict("cus_C", by_id["m5"], (by_id["m4"],)),)


def test_a_conflict_between_customers_created_together_goes_to_the_lower_id() -> None:
    customers = [metronome("m9"), metronome("m8")]
    configurations = [config("m9", "cus_A"), config("m8", "cus_A")]
    links = link_customers([stripe("cus_A")], customers, configurations)
    assert links == [CustomerLink(stripe("cus_A"), "m8")]
    conflicts = link_diagnostics([stripe("cus_A")], customers, configurations).conflicts
    assert conflicts == (StripeIdConflict("cus_A", customers[1], (customers[0],)),)


def test_one_metronome_customer_with_a_live_and_an_archived_stripe_config_links() -> None:
    configurations = [config("m1", "cus_OLD", archived=True), config("m1", "cus_A")]
    links = link_customers([stripe("cus_OLD"), stripe("cus_A")], [metronome("m1")], configurations)
    assert links == [CustomerLink(stripe("cus_A"), "m1")]


def test_a_repeated_configuration_is_not_a_conflict() -> None:
    configurations = [config("m1", "cus_A"), config("m1", "cus_A")]
    diagnostics = link_diagnostics([stripe("cus_A")], [metronome("m1")], configurations)
    assert diagnostics.conflicts == ()
    assert link_customers([stripe("cus_A")], [metronome("m1")], configurations) == [
        CustomerLink(stripe("cus_A"), "m1")
    ]


def test_links_kept_up_as_customers_and_configurations_arrive_in_any_order() -> None:
    """A first load lists customers and fetches their configurations in no set order; after
    each arrival the links equal those derived from everything that arrived so far."""
    customers = [metronome("m2", day=5), metronome("m1", day=1), metronome("m3", day=9)]
    customers += [metronome("m1", day=1, archived=True), metronome("m4", day=1, archived=True)]
    configurations = [
        config("m2", "cus_A"),
        config("m1", "cus_A"),  # created earlier than m2: takes cus_A over
        config("m3", "cus_A"),  # created later: never linked while m1 or m2 claims it
        config("m3", "cus_B"),
        config("m4", "cus_C"),  # an archived Metronome customer claims nothing
        config("m1", "cus_C", archived=True),  # nor does an archived configuration
    ]
    arrivals = [(customer, None) for customer in customers]
    arrivals += [(None, configuration) for configuration in configurations]
    stripe_customers = [stripe("cus_A"), stripe("cus_B"), stripe("cus_C")]
    # Every order of the live customers and the configurations that compete for cus_A and
    # cus_B (5,040), and all eleven in the order given and reversed.
    orders = [arrivals, arrivals[::-1], *permutations(arrivals[:3] + arrivals[5:9])]
    for order in orders:
        links = GrowingLinks()
        listed: list[MetronomeCustomer] = []
        fetched: list[BillingConfiguration] = []
        for customer, configuration in order:
            listed += [customer] if customer else []
            fetched += [configuration] if configuration else []
            before = [links.linked_customer_id(c.id) for c in stripe_customers]
            changed = links.add(
                [customer] if customer else [], [configuration] if configuration else []
            )
            expected = dict.fromkeys((c.id for c in stripe_customers), None) | {
                link.stripe_customer.id: link.metronome_customer_id
                for link in partition_customers(stripe_customers, listed, fetched)[0]
            }
            after = [links.linked_customer_id(c.id) for c in stripe_customers]
            assert after == list(expected.values())
            # Every Stripe customer whose link changed is among those reported.
            assert {
                c.id
                for c, old, new in zip(stripe_customers, before, after, strict=True)
                if old != new
            } <= changed
    assert [links.linked_customer_id(c.id) for c in stripe_customers] == ["m1", "m3", None]

"""Why is a customer missing? Every broken link between Metronome and Stripe, in plain words.

Each problem names the customer, its ids, what is wrong and what to do (the checks of the
troubleshooting guide).

One cause is shown once: a Metronome customer whose only Stripe configuration was archived
is reported as "Stripe configuration archived", not also as "No Stripe configuration", and the
Stripe customer that configuration named is not also reported as "No Metronome customer".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metro_tui.models import BillingConfiguration, MetronomeCustomer, StripeCustomer
from metro_tui.services.linking import LinkDiagnostics, link_diagnostics

STRIPE_MISSING = "Stripe customer not found"
NO_STRIPE_CONFIGURATION = "No Stripe configuration"
CONFIGURATION_ARCHIVED = "Stripe configuration archived"
NO_METRONOME_CUSTOMER = "No Metronome customer"
CLAIMED_TWICE = "Stripe customer claimed twice"


@dataclass(frozen=True)
class LinkProblem:
    """One reason a customer does not appear as linked, and what to do about it."""

    problem: str
    customer_name: str
    metronome_customer_id: str | None
    stripe_customer_id: str | None
    stripe_customer: StripeCustomer | None
    what_is_wrong: str
    what_to_do: str


def _missing_stripe(diagnostics: LinkDiagnostics) -> list[LinkProblem]:
    return [
        LinkProblem(
            STRIPE_MISSING,
            item.metronome_customer.name,
            item.metronome_customer.id,
            item.stripe_customer_id,
            None,
            f"Its Stripe billing configuration names {item.stripe_customer_id}, which this "
            "Stripe account does not have.",
            "Confirm the stripe_customer_id in the Metronome billing configuration matches the "
            "Stripe customer ID, and that the Stripe key is for the same mode (test or live).",
        )
        for item in diagnostics.missing_stripe_customers
    ]


def _archived(
    configurations: list[BillingConfiguration],
    customers: dict[str, MetronomeCustomer],
    stripe: dict[str, StripeCustomer],
) -> list[LinkProblem]:
    return [
        LinkProblem(
            CONFIGURATION_ARCHIVED,
            customers[config.customer_id].name,
            config.customer_id,
            config.stripe_customer_id,
            stripe.get(config.stripe_customer_id or ""),
            f"Its Stripe billing configuration for {config.stripe_customer_id} was archived on "
            f"{config.archived_at:%Y-%m-%d}, so the link no longer counts.",
            "If the customer should still be billed through Stripe, add a new Stripe billing "
            "configuration for it in Metronome.",
        )
        for config in configurations
    ]


def _no_configuration(customers: list[MetronomeCustomer]) -> list[LinkProblem]:
    return [
        LinkProblem(
            NO_STRIPE_CONFIGURATION,
            customer.name,
            customer.id,
            None,
            None,
            "It has no Stripe billing configuration in Metronome, so no Stripe customer "
            "links to it.",
            "Add a Stripe billing configuration with the customer's Stripe ID in Metronome.",
        )
        for customer in customers
    ]


def _no_metronome(customers: list[StripeCustomer]) -> list[LinkProblem]:
    return [
        LinkProblem(
            NO_METRONOME_CUSTOMER,
            customer.name or customer.id,
            None,
            customer.id,
            customer,
            "No Metronome customer in the connected account has a Stripe billing "
            f"configuration naming {customer.id}.",
            "Check you are connected to the right Metronome account. If so, create a contract "
            "for it (Customers, all customers), which creates its Metronome customer, or add "
            f"{customer.id} to an existing customer's billing configuration in Metronome.",
        )
        for customer in customers
    ]


def _conflicts(
    diagnostics: LinkDiagnostics, stripe: dict[str, StripeCustomer]
) -> list[LinkProblem]:
    return [
        LinkProblem(
            CLAIMED_TWICE,
            other.name,
            other.id,
            conflict.stripe_customer_id,
            stripe.get(conflict.stripe_customer_id),
            f"It and {conflict.winner.name} both name {conflict.stripe_customer_id}; the "
            f"earlier-created {conflict.winner.name} is the one linked.",
            "Remove the Stripe billing configuration from whichever customer should not bill "
            "through this Stripe customer.",
        )
        for conflict in diagnostics.conflicts
        for other in conflict.others
    ]


def link_problems(
    stripe_customers: Sequence[StripeCustomer],
    metronome_customers: Sequence[MetronomeCustomer],
    billing_configurations: Sequence[BillingConfiguration],
) -> list[LinkProblem]:
    """Every broken link among these customers, grouped by problem, each cause once."""
    diagnostics = link_diagnostics(stripe_customers, metronome_customers, billing_configurations)
    stripe = {customer.id: customer for customer in stripe_customers}
    unlinked = {customer.id: customer for customer in diagnostics.metronome_without_stripe_config}
    # An archived configuration explains a missing customer only when nothing else links it.
    archived = [
        config
        for config in diagnostics.archived_stripe_configurations
        if config.customer_id in unlinked
    ]
    explained_customers = {config.customer_id for config in archived}
    explained_stripe_ids = {config.stripe_customer_id for config in archived}
    return [
        *_missing_stripe(diagnostics),
        *_no_configuration([c for c in unlinked.values() if c.id not in explained_customers]),
        *_archived(archived, unlinked, stripe),
        *_no_metronome(
            [c for c in diagnostics.stripe_without_metronome if c.id not in explained_stripe_ids]
        ),
        *_conflicts(diagnostics, stripe),
    ]

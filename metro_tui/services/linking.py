"""Which Stripe customers are linked to Metronome customers, and why others are not.

A Stripe customer is linked when its id equals the ``stripe_customer_id`` of a non-archived
``billing_provider == "stripe"`` configuration of a Metronome customer. Only the Metronome
customers passed in can claim a link, and archived ones cannot: Metronome's customer list omits
archived customers, so the app never shows a link the live API would not give.

When several Metronome customers claim the same Stripe id, the earliest created wins (ties by
id); the others are reported as a conflict in the diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from metro_tui.models import BillingConfiguration, MetronomeCustomer, StripeCustomer

STRIPE = "stripe"


@dataclass(frozen=True, slots=True)
class CustomerLink:
    """A Stripe customer and the Metronome customer linked to it."""

    stripe_customer: StripeCustomer
    metronome_customer_id: str


@dataclass(frozen=True, slots=True)
class MissingStripeCustomer:
    """A Metronome customer whose Stripe configuration names an id Stripe does not have."""

    metronome_customer: MetronomeCustomer
    stripe_customer_id: str


@dataclass(frozen=True, slots=True)
class StripeIdConflict:
    """Several Metronome customers claim one Stripe customer; `winner` is the one linked."""

    stripe_customer_id: str
    winner: MetronomeCustomer
    others: tuple[MetronomeCustomer, ...]


@dataclass(frozen=True, slots=True)
class LinkDiagnostics:
    """What the troubleshooting view shows about customers that did not link."""

    missing_stripe_customers: tuple[MissingStripeCustomer, ...]
    metronome_without_stripe_config: tuple[MetronomeCustomer, ...]
    stripe_without_metronome: tuple[StripeCustomer, ...]
    archived_stripe_configurations: tuple[BillingConfiguration, ...]
    conflicts: tuple[StripeIdConflict, ...]


def _is_stripe_link(configuration: BillingConfiguration) -> bool:
    return (
        configuration.archived_at is None
        and configuration.billing_provider == STRIPE
        and bool(configuration.stripe_customer_id)
    )


def _claims(
    metronome_customers: Sequence[MetronomeCustomer],
    billing_configurations: Sequence[BillingConfiguration],
) -> dict[str, list[MetronomeCustomer]]:
    """Stripe id -> the live Metronome customers claiming it, earliest created first."""
    live = {c.id: c for c in metronome_customers if c.archived_at is None}
    claims: dict[str, list[MetronomeCustomer]] = {}
    for configuration in billing_configurations:
        customer = live.get(configuration.customer_id)
        if customer is None or not _is_stripe_link(configuration):
            continue
        claimants = claims.setdefault(str(configuration.stripe_customer_id), [])
        if customer not in claimants:
            claimants.append(customer)
    for claimants in claims.values():
        if len(claimants) > 1:  # almost always one: no sort, at 100,000 customers
            claimants.sort(key=lambda c: (c.created_at, c.id))
    return claims


def partition_customers(
    stripe_customers: Sequence[StripeCustomer],
    metronome_customers: Sequence[MetronomeCustomer],
    billing_configurations: Sequence[BillingConfiguration],
) -> tuple[list[CustomerLink], list[StripeCustomer]]:
    """The linked customers and the unlinked Stripe customers, each in the order given."""
    claims = _claims(metronome_customers, billing_configurations)
    links: list[CustomerLink] = []
    unlinked: list[StripeCustomer] = []
    for stripe_customer in stripe_customers:
        claimants = claims.get(stripe_customer.id)
        if claimants is None:
            unlinked.append(stripe_customer)
        else:
            links.append(CustomerLink(stripe_customer, claimants[0].id))
    return links, unlinked


class GrowingLinks:
    """`partition_customers`' links, kept up as Metronome customers and billing configurations
    arrive, at the cost of what arrived.

    A first load adds each customer and each customer's configurations once, in no set order:
    a configuration may name a customer not listed yet, and a claimant created earlier takes
    a Stripe customer over from the one linked so far.
    """

    def __init__(self) -> None:
        self._live: dict[str, MetronomeCustomer] = {}
        self._links: dict[str, list[BillingConfiguration]] = {}
        """Metronome customer id -> its Stripe link configurations, its customer listed yet
        or not."""
        self._claims: dict[str, list[MetronomeCustomer]] = {}

    def add(
        self,
        metronome_customers: Iterable[MetronomeCustomer],
        billing_configurations: Iterable[BillingConfiguration],
    ) -> set[str]:
        """Add these; the Stripe ids whose claimants changed (their link may have)."""
        changed: set[str] = set()
        for customer in metronome_customers:
            if customer.archived_at is not None:
                continue  # a listed archived customer claims nothing, as in `_claims`
            replaced = self._live.get(customer.id)
            self._live[customer.id] = customer
            stripe_ids = self.claimed_by(customer.id)
            if replaced is not None:  # the list's last customer of an id is the live one
                for stripe_id in stripe_ids:
                    if replaced in self._claims[stripe_id]:
                        self._claims[stripe_id].remove(replaced)
            for stripe_id in stripe_ids:
                self._claim(stripe_id, customer)
            changed.update(stripe_ids)
        for configuration in billing_configurations:
            if not _is_stripe_link(configuration):
                continue
            self._links.setdefault(configuration.customer_id, []).append(configuration)
            claimant = self._live.get(configuration.customer_id)
            if claimant is not None:
                stripe_id = str(configuration.stripe_customer_id)
                self._claim(stripe_id, claimant)
                changed.add(stripe_id)
        return changed

    def _claim(self, stripe_id: str, customer: MetronomeCustomer) -> None:
        claimants = self._claims.setdefault(stripe_id, [])
        if customer not in claimants:
            claimants.append(customer)
            if len(claimants) > 1:
                claimants.sort(key=lambda c: (c.created_at, c.id))

    def linked_customer_id(self, stripe_id: str) -> str | None:
        """The Metronome customer linked to this Stripe customer, if any."""
        claimants = self._claims.get(stripe_id)
        return claimants[0].id if claimants else None

    def claimed_by(self, metronome_customer_id: str) -> list[str]:
        """The Stripe ids this Metronome customer's configurations name (linked or not)."""
        return [
            str(configuration.stripe_customer_id)
            for configuration in self._links.get(metronome_customer_id, ())
        ]


def link_customers(
    stripe_customers: Sequence[StripeCustomer],
    metronome_customers: Sequence[MetronomeCustomer],
    billing_configurations: Sequence[BillingConfiguration],
) -> list[CustomerLink]:
    """The linked customers, in the order of `stripe_customers`."""
    return partition_customers(stripe_customers, metronome_customers, billing_configurations)[0]


def unlinked_stripe_customers(
    stripe_customers: Sequence[StripeCustomer],
    metronome_customers: Sequence[MetronomeCustomer],
    billing_configurations: Sequence[BillingConfiguration],
) -> list[StripeCustomer]:
    """Stripe customers no Metronome customer links to, in the order given."""
    return partition_customers(stripe_customers, metronome_customers, billing_configurations)[1]


def link_diagnostics(
    stripe_customers: Sequence[StripeCustomer],
    metronome_customers: Sequence[MetronomeCustomer],
    billing_configurations: Sequence[BillingConfiguration],
) -> LinkDiagnostics:
    """Why customers did not link.

    Customer lists keep the order of their input; missing ids and conflicts follow the order of
    `billing_configurations`.
    """
    claims = _claims(metronome_customers, billing_configurations)
    stripe_ids = {customer.id for customer in stripe_customers}
    missing = [
        MissingStripeCustomer(claimant, stripe_id)
        for stripe_id, claimants in claims.items()
        if stripe_id not in stripe_ids
        for claimant in claimants
    ]
    claiming_ids = {claimant.id for claimants in claims.values() for claimant in claimants}
    return LinkDiagnostics(
        missing_stripe_customers=tuple(missing),
        metronome_without_stripe_config=tuple(
            c for c in metronome_customers if c.archived_at is None and c.id not in claiming_ids
        ),
        stripe_without_metronome=tuple(c for c in stripe_customers if c.id not in claims),
        archived_stripe_configurations=tuple(
            c
            for c in billing_configurations
            if c.archived_at is not None and c.billing_provider == STRIPE
        ),
        conflicts=tuple(
            StripeIdConflict(stripe_id, claimants[0], tuple(claimants[1:]))
            for stripe_id, claimants in claims.items()
            if len(claimants) > 1
        ),
    )

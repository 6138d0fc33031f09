"""The whole demo dataset as plain values, before anything is written: deterministic for
(seed, customers, today)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from metro_tui.local.seed.catalog import Catalog, plan_catalog
from metro_tui.local.seed.contracts import Contract, customer_profile, plan_contract
from metro_tui.local.seed.customers import Customers, plan_customers
from metro_tui.local.seed.draws import days, stream
from metro_tui.local.seed.schedules import (
    assign_scenarios,
    first_contract_start,
    provision_status,
    scenario_spans,
)
from metro_tui.local.seed.showcase import feature_showcase


@dataclass(frozen=True)
class DatasetPlan:
    seed: int
    now: datetime
    catalog: Catalog
    customers: Customers
    contracts: list[Contract]  # per customer, oldest first
    provision_statuses: dict[str, str]  # Metronome customer id -> status today ("" = none)
    showcase_customer_id: str | None  # see `showcase`

    def new_customer_ids(self) -> list[str]:
        """Metronome customers created in the 30 days up to now."""
        since = self.now - days(30)
        return [c.id for c in self.customers.metronome if since < c.created_at <= self.now]


def plan_dataset(seed: int, customer_count: int, now: datetime) -> DatasetPlan:
    catalog = plan_catalog(stream(seed, "catalog"), now)
    customers = plan_customers(stream(seed, "customers"), customer_count, now)
    rng = stream(seed, "contracts")
    firsts = [first_contract_start(c.created_at, now) for c in customers.metronome]
    scenarios = assign_scenarios(rng, firsts, now)
    contracts: list[Contract] = []
    statuses: dict[str, str] = {}
    for customer, first, scenario in zip(customers.metronome, firsts, scenarios, strict=True):
        profile = customer_profile(rng, catalog, customer)
        spans = scenario_spans(rng, scenario, first, now)
        statuses[customer.id] = provision_status(spans, now)
        contracts.extend(
            plan_contract(rng, catalog, customer, profile, span, now) for span in spans
        )
    contracts, showcase = feature_showcase(contracts, catalog, now)
    return DatasetPlan(seed, now, catalog, customers, contracts, statuses, showcase)

"""The demo seed stores its contracts without the request model (`store_contract`); every
body it makes must still be one the create endpoint accepts, stored as the same document."""

from __future__ import annotations

from pathlib import Path

from metro_tui.local import clock
from metro_tui.local.db import Database
from metro_tui.local.metronome.contract_store import insert_contract
from metro_tui.local.seed.plan import DatasetPlan, plan_dataset
from metro_tui.local.seed.writes import (
    write_catalog,
    write_contracts,
    write_metronome_customers,
    write_stripe_customers,
)
from tests.conftest import TEST_SEED, TEST_TODAY


def _with_customers(path: Path, plan: DatasetPlan) -> Database:
    db = Database(path)
    with db.transaction() as conn:
        write_catalog(conn, plan.catalog)
        write_stripe_customers(conn, plan.customers.stripe)
        write_metronome_customers(conn, plan.customers.metronome)
    return db


def _stored_contracts(db: Database) -> list[tuple[object, ...]]:
    rows = db.conn.execute(
        "SELECT seq, id, customer_id, starting_at, ending_before, uniqueness_key, doc "
        "FROM contracts ORDER BY seq"
    )
    return [tuple(row) for row in rows]


def test_the_seed_stores_each_contract_as_the_create_endpoint_would(tmp_path: Path) -> None:
    plan = plan_dataset(TEST_SEED, 150, clock.now(TEST_TODAY))
    seeded = _with_customers(tmp_path / "seeded.sqlite3", plan)
    created = _with_customers(tmp_path / "created.sqlite3", plan)
    with seeded.transaction() as conn:
        write_contracts(conn, plan.contracts)
    with created.transaction() as conn:
        for contract in plan.contracts:
            insert_contract(
                conn, body=contract.body, created_at=contract.created_at, contract_id=contract.id
            )

    assert len(plan.contracts) == 129
    assert _stored_contracts(seeded) == _stored_contracts(created)
    seeded.close()
    created.close()

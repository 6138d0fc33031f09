"""The seeded data file, byte for byte: how the seed writes may change, what it writes may not.

The digests were taken from the data file of the seed that wrote every record through the
API's one-at-a-time insert functions; a faster writer must produce the very same file contents.
When the demo data itself changes (the contracts and invoices gained credit drawdowns and a
showcase customer), the new digests are taken from the one-at-a-time writer first.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from metro_tui.local.seed.dataset import SeedOptions, seed_database
from tests.conftest import TEST_SEED, TEST_TODAY

# Every table of the data file, in a fixed order; each digest covers every row with its rowid.
PINNED = {
    "meta": (3, "d99de876c760484ed0a821fd8e9bd7311978fa5316501ffc236d7a7617d2f643"),
    "customers": (132, "bbdeca7bc17d5cbdff8dbaec615c4b502828ca7489a9d8ffa39443ac9b8b311c"),
    "customer_aliases": (124, "bc4557b7a0f09da4e902d651a5a758ef6d266d2c8d930a700d90e2dbed0ae4b1"),
    "billing_configurations": (
        128,
        "fe33e0c1d69628db6b321e67ed82bbce08a0f326c120563a6b30476c02965f12",
    ),
    "products": (13, "ef150a79c9ebc37b5e0ad0b2ae97e32f04241d4baa080e3aa9b2e5780f5a9a16"),
    "rate_cards": (4, "ccb2a544d976376f23ad36a96b8b6405df0c984172d4e4fa903acf8c31de559e"),
    "rates": (34, "1fe8eef878ccdb40c1e3305dbb33665e97f1c8c90f200ad014c682cf5b7a97f7"),
    "contracts": (129, "72d654ecba731ed9cca7694de70cabdcb4d21c868aa15922d15777f1d9ce92f8"),
    "invoices": (847, "e1b0f3fde208249c1f32e7d732026c9d3ebcc846a030c3edc11a2190b9f1fdf9"),
    "usage_events": (
        41_768,
        "feb124ee72ffe6105541bc0fc2aa9d2879680e7b76a677894838d466b0fa552d",
    ),
    "stripe_customers": (150, "69bfe3f5ddb7da2becded806d25a197c646cd9577a97fb57294f9a02e8b5f253"),
    "stripe_idempotency_keys": (
        0,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ),
    "sqlite_sequence": (9, "1bb4b4eb2673c47cf09192ad3e1af9c63486185d1f3f7d793519340e420eae3e"),
}


def table_digests(path: Path) -> dict[str, tuple[int, str]]:
    """Per table: its row count and the SHA-256 of its rows (rowid first) as JSON lines."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digests = {}
        for table in PINNED:
            digest = hashlib.sha256()
            count = 0
            for row in conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid"):
                digest.update(json.dumps(list(row)).encode() + b"\n")
                count += 1
            digests[table] = (count, digest.hexdigest())
        return digests
    finally:
        conn.close()


def test_the_default_size_seed_writes_the_pinned_contents(tmp_path: Path) -> None:
    path = tmp_path / "data.sqlite3"
    seed_database(path, SeedOptions(seed=TEST_SEED, customers=150, today=TEST_TODAY))

    assert table_digests(path) == PINNED

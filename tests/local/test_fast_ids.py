"""Ids worked out without `uuid.UUID` objects are the very ids the `uuid` module gives."""

from __future__ import annotations

import json
import random
import uuid

import pytest

from metro_tui.local.metronome.usage_store import EVENT_NAMESPACE, event_id
from metro_tui.local.seed.draws import new_uuid


@pytest.mark.parametrize(
    ("transaction_id", "copies"),
    [
        ("tx-1", 0),
        ("0b6e3c1a-7d7c-4f6b-9a55-3c1f2e4d5a6b", 12),
        ('quote " and back\\slash', 1),
        ("naïve café ☕", 3),
        ("tab\tnew\nline", 100_000),
    ],
)
def test_event_id_is_uuid5_of_the_transaction_and_copies(transaction_id: str, copies: int) -> None:
    expected = uuid.uuid5(EVENT_NAMESPACE, json.dumps([transaction_id, copies]))

    assert event_id(transaction_id, copies) == str(expected)


def test_new_uuid_is_the_version_4_uuid_of_the_same_draw() -> None:
    drawn, reference = random.Random(5), random.Random(5)

    ids = [new_uuid(drawn) for _ in range(1_000)]

    assert ids == [str(uuid.UUID(int=reference.getrandbits(128), version=4)) for _ in ids]
    assert len(set(ids)) == 1_000

"""Every implemented Metronome operation, checked by schemathesis against Metronome's published
OpenAPI document (the subset in tests/reference/, see its README).

Requests the document allows (positive) must get no 5xx and a response that matches the
document for its status code; requests it forbids (negative) must get no 5xx and a 4xx.
Generation is deterministic (fixed derandomised examples), so a failure reproduces.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import HealthCheck
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from metro_tui.local.config import BackendConfig
from metro_tui.local.metronome.contracts import MALFORMED, V2_ERROR_CODES
from metro_tui.local.server import RunningBackend, start_in_thread
from tests.conftest import TEST_TODAY, TEST_TOKEN

SUBSET = Path(__file__).resolve().parents[1] / "reference" / "metronome-openapi-subset.json"
EXAMPLES = 12
AUTHORIZATION = {"Authorization": f"Bearer {TEST_TOKEN}"}
# Ids of records in the seed; generated requests name them half of the time, so the checks
# see answers about real records as well as about unknown ids.
KNOWN: dict[str, str] = {}


def load(mode: schemathesis.GenerationMode, phases: list[str]) -> schemathesis.BaseSchema:
    loaded = schemathesis.openapi.from_path(SUBSET)
    # The token is sent with every request; its absence is checked by tests of its own.
    loaded.config.generation.update(
        modes=[mode],
        deterministic=True,
        max_examples=EXAMPLES,
        with_security_parameters=False,
        database="none",  # derandomised: nothing to remember between runs
    )
    loaded.config.phases.update(phases=phases)
    # Hypothesis's health checks time the generation, which a busy machine slows down; the
    # examples are bounded and derandomised, so they add nothing but a dependence on speed.
    loaded.config.update(suppress_health_check=[HealthCheck.all])
    return loaded


def name_known_records(context: schemathesis.HookContext, body: Any) -> Any:
    """`map_body`: put seeded ids in place of generated ones in every other body."""
    if not isinstance(body, dict) or len(json.dumps(body, default=str)) % 2:
        return body
    operation = context.operation.path if context.operation else ""
    fields = {"customer_id": "customer", "contract_id": "contract", "rate_card_id": "rate_card"}
    if operation == "/v1/contract-pricing/rate-cards/get":
        fields["id"] = "rate_card"
    return {key: KNOWN[fields[key]] if key in fields else value for key, value in body.items()}


name_known_records.__name__ = "map_body"

positive = load(schemathesis.GenerationMode.POSITIVE, ["examples", "fuzzing"])
positive.hook(name_known_records)
negative = load(schemathesis.GenerationMode.NEGATIVE, ["coverage", "fuzzing"])


@positive.hook
def filter_body(context: schemathesis.HookContext, body: Any) -> bool:
    """The document says starting_at and covering_date cannot be combined, which its schema
    cannot express: such a request is not one it allows."""
    return not (isinstance(body, dict) and {"starting_at", "covering_date"} <= body.keys())


@pytest.fixture(scope="module")
def conformance_backend(
    tmp_path_factory: pytest.TempPathFactory, seeded_data_file: Path
) -> Iterator[RunningBackend]:
    copy = tmp_path_factory.mktemp("conformance") / "data.sqlite3"
    shutil.copyfile(seeded_data_file, copy)
    running = start_in_thread(copy, BackendConfig(token=TEST_TOKEN, today=TEST_TODAY))
    contract = running.db.query_one("SELECT id, customer_id FROM contracts ORDER BY seq LIMIT 1")
    rate_card = running.db.query_one("SELECT id FROM rate_cards ORDER BY seq LIMIT 1")
    assert contract is not None and rate_card is not None
    KNOWN.update(
        customer=contract["customer_id"], contract=contract["id"], rate_card=rate_card["id"]
    )
    yield running
    running.stop()


@positive.parametrize()
def test_allowed_requests_get_documented_answers(
    case: schemathesis.Case, conformance_backend: RunningBackend
) -> None:
    case.call_and_validate(
        base_url=conformance_backend.url,
        headers=AUTHORIZATION,
        checks=[not_a_server_error, response_schema_conformance],
    )


def conforms_unless_malformed_v2_read(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """The document's 400 for the v2 contract reads lists only not-found codes; a malformed
    request there is answered `BadRequest`, which it does not list."""
    if case.operation.path in V2_ERROR_CODES and response.status_code == 400:
        body = response.json()
        assert set(body) == {"code", "message"}
        if body["code"] == MALFORMED:
            return None
    result: bool | None = response_schema_conformance(ctx, response, case)
    return result


@negative.parametrize()
def test_forbidden_requests_are_refused(
    case: schemathesis.Case, conformance_backend: RunningBackend
) -> None:
    case.call_and_validate(
        base_url=conformance_backend.url,
        headers=AUTHORIZATION,
        checks=[not_a_server_error, negative_data_rejection, conforms_unless_malformed_v2_read],
    )

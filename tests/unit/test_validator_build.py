"""The SDK's validators are built before a customer's page is validated, one model per turn of
the event loop, the innermost first, so no turn holds the loop for a whole model tree."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict

from metro_tui.api.metronome_pages import build_validators, models_inside_out


class Deferred(BaseModel):
    # As the SDK's models are: validators built the first time they are needed.
    model_config = ConfigDict(defer_build=True)


class Price(Deferred):
    cents: int


class Grant(Deferred):
    price: Price | None = None
    schedule: list[Price] = []


class Term(Deferred):
    grants: list[Grant]
    price: Price


class Contract(Deferred):
    terms: dict[str, Term] = {}
    grants: list[Grant] = []


def test_every_model_comes_after_the_models_inside_it_and_once() -> None:
    assert models_inside_out(Contract) == [Price, Grant, Term, Contract]


async def test_one_model_is_built_per_loop_turn_innermost_first() -> None:
    assert not any(m.__pydantic_complete__ for m in (Price, Grant, Term, Contract))
    loop = asyncio.get_running_loop()
    built_by_turn: list[list[str]] = []
    counting = [True]

    def each_turn() -> None:
        # Called once per turn of the loop: each call schedules the next.
        built = [m.__name__ for m in (Price, Grant, Term, Contract) if m.__pydantic_complete__]
        if not built_by_turn or built_by_turn[-1] != built:
            built_by_turn.append(built)
        if counting[0]:
            loop.call_soon(each_turn)

    loop.call_soon(each_turn)
    try:
        await build_validators(Contract)
    finally:
        counting[0] = False

    assert built_by_turn == [
        [],
        ["Price"],
        ["Price", "Grant"],
        ["Price", "Grant", "Term"],
    ]
    assert Contract.__pydantic_complete__
    contract = Contract.model_validate({"terms": {"a": {"grants": [], "price": {"cents": 5}}}})
    assert contract.terms["a"].price.cents == 5

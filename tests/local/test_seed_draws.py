"""The seed's quick draws give the values, and leave the stream where, `random`'s methods do."""

from __future__ import annotations

import random

from metro_tui.local.seed.draws import between, pick, uniform

OPTIONS = ("a", "b", "c", "d", "e")


def test_pick_between_and_uniform_draw_as_choice_randint_and_uniform() -> None:
    drawn, reference = random.Random(11), random.Random(11)

    ours = [
        (pick(drawn, OPTIONS[: 1 + n % 5]), between(drawn, 5, 100 + n), uniform(drawn, 0.1, 4.0))
        for n in range(2_000)
    ]

    assert ours == [
        (
            reference.choice(OPTIONS[: 1 + n % 5]),
            reference.randint(5, 100 + n),
            reference.uniform(0.1, 4.0),
        )
        for n in range(2_000)
    ]
    assert drawn.getrandbits(64) == reference.getrandbits(64)

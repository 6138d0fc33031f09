"""How the benchmarks state a figure judged as a ratio to its floor."""

from __future__ import annotations

from benchmarks.floor import Floor, FloorRatio

APP_FLOOR = Floor("empty app's first frame", 0.5, (0.6, 0.5, 0.4))


def test_a_ratio_within_its_target_passes() -> None:
    seed = FloorRatio("demo data", 1.2, APP_FLOOR, 3)

    assert seed.line() == "demo data: 1.20 s / 0.50 s = 2.40x (target <= 3x): pass"
    row = seed.figure()
    assert (row.measured, row.target, row.verdict) == (
        "1.20 s / 0.50 s = 2.40x",
        "<= 3x floor",
        "pass",
    )
    assert row.reference == "floor: empty app's first frame"


def test_a_ratio_over_its_target_fails_and_one_without_a_target_is_pending() -> None:
    assert FloorRatio("demo data", 1.6, APP_FLOOR, 3).line() == (
        "demo data: 1.60 s / 0.50 s = 3.20x (target <= 3x): FAIL"
    )
    help_ = FloorRatio("--help", 0.75, APP_FLOOR, None, "imports")
    assert help_.line() == "--help: 0.75 s / 0.50 s = 1.50x (no target yet)"
    assert (help_.figure().verdict, help_.figure().reference) == (
        "pending",
        "floor: empty app's first frame; imports",
    )


def test_a_floor_is_shown_with_its_readings_and_judged_by_nothing() -> None:
    row = APP_FLOOR.figure()

    assert (row.name, row.measured, row.target, row.verdict) == (
        "floor: empty app's first frame",
        "0.50 s (median of 0.60, 0.50, 0.40 s)",
        "",
        "floor",
    )

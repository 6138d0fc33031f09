"""The collector's thresholds while loads run: young collections spaced out, then put back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from metro_tui.sync.collector import LOAD_YOUNG_THRESHOLD, young_collections_spaced_out


@pytest.fixture
def default_thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_overlapping_loads_put_the_thresholds_back_once_the_last_one_ends(
    default_thresholds: tuple[int, int, int],
) -> None:
    first = young_collections_spaced_out()
    second = young_collections_spaced_out()
    first.__enter__()
    during_one = gc.get_threshold()
    second.__enter__()
    first.__exit__(None, None, None)  # the first load ends while the second still runs
    during_the_second = gc.get_threshold()
    second.__exit__(None, None, None)

    assert during_one == during_the_second == (LOAD_YOUNG_THRESHOLD, 10, 10)
    assert gc.get_threshold() == default_thresholds


def test_a_failed_load_puts_the_thresholds_back(default_thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), young_collections_spaced_out():
        raise RuntimeError("the load failed")

    assert gc.get_threshold() == default_thresholds

"""The package metadata builds without deprecation warnings from setuptools."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_license_is_an_spdx_expression_for_a_setuptools_that_reads_one() -> None:
    # A `{ text = ... }` table makes setuptools 77+ print a deprecation block per build step;
    # the SPDX string needs setuptools 77, so the build requires at least that.
    document = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert document["project"]["license"] == "MIT"
    assert document["build-system"]["requires"] == ["setuptools>=77"]

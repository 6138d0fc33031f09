"""Seeding the demo data (`metro-tui local reset`) loads no web server or framework."""

from __future__ import annotations

import subprocess
import sys

WEB = ("fastapi", "starlette", "uvicorn")


def test_the_reset_command_and_the_seed_import_no_web_framework() -> None:
    program = (
        "import sys; import metro_tui.local.cli, metro_tui.local.seed.dataset; "
        f"print(sorted(m for m in {WEB!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )

    assert loaded.stdout.strip() == "[]"

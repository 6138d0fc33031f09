"""The first run's demo data progress: redrawn in place at a terminal, a line a stage in a log."""

from __future__ import annotations

import io

from metro_tui.seed_progress import SeedProgress

REPORTS = [
    ("catalog", 1, 1),
    ("invoices", 2_000, 4_100),
    ("invoices", 4_100, 4_100),
    ("usage events", 1, 35),
    ("usage events", 35, 35),
]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_line_per_finished_stage() -> None:
    log = io.StringIO()
    progress = SeedProgress(log, "Creating demo data in d.sqlite3:")
    for report in REPORTS:
        progress(*report)
    progress.finish("Created demo data in d.sqlite3: 150 Stripe customers.")

    assert log.getvalue() == (
        "Creating demo data in d.sqlite3: catalog 1/1\n"
        "Creating demo data in d.sqlite3: invoices 4,100/4,100\n"
        "Creating demo data in d.sqlite3: usage events 35/35\n"
        "Created demo data in d.sqlite3: 150 Stripe customers.\n"
    )


def test_a_terminal_gets_one_line_redrawn_with_every_report() -> None:
    terminal = Terminal()
    progress = SeedProgress(terminal, "Creating:")
    for report in REPORTS:
        progress(*report)
    progress.finish("Created.")

    assert terminal.getvalue() == (
        "\r\x1b[KCreating: catalog 1/1"
        "\r\x1b[KCreating: invoices 2,000/4,100"
        "\r\x1b[KCreating: invoices 4,100/4,100"
        "\r\x1b[KCreating: usage events 1/35"
        "\r\x1b[KCreating: usage events 35/35"
        "\r\x1b[KCreated.\n"
    )

"""`metro-tui local serve|reset`: argument checks, refusing remote hosts, serving, reseeding."""

from __future__ import annotations

import signal
import socket
import sqlite3
from pathlib import Path

import httpx
import pytest
import stripe

from metro_tui.local.cli import is_loopback, main
from metro_tui.local.db import Database
from metro_tui.local.server import free_port
from metro_tui.local.stripe.store import insert_stripe_customer
from tests.local.serving import start_serving, wait_until_ready


def data_with_one_customer(path: Path) -> Path:
    db = Database(path)
    with db.transaction() as conn:
        insert_stripe_customer(
            conn,
            customer_id="cus_C0000000000001",
            name="Kept Co",
            email="kept@example.com",
            created=1_760_000_000,
        )
    db.close()
    return path


def stripe_customer_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT id FROM stripe_customers ORDER BY seq")]
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.com"])
def test_serve_refuses_a_host_other_machines_can_reach(
    host: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["serve", "--host", host, "--data", str(tmp_path / "d.sqlite3")])

    assert code == 2
    assert f"refusing to serve on {host}, which other machines can reach" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "d.sqlite3").exists()


def test_loopback_hosts() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1")] == [
        True,
        True,
        True,
        True,
    ]
    assert [is_loopback(h) for h in ("0.0.0.0", "10.0.0.1", "::", "host.local")] == [
        False,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["serve", "--today", "2026-13-01"],
            "argument --today: '2026-13-01' is not a date; use YYYY-MM-DD, e.g. 2026-11-24",
        ),
        (["serve", "--latency-ms", "-5"], "argument --latency-ms: -5 must not be negative"),
        (["serve", "--error-rate", "1.5"], "argument --error-rate: 1.5 is not between 0 and 1"),
        (["serve", "--error-rate", "nan"], "argument --error-rate: 'nan' is not a finite number"),
        (["serve", "--rate-limit", "fast"], "argument --rate-limit: 'fast' is not a number"),
        (
            ["serve", "--port", "70000"],
            "argument --port: 70000 is not a port; use 1..65535, or 0 for any",
        ),
        (["serve", "--token", ""], "argument --token: the token must be non-empty, without spaces"),
        (["reset", "--customers", "0"], "argument --customers: 0 must be at least 1"),
        (["reset", "--seed", "x"], "argument --seed: 'x' is not a whole number"),
        (["serve", "--colour", "red"], "unrecognized arguments: --colour red"),
        ([], "the following arguments are required: {serve,reset}"),
    ],
)
def test_bad_arguments_get_clear_messages(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 2
    assert message in capsys.readouterr().err


def test_serve_reports_a_port_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = data_with_one_customer(tmp_path / "d.sqlite3")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--data", str(data), "--port", str(port)])

    assert code == 1
    assert f"port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err


def test_serve_prints_settings_serves_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    data = data_with_one_customer(tmp_path / "d.sqlite3")
    port = free_port()
    process = start_serving(data, port)
    try:
        settings = wait_until_ready(process)
        listed = list_customers(f"http://127.0.0.1:{port}/stripe", "sk_test_local-demo-token")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate()
    finally:
        process.kill()
        process.wait()

    assert settings == [
        f"METRONOME_BASE_URL=http://127.0.0.1:{port}",
        "METRONOME_BEARER_TOKEN=local-demo-token",
        f"STRIPE_API_BASE=http://127.0.0.1:{port}/stripe",
        "STRIPE_API_KEY=sk_test_local-demo-token",
    ]
    assert listed == ["cus_C0000000000001"]
    assert process.returncode == 0
    assert f"using the existing data in {data}" in stderr
    assert "metro-tui local: stopped." in stderr


def list_customers(stripe_base: str, key: str) -> list[str]:
    """The ids of the first page of Stripe customers."""
    client = stripe.StripeClient(key, base_addresses={"api": stripe_base}, max_network_retries=0)
    return [customer.id for customer in client.v1.customers.list().data]


def test_reset_deletes_and_reseeds_the_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = data_with_one_customer(tmp_path / "d.sqlite3")
    stale_wal = tmp_path / "d.sqlite3-wal"
    stale_wal.write_bytes(b"not a real WAL")

    code = main(
        ["reset", "--data", str(data), "--seed", "7", "--customers", "12", "--today", "2026-11-24"]
    )

    ids = stripe_customer_ids(data)
    assert code == 0
    assert len(ids) == 12
    assert "cus_C0000000000001" not in ids
    db = Database(data)
    try:
        assert (db.get_meta("seed"), db.get_meta("customers"), db.get_meta("today")) == (
            "7",
            "12",
            "2026-11-24",
        )
    finally:
        db.close()
    assert f"seeding {data} (seed 7, 12 customers)" in capsys.readouterr().err


def test_serve_seeds_an_empty_data_file(tmp_path: Path) -> None:
    data = tmp_path / "fresh.sqlite3"
    port = free_port()
    options = "--seed 3 --customers 12 --today 2026-11-24 --token tok-for-this-test"
    process = start_serving(data, port, *options.split())
    try:
        wait_until_ready(process)
        listed = list_customers(f"http://127.0.0.1:{port}/stripe", "sk_test_tok-for-this-test")
        metronome = httpx.get(
            f"http://127.0.0.1:{port}/v1/customers",
            headers={"Authorization": "Bearer tok-for-this-test"},
        )
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate()
    finally:
        process.kill()
        process.wait()

    assert len(listed) == 10  # the first page of the 12
    assert metronome.status_code == 200
    assert f"seeding {data} (seed 3, 12 customers)" in stderr
    assert process.returncode == 0


def test_seeding_refusal_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.sqlite3"

    code = main(["reset", "--data", str(data), "--customers", "3"])

    assert code == 2
    assert capsys.readouterr().err.endswith(
        f"metro-tui local: cannot seed {data}: the demo dataset needs at least 10 customers\n"
    )


def stop_at_usage_events(stage: str, done: int, total: int) -> None:
    """Ctrl+C as the seed reaches its usage events, customers and invoices written."""
    if stage == "usage events":
        raise KeyboardInterrupt


@pytest.mark.parametrize("command", ["reset", "serve"])
def test_ctrl_c_while_seeding_stops_with_a_message_and_leaves_no_data(
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "d.sqlite3"
    monkeypatch.setattr("metro_tui.local.cli._report_progress", stop_at_usage_events)
    arguments = [command, "--data", str(data), "--customers", "12", "--today", "2026-11-24"]

    code = main([*arguments, "--port", "0"] if command == "serve" else arguments)

    assert code == 130
    assert capsys.readouterr().err.endswith(
        f"metro-tui local: stopped; {data} was not seeded (`metro-tui local reset` seeds it).\n"
    )
    left = sorted(p.name for p in tmp_path.iterdir())
    if command == "reset":
        assert left == []
    else:  # serve opened the data file to see that it was empty, and left it so
        assert left == ["d.sqlite3"]
        db = Database(data)
        try:
            assert db.is_empty()
        finally:
            db.close()

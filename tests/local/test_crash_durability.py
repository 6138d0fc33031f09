"""A `metro-tui local serve` process killed mid-write loses no acknowledged write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from metro_tui.local.db import Database
from metro_tui.local.server import free_port
from metro_tui.local.stripe_store import insert_stripe_customer
from tests.conftest import TEST_TOKEN

WRITERS = 4


def prepared_data_file(path: Path) -> Path:
    """A data file that already holds a customer, so `serve` does not seed it."""
    db = Database(path)
    with db.transaction() as conn:
        insert_stripe_customer(
            conn,
            customer_id="cus_D0000000000000",
            name="Existing",
            email=None,
            created=1_760_000_000,
        )
    db.close()
    return path


def wait_until_listening(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            httpx.get(f"http://127.0.0.1:{port}/stripe/v1/customers", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not start listening")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    data = prepared_data_file(tmp_path / "crash.sqlite3")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "metro_tui",
            "local",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--token",
            TEST_TOKEN,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_listening(port, process)
        yield process, f"http://127.0.0.1:{port}/stripe", data
    finally:
        process.kill()
        process.wait(timeout=10)


def create_customer(http: httpx.Client, url: str, name: str) -> str:
    response = http.post(f"{url}/v1/customers", data={"name": name, "metadata[n]": name})
    response.raise_for_status()
    customer_id: str = response.json()["id"]
    return customer_id


def test_sigkill_mid_stream_keeps_every_acknowledged_write(
    server: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, url, data = server
    headers = {"Authorization": f"Bearer sk_test_{TEST_TOKEN}"}
    acknowledged: list[str] = []
    with httpx.Client(headers=headers, timeout=5) as http:
        acknowledged += [create_customer(http, url, f"before-{n}") for n in range(30)]

    def keep_writing(writer: int) -> None:
        with httpx.Client(headers=headers, timeout=5) as http:
            for n in range(10_000):
                try:
                    acknowledged.append(create_customer(http, url, f"w{writer}-{n}"))
                except httpx.TransportError:
                    return  # the server is gone

    writers = [threading.Thread(target=keep_writing, args=(w,)) for w in range(WRITERS)]
    for writer in writers:
        writer.start()
    while len(acknowledged) < 60:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    for writer in writers:
        writer.join(timeout=10)
    process.wait(timeout=10)

    conn = sqlite3.connect(data)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        stored = {row[0] for row in conn.execute("SELECT id FROM stripe_customers")}
    finally:
        conn.close()
    assert process.returncode == -signal.SIGKILL
    assert integrity == "ok"
    assert len(acknowledged) >= 60
    assert set(acknowledged) <= stored
    assert "cus_D0000000000000" in stored

"""A `metro-tui local serve` process killed mid-write loses no acknowledged write, and a new one
starts on the same port at once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from metro_tui.local.db import Database
from metro_tui.local.server import free_port
from metro_tui.local.stripe.store import insert_stripe_customer
from tests.conftest import TEST_TOKEN
from tests.local.serving import serving, serving_forked, start_serving, wait_until_ready

WRITERS = 4
RESTARTS = 20
EXISTING = "cus_D0000000000000"
HEADERS = {"Authorization": f"Bearer sk_test_{TEST_TOKEN}"}


def prepared_data_file(path: Path, customer_id: str = EXISTING) -> Path:
    """A data file that already holds a customer, so `serve` does not seed it."""
    db = Database(path)
    with db.transaction() as conn:
        insert_stripe_customer(
            conn, customer_id=customer_id, name="Existing", email=None, created=1_760_000_000
        )
    db.close()
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return prepared_data_file(tmp_path / "crash.sqlite3")


def create_customer(http: httpx.Client, url: str, name: str) -> str:
    response = http.post(f"{url}/v1/customers", data={"name": name, "metadata[n]": name})
    response.raise_for_status()
    customer_id: str = response.json()["id"]
    return customer_id


class Writers:
    """Threads creating customers until the server goes away, recording each acknowledged id."""

    def __init__(self, url: str, label: str, wanted: int) -> None:
        self.url = url
        self.label = label
        self.wanted = wanted
        self.acknowledged: list[str] = []
        self.enough = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._write, args=(w,)) for w in range(WRITERS)]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for thread in self._threads:
            thread.join()

    def _write(self, writer: int) -> None:
        try:
            with httpx.Client(headers=HEADERS, timeout=None) as http:
                for n in range(10_000):
                    customer_id = create_customer(http, self.url, f"{self.label}-w{writer}-{n}")
                    with self._lock:
                        self.acknowledged.append(customer_id)
                        if len(self.acknowledged) >= self.wanted:
                            self.enough.set()
        except httpx.TransportError:
            pass  # the server is gone
        finally:
            self.enough.set()  # never leave the test waiting for a writer that stopped


def kill_while_writing(kill: Callable[[], int], url: str, label: str) -> list[str]:
    """SIGKILL the server (`kill` returns its exit status) once clients have had some writes
    acknowledged; their ids."""
    with Writers(url, label, wanted=WRITERS * 5) as writers:
        writers.enough.wait()
        status = kill()
    assert status == -signal.SIGKILL
    assert len(writers.acknowledged) >= WRITERS * 5
    return writers.acknowledged


def sigkill(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return process.returncode


def stored_ids(data: Path) -> tuple[str, set[str]]:
    conn = sqlite3.connect(data)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return integrity, {row[0] for row in conn.execute("SELECT id FROM stripe_customers")}
    finally:
        conn.close()


def test_sigkill_mid_stream_keeps_every_acknowledged_write(data: Path) -> None:
    port = free_port()
    with serving(data, port, "--token", TEST_TOKEN) as process:
        url = f"http://127.0.0.1:{port}/stripe"
        with httpx.Client(headers=HEADERS, timeout=None) as http:
            acknowledged = [create_customer(http, url, f"before-{n}") for n in range(30)]
        acknowledged += kill_while_writing(lambda: sigkill(process), url, "during")

    integrity, stored = stored_ids(data)
    assert integrity == "ok"
    assert set(acknowledged) <= stored
    assert EXISTING in stored


def test_a_server_killed_while_clients_write_restarts_on_the_same_port_at_once(
    data: Path,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/stripe"
    acknowledged: list[str] = []
    for restart in range(RESTARTS):
        # The killed server's connections linger in TIME_WAIT on this port; serve must not care.
        with serving_forked(data, port, "--token", TEST_TOKEN) as server:
            acknowledged += kill_while_writing(server.kill, url, f"r{restart}")

    integrity, stored = stored_ids(data)
    assert integrity == "ok"
    assert set(acknowledged) <= stored
    assert len(stored) >= 1 + RESTARTS * WRITERS * 5


def test_a_server_stopped_with_ctrl_c_restarts_on_the_same_port_at_once(data: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/stripe"
    created = []
    for restart in range(2):
        process = start_serving(data, port, "--token", TEST_TOKEN)
        wait_until_ready(process)
        # A kept-alive connection that the server closes first leaves the port in TIME_WAIT.
        with httpx.Client(headers=HEADERS, timeout=None) as http:
            created.append(create_customer(http, url, f"ctrl-c-{restart}"))
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate()
        assert (process.returncode, stderr.splitlines()[-1]) == (0, "metro-tui local: stopped.")

    assert set(created) <= stored_ids(data)[1]


def test_two_servers_never_share_a_port(data: Path, tmp_path: Path) -> None:
    port = free_port()
    other_data = prepared_data_file(tmp_path / "other.sqlite3", "cus_O0000000000000")
    with serving(data, port, "--token", TEST_TOKEN):
        second = start_serving(other_data, port, "--token", TEST_TOKEN)
        stdout, stderr = second.communicate()
        with httpx.Client(headers=HEADERS, timeout=None) as http:
            listed = http.get(f"http://127.0.0.1:{port}/stripe/v1/customers").json()

    assert second.returncode == 1
    assert stdout == ""
    assert stderr.endswith(
        f"metro-tui local: port {port} on 127.0.0.1 is already in use; choose another with "
        "--port (0 picks a free one).\n"
    )
    assert [customer["id"] for customer in listed["data"]] == [EXISTING]

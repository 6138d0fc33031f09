"""Which hosts `metro-tui serve` listens on without --allow-remote, and the URL it prints."""

from __future__ import annotations

import argparse
import socket

import pytest

from metro_tui.web.hosts import is_loopback, port_number, url_host


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.10", False),
        ("fe80::1", False),
        ("example.com", False),  # a name might resolve anywhere
    ],
)
def test_only_loopback_hosts_need_no_allow_remote(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("host", "shown"),
    [("127.0.0.1", "127.0.0.1"), ("::1", "[::1]"), ("192.168.1.10", "192.168.1.10")],
)
def test_the_url_names_the_host_listened_on(host: str, shown: str) -> None:
    assert url_host(host) == shown


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_listening_everywhere_the_url_names_this_machine(host: str) -> None:
    assert url_host(host) == socket.gethostname()


def test_ports_are_0_to_65535() -> None:
    assert [port_number(text) for text in ("0", "8000", "65535")] == [0, 8000, 65535]
    for text in ("65536", "-1", "http", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            port_number(text)

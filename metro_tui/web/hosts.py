"""Where the server may listen: this machine only, unless whoever starts it says otherwise."""

from __future__ import annotations

import argparse
import ipaddress
import socket

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def is_loopback(host: str) -> bool:
    """Only this machine can reach it; a name other than localhost is never assumed to be."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 for any free one."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def remote_refusal(host: str) -> str:
    return (
        f"metro-tui serve: refusing to listen on {host}, which other machines can reach: "
        "anyone who can reach the port would see this account's billing data. Use the "
        "default --host 127.0.0.1, or add --allow-remote if you mean to share it."
    )


def remote_warning(host: str, port: int) -> str:
    return (
        f"metro-tui serve: warning: listening on {host} port {port} (--allow-remote). Anyone "
        "who can reach this port and has the URL below sees this account's billing data, and "
        "plain HTTP carries that URL and the data across the network unencrypted."
    )


def url_host(host: str) -> str:
    """The host to put in the URL to open: this machine's name when listening everywhere."""
    if host in WILDCARD_HOSTS:
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host

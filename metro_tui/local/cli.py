"""`metro-tui local serve|reset`: run the bundled local backend standalone, or reseed its data.

The default token, `local-demo-token`, guards nothing but demo data on this machine, which is
why it may be given on the command line; the server refuses non-loopback hosts unless
`--allow-remote` says otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import math
import sys
from datetime import date
from pathlib import Path

from metro_tui.local.config import BackendConfig
from metro_tui.local.db import Database

DEFAULT_TOKEN = "local-demo-token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_SEED = 42
DEFAULT_CUSTOMERS = 150
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl+C


def default_data_file() -> Path:
    import platformdirs  # here: ~20 ms to import (it loads tempfile and shutil)

    return Path(platformdirs.user_data_dir("metro-tui")) / "local.sqlite3"


class DefaultDataFile:
    """`--data`'s default, found only when it is used or shown in the help, so that a command
    given `--data` (as every benchmark and script gives it) does not import platformdirs."""

    def __str__(self) -> str:
        return str(default_data_file())


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the problem and the usage
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    if isinstance(args.data, DefaultDataFile):
        args.data = default_data_file()
    if args.command == "serve":
        return _serve(args)
    return _reset(args)


def _serve(args: argparse.Namespace) -> int:
    # Imported here: the server (FastAPI, uvicorn) is not needed to print --help or to reset.
    from metro_tui.local.server import bind, listen, serve_forever

    if not _host_allowed(args.host, args.allow_remote, args.token):
        return EXIT_USAGE
    try:
        # Bound before seeding, which can take minutes, so a taken port is reported at once.
        sock = bind(args.host, args.port)
    except OSError as error:
        return _cannot_listen(args.host, args.port, error)
    data: Path = args.data
    data.parent.mkdir(parents=True, exist_ok=True)
    try:
        seeded = _seed_if_empty(data, args)
    except KeyboardInterrupt:
        sock.close()
        return _stopped_seeding(data)
    if not seeded:
        sock.close()
        return EXIT_USAGE
    try:
        listen(sock)
    except OSError as error:
        return _cannot_listen(args.host, args.port, error)
    config = BackendConfig(
        token=args.token,
        today=args.today,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        rate_limit=args.rate_limit,
        drop_after_commit=args.drop_after_commit,
    )
    # Printed once the socket listens: from here on a client's connection is accepted.
    _print_settings(args.host, sock.getsockname()[1], config, data)
    # uvicorn stops cleanly on Ctrl+C, then re-raises the interrupt for the caller.
    with contextlib.suppress(KeyboardInterrupt):
        serve_forever(data, config, sock=sock)
    print("metro-tui local: stopped.", file=sys.stderr)
    return 0


def _cannot_listen(host: str, port: int, error: OSError) -> int:
    problem = (
        f"port {port} on {host} is already in use; choose another with --port (0 picks a free one)."
        if error.errno == errno.EADDRINUSE
        else f"cannot listen on {host} port {port}: {error.strerror or error}."
    )
    print(f"metro-tui local: {problem}", file=sys.stderr)
    return 1


def _host_allowed(host: str, allow_remote: bool, token: str) -> bool:
    """Loopback hosts always; others only with --allow-remote, and then with a warning."""
    if is_loopback(host):
        return True
    if not allow_remote:
        print(
            f"metro-tui local: refusing to serve on {host}, which other machines can reach; "
            "the local backend is meant for this machine only. Use --host 127.0.0.1, or add "
            "--allow-remote if you really want to expose it.",
            file=sys.stderr,
        )
        return False
    advice = " (and the default token is public: pass --token)" if token == DEFAULT_TOKEN else ""
    print(
        f"metro-tui local: warning: serving on {host}; anyone who can reach it and knows the "
        f"token can read and change this data{advice}.",
        file=sys.stderr,
    )
    return True


def _reset(args: argparse.Namespace) -> int:
    data: Path = args.data
    for path in (data, *(data.with_name(data.name + suffix) for suffix in ("-wal", "-shm"))):
        path.unlink(missing_ok=True)
    data.parent.mkdir(parents=True, exist_ok=True)
    try:
        return 0 if _seed(data, args) else EXIT_USAGE
    except KeyboardInterrupt:
        return _stopped_seeding(data)


def _seed_if_empty(data: Path, args: argparse.Namespace) -> bool:
    """False when the file needed seeding and the seed refused the options."""
    db = Database(data)
    try:
        empty = db.is_empty()
    finally:
        db.close()
    if empty:
        return _seed(data, args)
    print(
        f"metro-tui local: using the existing data in {data} (`metro-tui local reset` reseeds it).",
        file=sys.stderr,
    )
    return True


def _seed(data: Path, args: argparse.Namespace) -> bool:
    """Seed the demo data; False (with the reason on stderr) when the seed refuses."""
    from metro_tui.local.seed.dataset import SeedOptions, seed_database

    options = SeedOptions(seed=args.seed, customers=args.customers, today=args.today)
    print(
        f"metro-tui local: seeding {data} (seed {options.seed}, {options.customers} customers)...",
        file=sys.stderr,
    )
    try:
        summary = seed_database(data, options, progress=_report_progress)
    except ValueError as refusal:
        print(f"metro-tui local: cannot seed {data}: {refusal}", file=sys.stderr)
        return False
    print(f"metro-tui local: seeded: {summary}", file=sys.stderr)
    return True


def _stopped_seeding(data: Path) -> int:
    # The seed fills a file beside the data file and moves it into place only when complete,
    # so a stopped seed leaves the data file as it was: say so instead of a traceback.
    print(
        f"metro-tui local: stopped; {data} was not seeded (`metro-tui local reset` seeds it).",
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED


def _report_progress(stage: str, done: int, total: int) -> None:
    print(f"  {stage}: {done}/{total}", file=sys.stderr)


def _print_settings(host: str, port: int, config: BackendConfig, data: Path) -> None:
    base = f"http://{_url_host(host)}:{port}"
    print(f"METRONOME_BASE_URL={base}")
    print(f"METRONOME_BEARER_TOKEN={config.token}")
    print(f"STRIPE_API_BASE={base}/stripe")
    print(f"STRIPE_API_KEY=sk_test_{config.token}", flush=True)
    print(
        f"metro-tui local: serving {data} on {base}; press Ctrl+C to stop.",
        file=sys.stderr,
        flush=True,
    )


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metro-tui local",
        description="Run the bundled local Metronome + Stripe backend, or reseed its data.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{serve,reset}")
    serve = commands.add_parser("serve", help="seed the data file if it is empty, then serve")
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)"
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to listen on; 0 picks a free one (default %(default)s)",
    )
    _add_data_arguments(serve)
    serve.add_argument(
        "--token",
        type=_token,
        default=DEFAULT_TOKEN,
        help="the Metronome bearer token; the Stripe key is sk_test_<token> (default %(default)s)",
    )
    serve.add_argument(
        "--latency-ms",
        type=_non_negative_int,
        default=0,
        help="answer each request this many milliseconds after it arrives (the work included)",
    )
    serve.add_argument(
        "--error-rate",
        type=_probability,
        default=0.0,
        help="answer this fraction of requests (0..1) with a 500",
    )
    serve.add_argument(
        "--rate-limit",
        type=_non_negative_float,
        default=0.0,
        help="requests per second before answering 429 (0 = unlimited)",
    )
    serve.add_argument(
        "--drop-after-commit",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="commit the first N contract creates, then drop their connections unanswered",
    )
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow a --host that other machines can reach"
    )
    reset = commands.add_parser("reset", help="delete the data file and seed it again")
    _add_data_arguments(reset)
    return parser


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=DefaultDataFile(),
        help="the SQLite data file (default %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=_whole_number,
        default=DEFAULT_SEED,
        help="random seed of the demo data (default %(default)s)",
    )
    parser.add_argument(
        "--customers",
        type=_positive_int,
        default=DEFAULT_CUSTOMERS,
        help="number of Stripe customers to create (default %(default)s)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        help="the day the demo data and the server treat as today (YYYY-MM-DD)",
    )


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-24"
        ) from None


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _finite_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _port(text: str) -> int:
    port = _whole_number(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port; use 1..65535, or 0 for any")
    return port


def _positive_int(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    return value


def _non_negative_float(text: str) -> float:
    value = _finite_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    return value


def _probability(text: str) -> float:
    value = _finite_number(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _token(text: str) -> str:
    if not text or any(ch.isspace() or not ch.isprintable() for ch in text):
        raise argparse.ArgumentTypeError("the token must be non-empty, without spaces")
    return text

"""The `metro-tui` command: the app, `export`, and the bundled `local` backend."""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pydantic import SecretStr, ValidationError

from metro_tui.api.errors import BillingApiError
from metro_tui.config import Settings, load_settings
from metro_tui.connection import Connection, MissingCredentialError, open_connection
from metro_tui.services.clock import now_for
from metro_tui.sync.engine import SyncEngine
from metro_tui.sync.progress import SyncProgress


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-24") from None


def _add_backend_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("backend")
    group.add_argument("--metronome-url", help="Metronome API base URL (METRONOME_BASE_URL)")
    group.add_argument("--stripe-url", help="Stripe API base URL (STRIPE_API_BASE)")
    group.add_argument("--today", type=_day, help="pretend today is this date (YYYY-MM-DD)")
    group.add_argument(
        "--local", action="store_true", default=None, help="use the bundled local backend"
    )
    group.add_argument("--data", type=Path, help="the local backend's data file")
    group.add_argument("--concurrency", type=int, help="requests in flight at once (default 16)")


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        metronome_base_url=args.metronome_url,
        stripe_api_base=args.stripe_url,
        today=args.today,
        local=args.local,
        data=args.data,
        concurrency=args.concurrency,
    )


@contextmanager
def connected(settings: Settings) -> Iterator[tuple[Settings, Connection]]:
    """Connect to the configured account, or start the bundled backend and connect to it."""
    if not settings.uses_local_backend:
        yield settings, open_connection(settings)
        return
    from metro_tui.local.app import BackendConfig
    from metro_tui.local.db import Database
    from metro_tui.local.seed import SeedOptions, seed_database
    from metro_tui.local.server import start_in_thread

    data = settings.data_file
    data.parent.mkdir(parents=True, exist_ok=True)
    today = settings.today.isoformat() if settings.today else None
    database = Database(data)
    empty = database.is_empty()
    database.close()
    if empty:
        print(f"Creating demo data in {data} …", file=sys.stderr)
        seed_database(data, SeedOptions(today=today))
    token = secrets.token_urlsafe(24)
    backend = start_in_thread(data, BackendConfig(token=token, today=today))
    try:
        local_settings = settings.model_copy(
            update={
                "metronome_bearer_token": SecretStr(token),
                "metronome_base_url": backend.metronome_url,
                "stripe_api_key": SecretStr(backend.stripe_key),
                "stripe_api_base": backend.stripe_url,
            }
        )
        yield local_settings, open_connection(local_settings, local_data=data)
    finally:
        backend.stop()


class _StderrProgress:
    """One line per change of stage, so a script's log stays readable."""

    def __init__(self) -> None:
        self._last = ""

    def __call__(self, progress: SyncProgress) -> None:
        # The stage without its counts, e.g. "Loading invoices".
        stage = progress.summary().rsplit(" ", 1)[0]
        if stage != self._last:
            self._last = stage
            print(progress.summary(), file=sys.stderr)


async def _export(args: argparse.Namespace, settings: Settings, connection: Connection) -> None:
    from metro_tui.export import write_export

    now = now_for(settings.today)
    try:
        engine = SyncEngine(
            connection.metronome,
            connection.stripe,
            now=now,
            concurrency=settings.concurrency,
            on_progress=_StderrProgress(),
        )
        snapshot = await engine.run()
    finally:
        await connection.close()
    for failure in snapshot.failures:
        print(f"warning: {failure}", file=sys.stderr)
    write_export(args.what, args.format, snapshot, now, sys.stdout)


def export_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metro-tui export", description="Print Overview or Customers figures."
    )
    parser.add_argument("what", choices=("overview", "customers"))
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    _add_backend_flags(parser)
    args = parser.parse_args(argv)
    if args.what == "overview" and args.format != "json":
        parser.error("the overview exports as JSON only (--format json)")
    try:
        with connected(_settings(args)) as (settings, connection):
            asyncio.run(_export(args, settings, connection))
    except (BillingApiError, MissingCredentialError) as error:
        print(f"metro-tui: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:
        print(f"metro-tui: invalid settings: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2
    return 0


def app_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metro-tui",
        description="Metronome billing in the terminal. Subcommands: export, local.",
    )
    _add_backend_flags(parser)
    args = parser.parse_args(argv)
    from metro_tui.app import run_app

    try:
        with connected(_settings(args)) as (settings, connection):
            run_app(settings, connection)
    except ValidationError as error:
        print(f"metro-tui: invalid settings: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "local":
        from metro_tui.local.cli import main as local_main

        return local_main(args[1:])
    if args and args[0] == "export":
        return export_main(args[1:])
    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())

"""The `metro-tui` command: the app, `connect`, `export`, and the bundled `local` backend.

Only the argument parsers are built at import: each command imports what it needs when it
runs, so `--help` (and a mistyped flag) answer without loading Textual, the SDKs, pydantic
or the local server, which take a second or more to import.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from datetime import date

    from metro_tui.config import Settings, SettingsError
    from metro_tui.session.connection import Connection
    from metro_tui.session.credentials import CredentialStore, StoredCredentials
    from metro_tui.session.sign_in import Verification
    from metro_tui.start_settings import AppSettings
    from metro_tui.sync.progress import SyncProgress


Given = TypeVar("Given", bound="AppSettings")
"""The settings `connected` is given: it hands back the same kind."""


def _day(text: str) -> date:
    from datetime import date

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


BACKEND_FLAGS = {
    "metronome_base_url": "--metronome-url",
    "stripe_api_base": "--stripe-url",
    "today": "--today",
    "local": "--local",
    "data": "--data",
    "concurrency": "--concurrency",
}
"""The flag behind each setting the backend flags set, to name it when its value is bad."""


def _settings(args: argparse.Namespace) -> Settings:
    from metro_tui.config import load_settings

    return load_settings(flag_names=BACKEND_FLAGS, **_backend_flags(args))


def _start_settings(args: argparse.Namespace) -> AppSettings:
    """The app's settings, validated without pydantic when every value is plainly valid."""
    from metro_tui.start_settings import load_start_settings

    return load_start_settings(flag_names=BACKEND_FLAGS, **_backend_flags(args))


def _backend_flags(args: argparse.Namespace) -> dict[str, object]:
    return dict(
        metronome_base_url=args.metronome_url,
        stripe_api_base=args.stripe_url,
        today=args.today,
        local=args.local,
        data=args.data,
        concurrency=args.concurrency,
    )


@contextmanager
def connected(settings: Given) -> Iterator[tuple[Given, Connection]]:
    """Connect to the configured account, or start the bundled backend and connect to it."""
    from metro_tui.session.connection import open_connection

    if not settings.uses_local_backend:
        yield settings, open_connection(settings)
        return
    import secrets

    from metro_tui.local.config import BackendConfig
    from metro_tui.local.db import Database
    from metro_tui.local.seed.dataset import SeedOptions, seed_database
    from metro_tui.local.server import start_in_thread
    from metro_tui.seed_progress import SeedProgress

    data = settings.data_file
    data.parent.mkdir(parents=True, exist_ok=True)
    today = settings.today.isoformat() if settings.today else None
    database = Database(data)
    empty = database.is_empty()
    database.close()
    if empty:
        progress = SeedProgress(sys.stderr, f"Creating demo data in {data}:")
        summary = seed_database(data, SeedOptions(today=today), progress)
        progress.finish(f"Created demo data in {data}: {summary}.")
    token = secrets.token_urlsafe(24)
    backend = start_in_thread(data, BackendConfig(token=token, today=today))
    try:
        local_settings = settings.on_local_backend(
            token, backend.metronome_url, backend.stripe_key, backend.stripe_url
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
    from metro_tui.services.clock import now_for
    from metro_tui.sync.refresh import refresh_cached

    now = now_for(settings.today)
    try:
        snapshot = await refresh_cached(
            connection.cache,
            connection.metronome,
            connection.stripe,
            now=now,
            concurrency=settings.concurrency,
            full=args.full,
            on_progress=_StderrProgress(),
            on_notice=lambda text: print(text, file=sys.stderr),
        )
        if args.what == "customer":
            from metro_tui.page_export import export_customer_page

            page = await export_customer_page(connection.metronome, snapshot, now, args.id)
    finally:
        await connection.close()
    for failure in snapshot.failures:
        print(f"warning: {failure}", file=sys.stderr)
    if args.what == "customer":
        import json

        json.dump(page, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    write_export(args.what, args.format, snapshot, now, sys.stdout)


CUSTOMER_EXPORT_FIELDS = (
    "stripe_customer_id",
    "metronome_customer_id",
    "name",
    "email",
    "date_created",
    "lifetime_billings_cents",
    "provision_status",
)
"""The fields of an exported customer, for `--help` only: the export itself takes them from
`export.CUSTOMER_FIELDS`, whose module is too heavy to import for help (a test keeps the two
equal)."""


def export_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metro-tui export",
        description=(
            "Print Overview or Customers figures, or one customer's page. The cached account is "
            "refreshed as the app refreshes it (invoices already final are not fetched again) "
            "and saved back."
        ),
        epilog=(
            f"customers: one record per linked customer, with {', '.join(CUSTOMER_EXPORT_FIELDS)}. "
            "customer ID: that customer's page (contracts with their terms and balances, "
            "invoices with their line items), by Stripe or Metronome id."
        ),
    )
    parser.add_argument("what", choices=("overview", "customers", "customer"))
    parser.add_argument(
        "id", nargs="?", help="customer: its Stripe id (cus_…) or Metronome customer id"
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument(
        "--full",
        action="store_true",
        help="reload the whole account instead of refreshing the cached one",
    )
    _add_backend_flags(parser)
    args = parser.parse_args(argv)
    if args.what == "overview" and args.format != "json":
        parser.error("the overview exports as JSON only (--format json)")
    if args.what == "customer" and (args.id is None or args.format != "json"):
        parser.error("export customer takes a Stripe or Metronome customer id, as JSON only")
    if args.what != "customer" and args.id is not None:
        parser.error(f"export {args.what} takes no customer id")
    import asyncio

    from metro_tui.config import SettingsError
    from metro_tui.errors import BillingApiError, UnknownCustomerError
    from metro_tui.session.connection import MissingCredentialError
    from metro_tui.session.credentials import CredentialStoreError

    try:
        with connected(_settings(args)) as (settings, connection):
            asyncio.run(_export(args, settings, connection))
    except (
        BillingApiError,
        MissingCredentialError,
        CredentialStoreError,
        UnknownCustomerError,
    ) as error:
        print(f"metro-tui: {error}", file=sys.stderr)
        return 1
    except SettingsError as error:
        return _invalid_settings(error)
    return 0


def _invalid_settings(error: SettingsError) -> int:
    for problem in error.problems:
        print(f"metro-tui: invalid setting: {problem}", file=sys.stderr)
    return 2


def _read_secret(prompt: str, from_stdin: bool) -> str:
    """Masked at a terminal; one line of stdin for scripts. Never a command-line argument."""
    if from_stdin:
        return sys.stdin.readline().strip()
    import getpass

    return getpass.getpass(prompt).strip()


def _ask_credentials(settings: Settings, from_stdin: bool) -> StoredCredentials:
    from metro_tui.session.credentials import StoredCredentials
    from metro_tui.session.sign_in import RESTRICTED_KEY_NOTE

    if not from_stdin:
        print(f"Connecting to Metronome at {settings.metronome_base_url}.", file=sys.stderr)
        print(RESTRICTED_KEY_NOTE, file=sys.stderr)
    return StoredCredentials(
        metronome_bearer_token=_read_secret("Metronome API token: ", from_stdin),
        metronome_base_url=settings.metronome_base_url,
        stripe_api_key=_read_secret("Stripe secret or restricted key: ", from_stdin),
        stripe_api_base=settings.stripe_api_base,
    )


def _report_connect(
    verification: Verification, credentials: StoredCredentials, store: CredentialStore
) -> int:
    from metro_tui.errors import mask

    if not verification.ok:
        for problem in verification.problems:
            print(problem.explain(), file=sys.stderr)
        print("Nothing was stored.", file=sys.stderr)
        return 1
    stripe_key = credentials.stripe_api_key or ""
    print(
        f"Verified Metronome at {credentials.metronome_base_url} and Stripe at "
        f"{credentials.stripe_api_base} ({verification.stripe_key_mode} key)."
    )
    print(
        f"Stored in {store.location}: Metronome token {mask(credentials.metronome_bearer_token)}, "
        f"Stripe key {mask(stripe_key)}."
    )
    for variable in ("METRONOME_BEARER_TOKEN", "STRIPE_API_KEY"):
        if os.environ.get(variable):
            print(f"Note: {variable} is set in the environment and overrides the stored value.")
    return 0


def _forget(store: CredentialStore) -> int:
    from metro_tui.config import load_settings
    from metro_tui.session.account_cache import forget_stored_account
    from metro_tui.session.credentials import CredentialStoreError

    try:
        cache_root: Path | None = load_settings().cache_root
    except CredentialStoreError:
        cache_root = None  # damaged credentials name no account, so no cache to find
    removed = forget_stored_account(store, cache_root) if cache_root else store.clear()
    if removed:
        print(f"Removed the stored credentials from {store.location}, and their cached data.")
    else:
        print(f"No credentials were stored in {store.location}.")
    return 0


def connect_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metro-tui connect",
        description=(
            "Verify a Metronome API token and a Stripe key, then store them in the OS keyring "
            "(or a file only you can read). They are typed at a masked prompt, never given "
            "as arguments."
        ),
    )
    parser.add_argument("--metronome-url", help="Metronome API base URL (METRONOME_BASE_URL)")
    parser.add_argument("--stripe-url", help="Stripe API base URL (STRIPE_API_BASE)")
    parser.add_argument(
        "--stdin",
        action="store_true",
        help="read the token, then the key, as the first two lines of standard input",
    )
    parser.add_argument(
        "--forget",
        action="store_true",
        help="remove the stored credentials and the cached data of their account",
    )
    args = parser.parse_args(argv)
    import asyncio

    from metro_tui.config import SettingsError, credential_store, load_settings
    from metro_tui.session.credentials import CredentialStoreError
    from metro_tui.session.sign_in import connect_account

    store = credential_store()
    try:
        if args.forget:
            return _forget(store)
        settings = load_settings(
            flag_names=BACKEND_FLAGS,
            metronome_base_url=args.metronome_url,
            stripe_api_base=args.stripe_url,
        )
        credentials = _ask_credentials(settings, args.stdin)
        verification = asyncio.run(connect_account(credentials, store))
    except CredentialStoreError as error:
        print(f"metro-tui: {error}", file=sys.stderr)
        return 1
    except SettingsError as error:
        return _invalid_settings(error)
    except (EOFError, KeyboardInterrupt):
        print("\nmetro-tui: cancelled; nothing was stored.", file=sys.stderr)
        return 1
    return _report_connect(verification, credentials, store)


def serve_main(argv: list[str]) -> int:
    from metro_tui.web import hosts

    parser = argparse.ArgumentParser(
        prog="metro-tui serve",
        description=(
            "Serve the app to web browsers. Each browser tab runs its own copy with this "
            "machine's settings and credentials; the printed URL carries an access token."
        ),
    )
    parser.add_argument(
        "--host",
        default=hosts.DEFAULT_HOST,
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port",
        type=hosts.port_number,
        default=hosts.DEFAULT_PORT,
        help="default 8000; 0 picks a free one",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="listen on a host other machines can reach (they see the billing data)",
    )
    _add_backend_flags(parser)
    args = parser.parse_args(argv)
    if not (args.allow_remote or hosts.is_loopback(args.host)):
        print(hosts.remote_refusal(args.host), file=sys.stderr)
        return 2
    import metro_tui.app  # noqa: F401  (declares every binding the keymap may name)
    from metro_tui.config import SettingsError
    from metro_tui.keymap import user_keymap
    from metro_tui.session.credentials import CredentialStoreError
    from metro_tui.web.server import serve

    try:
        requested = _settings(args)
        user_keymap(requested)  # checked here once, rather than failing in every tab
        with connected(requested) as (settings, connection):
            return serve(settings, connection, host=args.host, port=args.port)
    except CredentialStoreError as error:
        print(f"metro-tui: {error}", file=sys.stderr)
        return 2
    except SettingsError as error:
        return _invalid_settings(error)


def app_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="metro-tui",
        description="Metronome billing in the terminal.",
        usage=_usage(),
        epilog=_subcommands_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_backend_flags(parser)
    args = parser.parse_args(argv)
    from metro_tui.sync.collector import pause_until_first_frame, resume_after_first_frame

    pause_until_first_frame()  # the app switches it back on once its first frame is drawn
    from metro_tui.app import Relaunch, run_app  # also declares every binding a keymap may name
    from metro_tui.keymap import user_keymap
    from metro_tui.session.credentials import CredentialStoreError
    from metro_tui.settings_sources import SettingsError

    local = args.local
    try:
        while True:
            args.local = local
            requested = _start_settings(args)
            user_keymap(requested)  # before the demo data is made or the backend started
            with connected(requested) as (settings, connection):
                relaunch = run_app(settings, connection)
            if relaunch is None:
                return 0
            # Switching to the demo data forces the local backend; a new connection drops it.
            local = True if relaunch is Relaunch.LOCAL_DEMO else None
    except CredentialStoreError as error:
        print(f"metro-tui: {error}", file=sys.stderr)
        return 2
    except SettingsError as error:
        return _invalid_settings(error)
    finally:
        resume_after_first_frame()  # when no frame was drawn (bad settings, say)


def local_main(argv: list[str]) -> int:
    # Imported here: only this command loads the bundled backend's server code up front.
    from metro_tui.local.cli import main as run_local

    return run_local(argv)


class Subcommand(NamedTuple):
    """`metro-tui NAME ...`: what `metro-tui --help` says of it, and what runs it."""

    name: str
    summary: str
    run: Callable[[list[str]], int]


SUBCOMMANDS = (
    Subcommand("connect", "verify and store a Metronome API token and a Stripe key", connect_main),
    Subcommand("export", "print the Overview, the Customers or one customer's page", export_main),
    Subcommand("local", "run (serve) or reseed (reset) the bundled local backend", local_main),
    Subcommand("serve", "serve the app to web browsers, behind an access token", serve_main),
)
"""Every subcommand; `main` dispatches and `--help` lists from this one table."""


def _usage() -> str:
    names = ",".join(command.name for command in SUBCOMMANDS)
    return f"%(prog)s [-h] [backend flags]\n       %(prog)s {{{names}}} ..."


def _subcommands_help() -> str:
    width = max(len(command.name) for command in SUBCOMMANDS)
    lines = [f"  {command.name:<{width}}  {command.summary}" for command in SUBCOMMANDS]
    return "\n".join(
        ["subcommands:", *lines, "", "`metro-tui SUBCOMMAND --help` shows a subcommand's options."]
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    for command in SUBCOMMANDS:
        if args and args[0] == command.name:
            return command.run(args[1:])
    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())

"""The account as the app holds it: the snapshot, what is derived from it, and how it refreshes.

The app's screens reach the account through one `AccountStore`; the store never imports
Textual, so what it computes is tested without a terminal. Figures and rows are derived once
per snapshot, not per redraw (at 100,000 customers deriving rows is the expensive part), into
an `AccountView` that the store publishes to `on_account` every time it adopts a snapshot:
the app passes it on to every view, and each view redraws itself from it.

A finished load is only done once it is saved: deriving, showing and writing it run to their
end even if the caller is cancelled (the app quitting). A first load saves checkpoints of
what it has fetched, so an interrupted one resumes.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from metro_tui.errors import BillingApiError
from metro_tui.first_paint import FirstPaint, FirstPaintFile, first_paint_of
from metro_tui.services.clock import now_for
from metro_tui.session.account_cache import forget_stored_account
from metro_tui.session.credentials import CredentialStore, stored_token_origin
from metro_tui.session.gateways import load_sdks
from metro_tui.settings_sources import credential_store
from metro_tui.sync.collector import collector_paused, exempt_live_objects, freeze_live_objects
from metro_tui.sync.saving import AccountSaver

if TYPE_CHECKING:
    # The domain models (pydantic) and what is derived from them are imported when the
    # cache is read, after the first frame: the first frame draws from the first paint.
    # Only for annotations: the connection's module imports both SDKs, the wizard's drafts
    # are not needed until the wizard opens, and the sync engine not until the first refresh
    # (the app imports it in a worker thread after its first frame).
    from metro_tui.drafts.create import WizardGateway
    from metro_tui.models import Contract
    from metro_tui.page_records import CustomerPage
    from metro_tui.session.connection import Connection
    from metro_tui.start_settings import AppSettings
    from metro_tui.sync.engine import ProgressCallback, SyncEngine
    from metro_tui.sync.snapshot import AccountSnapshot
    from metro_tui.view_models import (
        AccountView,
        CustomerDetail,
        CustomerRow,
        LinkReport,
        OverviewFigures,
    )


class FinishStage(StrEnum):
    """The steps between the last response of a load and "Up to date"."""

    LOADED = "loaded"
    """Every record is in; nothing is derived or saved yet."""
    DERIVED = "derived"
    """The figures and rows are derived, not yet shown."""
    SHOWN = "shown"
    """The screens can show the new account; the cache still holds the old one."""
    SAVED = "saved"


StageHook = Callable[[FinishStage], Awaitable[None]]
AdoptedCallback = Callable[["AccountSnapshot"], None]
AccountListener = Callable[["AccountView"], None]


class AccountStore:
    """One connected account's snapshot, its cache, and the figures the screens show."""

    def __init__(
        self,
        settings: AppSettings,
        connection: Connection,
        *,
        credentials: CredentialStore | None = None,
        on_account: AccountListener | None = None,
    ) -> None:
        """`credentials`: where `metro-tui connect` keeps them (by default the OS keyring, else
        a file), opened when first needed, in a worker thread. `on_account` hears every
        account the store adopts, on the event loop."""
        self.settings = settings
        self.connection = connection
        self._credentials = credentials
        self.on_account = on_account
        self.account: AccountView | None = None
        self.saver = AccountSaver(lambda: self.connection.cache)
        self.on_finish_stage: StageHook | None = None
        """Awaited at each step of finishing a load; lets a caller act at exactly that point."""
        self._engine: SyncEngine | None = None
        self._on_screen: tuple[str, ...] = ()
        self._opened: str | None = None

    @property
    def now(self) -> datetime:
        return now_for(self.settings.today)

    @property
    def stripe_livemode(self) -> bool:
        stripe = self.connection.stripe
        return stripe.livemode if stripe is not None else False

    def first_paint(self) -> FirstPaint | None:
        """The first screen of the cached account, if one was saved for it today.

        A small file read on the event loop: the first frame shows it, whatever the size of
        the account, and `load_cached` replaces it with the whole account afterwards.
        """
        return self._first_paint_file().load(self.now.date())

    def has_cache(self) -> bool:
        """Whether a snapshot of this account was saved (it is read before any request)."""
        return self.connection.cache.path.exists()

    def _first_paint_file(self) -> FirstPaintFile:
        return FirstPaintFile(self.connection.cache)

    def _save_first_paint(self, account: AccountView) -> None:
        """Keep the first screen of a complete account beside its cache for the next start.

        Only a speed-up: when it cannot be written, the next start reads the whole cache.
        """
        if not account.complete:
            return
        try:
            self._first_paint_file().store(first_paint_of(account), self.now.date())
        except OSError:
            return

    async def load_cached(self) -> str | None:
        """Adopt the cached snapshot, if any; returns a notice when the cache was unusable.

        Read and derived in a worker thread: at 100,000 customers parsing the cache takes
        seconds, which on the event loop would freeze the first frame.
        """
        account, notice = await asyncio.to_thread(self._read_cache)
        if account is not None:
            self._install(account)
        return notice

    def _read_cache(self) -> tuple[AccountView | None, str | None]:
        with collector_paused():
            cached = self.connection.cache.load()
            account = None if cached.snapshot is None else self._derive(cached.snapshot)
            freeze_live_objects()
        if account is not None and self.first_paint() is None:
            # Saved by an earlier version, or on another day: the next start draws at once.
            self._save_first_paint(account)
        return account, cached.notice

    @property
    def snapshot(self) -> AccountSnapshot | None:
        return self.account.snapshot if self.account is not None else None

    @property
    def complete(self) -> bool:
        """Whether a whole account is held (not nothing, nor a partial load's checkpoint)."""
        return self.snapshot is not None and self.snapshot.complete

    @property
    def unsaved(self) -> bool:
        """Whether quitting now would lose work: a save is under way or a first load runs."""
        return self.saver.writing or (self._engine is not None and not self.complete)

    def adopt(self, snapshot: AccountSnapshot) -> None:
        """Make `snapshot` current, derive what the views show from it, and publish that."""
        self._install(self._derive(snapshot))

    def _derive(self, snapshot: AccountSnapshot) -> AccountView:
        from metro_tui.view_models import account_view

        return account_view(snapshot, self.now)

    def _install(self, account: AccountView) -> None:
        self.account = account
        self._publish()

    def _publish(self) -> None:
        if self.on_account is not None and self.account is not None:
            self.on_account(self.account)

    @property
    def overview(self) -> OverviewFigures | None:
        return self.account.overview if self.account is not None else None

    @property
    def rows(self) -> Sequence[CustomerRow]:
        """Linked customers first, then Stripe customers not in Metronome."""
        return self.account.rows if self.account is not None else ()

    def row_for(self, stripe_customer_id: str) -> CustomerRow | None:
        return self.account.row_for(stripe_customer_id) if self.account is not None else None

    def customers_on_screen(self, metronome_customer_ids: Sequence[str]) -> None:
        """The customers a view shows now: a running load fetches their records first."""
        self._on_screen = tuple(metronome_customer_ids)
        self._put_first()

    def customer_opened(self, metronome_customer_id: str | None) -> None:
        """The customer whose page is open: a running load fetches it before anyone else."""
        self._opened = metronome_customer_id
        self._put_first()

    @property
    def fetch_first(self) -> tuple[str, ...]:
        """The customers a load fetches before the rest: the open one, then those on screen."""
        opened = () if self._opened is None else (self._opened,)
        return (*opened, *self._on_screen)

    def _put_first(self) -> None:
        if self._engine is not None:
            self._engine.put_first(self.fetch_first)

    def link_report(self) -> LinkReport:
        """Why is a customer missing? The broken links of the account held."""
        from metro_tui.sync.snapshot import AccountSnapshot
        from metro_tui.view_models import link_report

        return link_report(self.snapshot or AccountSnapshot())

    def detail(self, row: CustomerRow) -> CustomerDetail:
        from metro_tui.sync.snapshot import AccountSnapshot

        account = self.account or self._derive(AccountSnapshot())
        return account.detail(row)

    async def refresh(
        self,
        on_progress: ProgressCallback | None = None,
        on_adopted: AdoptedCallback | None = None,
    ) -> AccountSnapshot:
        """Sync the account (incrementally from the current snapshot), adopt and save it.

        Without a complete account yet, the snapshot is adopted (and published) as it grows,
        and checkpoints of it are saved. `on_adopted` is called once the new account is
        published, before it is saved; a failed save raises `SaveFailed` after that.
        """
        from metro_tui.partial_views import PartialViews
        from metro_tui.sync.engine import SyncEngine

        first_load = not self.complete
        # Each partial result adds what came in since the last one, rather than summing the
        # whole account again: cheap enough to show often, so rows on screen fill in soon.
        views = PartialViews(self.now)

        def partial(snapshot: AccountSnapshot) -> None:
            self._install(views.derive(snapshot))
            self.saver.checkpoint_when_due(snapshot)

        # The first request of the session: the SDKs are imported off the event loop.
        await load_sdks()
        engine = SyncEngine(
            self.connection.metronome,
            self.connection.stripe,
            now=self.now,
            concurrency=self.settings.concurrency,
            on_progress=on_progress,
            on_partial=partial if first_load else None,
        )
        self._engine = engine
        self._put_first()
        try:
            snapshot = await engine.run(previous=self.snapshot)
        except BillingApiError:
            # The network went away mid-way: what was fetched is kept for the next try.
            if first_load:
                self.saver.checkpoint(engine.snapshot)
            raise
        finally:
            self._engine = None
        previous = self.snapshot
        if previous is not None:
            # Pages are loaded when opened, not by a sync: the last ones stay until then.
            snapshot.customer_pages = {**previous.customer_pages, **snapshot.customer_pages}
        await self.saver.to_the_end(self._adopt_and_save(snapshot, on_adopted))
        return snapshot

    async def save(self) -> None:
        """Write the current account to the cache again (after a failed save)."""
        account = self.account
        if account is not None:
            await self.saver.to_the_end(self._save(account))

    async def _save(self, account: AccountView) -> None:
        """The snapshot to the cache, then its first screen beside it."""
        await self.saver.save(account.snapshot)
        await asyncio.to_thread(self._save_first_paint, account)

    async def settled(self) -> None:
        """Wait until every load that finished is shown and saved (and every checkpoint)."""
        await self.saver.settled()

    async def save_before_exit(self) -> None:
        """Keep what a running first load has fetched, then wait for every save to end."""
        engine = self._engine
        if engine is not None and not self.complete:
            self.saver.checkpoint(engine.snapshot)
        await self.saver.settled()

    async def refresh_customer(self, metronome_customer_id: str) -> None:
        """Reload one Metronome customer (e.g. after a contract was created for it)."""
        from metro_tui.sync.engine import SyncEngine
        from metro_tui.sync.snapshot import AccountSnapshot

        await load_sdks()
        engine = SyncEngine(
            self.connection.metronome,
            self.connection.stripe,
            now=self.now,
            concurrency=self.settings.concurrency,
        )
        snapshot = await engine.run_customer(
            self.snapshot or AccountSnapshot(), metronome_customer_id
        )
        await self.saver.to_the_end(self._adopt_and_save(snapshot, None))

    async def load_customer_page(self, metronome_customer_id: str) -> CustomerPage:
        """Fetch one customer's page (terms, balances, every invoice), keep it and cache it.

        A complete account gets it in a new snapshot with the same rows and figures (a page
        changes none of them), saved but not published: only the page that asked shows it,
        and every later account carries it. While a first load runs the page is only
        returned: the load's own snapshot is the one that will be kept.
        """
        await load_sdks()
        page = await self.connection.metronome.customer_page(metronome_customer_id, self.now)
        account = self.account
        if account is not None and account.complete:
            snapshot = dataclasses.replace(
                account.snapshot,
                customer_pages={**account.snapshot.customer_pages, page.customer_id: page},
            )
            self.account = dataclasses.replace(account, snapshot=snapshot)
            await self.saver.to_the_end(self.saver.save(snapshot))
        return page

    async def _adopt_and_save(
        self, snapshot: AccountSnapshot, on_adopted: AdoptedCallback | None
    ) -> None:
        """Adopt a finished snapshot and cache it, the slow parts off the event loop.

        At 100,000 customers, deriving the rows takes most of a second and writing the cache
        a few; a thread leaves the loop its share of the interpreter meanwhile.
        """
        await self._reached(FinishStage.LOADED)
        account = await asyncio.to_thread(self._derive, snapshot)
        await self._reached(FinishStage.DERIVED)
        self.account = account
        exempt_live_objects()
        try:
            self._publish()
            if on_adopted is not None:
                on_adopted(snapshot)
        finally:
            # Whatever drawing it did, the account is saved.
            await self._reached(FinishStage.SHOWN)
            await self._save(account)
        await self._reached(FinishStage.SAVED)

    async def _reached(self, stage: FinishStage) -> None:
        if self.on_finish_stage is not None:
            await self.on_finish_stage(stage)

    # The stored credentials, for Settings. A keyring can take seconds to answer (it may be
    # locked, or asking over D-Bus), so it is read and changed in a worker thread.

    async def stored_token_origin(self, token: str) -> str:
        """Where `token` comes from if not the environment (see `stored_token_origin`)."""
        return await asyncio.to_thread(lambda: stored_token_origin(self._credential_store(), token))

    async def forget_account(self) -> None:
        """Remove the stored credentials, their account's cache and this account's.

        Raises `CredentialStoreError` when the credentials could not be removed.
        """
        await asyncio.to_thread(self._forget_account)

    def _forget_account(self) -> None:
        forget_stored_account(self._credential_store(), self.settings.cache_root)
        self.connection.cache.clear()

    def _credential_store(self) -> CredentialStore:
        if self._credentials is None:
            self._credentials = credential_store()
        return self._credentials

    @property
    def wizard_gateway(self) -> WizardGateway:
        """What the contract wizard asks Metronome: the catalogue, prices, and creation."""
        return self.connection.metronome

    async def included_products(self, contract: Contract) -> tuple[str, ...]:
        """The entitled products of the contract's rate schedule: today's, or for a contract
        not running today, its first or last day's."""
        from metro_tui.services.contracts import included_products, rate_schedule_instant

        await load_sdks()
        rates = await self.connection.metronome.rate_schedule(
            contract.customer_id, contract.id, rate_schedule_instant(contract, self.now)
        )
        return included_products(contract, rates)

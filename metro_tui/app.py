"""MetroApp: the header, the Overview and Customers tabs, and the background sync."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from importlib import import_module
from time import monotonic
from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult, InvalidThemeError, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount
from textual.widgets import Header, Label, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from metro_tui.commands import CustomerCommands
from metro_tui.errors import AuthError, BillingApiError
from metro_tui.keymap import user_keymap
from metro_tui.links import (
    METRONOME_APP_URL,
    METRONOME_DOCS_URL,
    METRONOME_PAGES,
    MetronomePage,
    browser_opens_a_window,
    metronome_customer_url,
    stripe_customer_url,
)
from metro_tui.screens.messages import (
    ContractRequested,
    CustomerDetailRequested,
    CustomerLinkRequested,
    CustomersOnScreen,
    LinkRequested,
)
from metro_tui.screens.overview import OverviewPane
from metro_tui.screens.worker_failures import WorkerFailed
from metro_tui.session import gateways
from metro_tui.settings_sources import DEFAULT_METRONOME_URL, DEFAULT_STRIPE_URL, setting_source
from metro_tui.store import AccountStore
from metro_tui.sync.collector import resume_after_first_frame
from metro_tui.sync.progress import SyncProgress
from metro_tui.sync.saving import SaveFailed
from metro_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from metro_tui.drafts.autosave import DraftStore
    from metro_tui.first_paint import FirstPaint
    from metro_tui.screens.customers import CustomersPane
    from metro_tui.session.connection import Connection
    from metro_tui.session.credentials import StoredCredentials
    from metro_tui.session.sign_in import SignInProblem
    from metro_tui.start_settings import AppSettings
    from metro_tui.sync.snapshot import AccountSnapshot
    from metro_tui.view_models import AccountView, CustomerRow

RETRY_FIRST_S = 5.0
RETRY_MAX_S = 120.0
PROGRESS_INTERVAL_S = 0.1
LONG_NOTICE_S = 12.0
"""Long enough to read a notice that names a file, or to copy a link that no browser opened."""
MAIN_SCREEN_ACTIONS = frozenset(
    {"show_tab", "filter_customers", "refresh", "help", "settings", "open_link", "quit_main"}
)
"""A failed refresh is retried after 5 s, then 10, 20 ... up to two minutes apart."""
AFTER_FIRST_FRAME = (
    "metro_tui.sync.engine",
    "metro_tui.partial_views",
    "metro_tui.session.sign_in",
    "metro_tui.screens.customer_detail",
    "metro_tui.screens.contract_wizard",
    "metro_tui.screens.settings",
    "metro_tui.screens.connect",
    "metro_tui.screens.diagnostics",
    "metro_tui.screens.help",
)
"""The sync engine and the screens a key opens: none is needed to draw the first frame. Each
is imported where it is first used, so the first frame does not wait for them; after it they
are imported in a worker thread, so that first use does not wait either."""
UP_TO_DATE = "Up to date"
SAVING = "Saving…"
SAVING_BEFORE_QUIT = "Saving before quitting…"


class Relaunch(StrEnum):
    """Why the app exited to be started again on other credentials."""

    LOCAL_DEMO = "local-demo"
    RECONNECT = "reconnect"


class AccountShown(Message):
    """The views have just redrawn themselves from a newly published account: a partial one
    while a first load runs, or a whole one. Whoever watches the app (tests, benchmarks)
    synchronises on it."""

    def __init__(self, partial: bool) -> None:
        super().__init__()
        self.partial = partial


class MetroApp(App[Relaunch | None]):
    """Metronome billing in the terminal.

    The app publishes the account the store holds as `account`, and why none could be loaded
    as `load_failure`; every view follows them (`screens/account_feed.py`) and redraws itself.
    """

    TITLE = "metro-tui"
    COMMANDS = App.COMMANDS | {CustomerCommands}
    CSS = """
    /* A notice too long for the line wraps onto a second one rather than being cut off. */
    #status { height: auto; background: $panel; padding: 0 1; }
    #backend { width: auto; color: $text-muted; margin-right: 2; }
    #progress { width: 1fr; text-align: right; color: $accent; }
    #progress.-stale { color: $warning; }
    TabbedContent { height: 1fr; }
    """
    BINDINGS = [
        # The footer shows these after the screen's own keys, in this order, as room allows;
        # `?` and `q` always.
        # A priority binding runs as the key is read, so the filter has focus before the keys
        # typed right after `/` are handed on: otherwise they go to the table.
        Binding("slash", "filter_customers", "Filter", id="app.filter", priority=True),
        Binding("r", "refresh", "Refresh", id="app.refresh"),
        Binding("1", "show_tab('overview')", "Overview", id="app.overview"),
        Binding("2", "show_tab('customers')", "Customers", id="app.customers"),
        Binding("comma", "settings", "Settings", id="app.settings"),
        Binding("o", "open_link('app')", "Open Metronome", show=False, id="app.metronome"),
        Binding("d", "open_link('docs')", "Metronome docs", show=False, id="app.docs"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("q", "quit_main", "Quit", id="app.quit"),
    ]
    account: var[AccountView | None] = var(None, always_update=True)
    first_paint: var[FirstPaint | None] = var(None)
    load_failure: var[str | None] = var(None)

    def __init__(
        self,
        settings: AppSettings,
        connection: Connection,
        *,
        drafts: DraftStore | None = None,
        retry_first_s: float = RETRY_FIRST_S,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.connection = connection
        self.store = AccountStore(settings, connection, on_account=self._account_published)
        self._drafts = drafts
        self.keymap = user_keymap(settings)
        self.set_keymap(self.keymap)
        self._theme_problem = self._apply_theme(settings.theme)
        self._retry_first_s = retry_first_s
        self._retry_delay = retry_first_s
        self._progress_shown_at = 0.0
        self._cache_read = False
        self._page_styles_parsed = False
        self._quitting = False
        self._customers_tab = TabPane("Customers", id="customers")
        self._customers: tuple[CustomersPane, AwaitMount] | None = None

    @property
    def drafts(self) -> DraftStore:
        """Where the wizard keeps unfinished contracts; opened with the first wizard."""
        if self._drafts is None:
            from metro_tui.drafts.autosave import DraftStore

            self._drafts = DraftStore()
        return self._drafts

    @property
    def snapshot(self) -> AccountSnapshot | None:
        return self.store.snapshot

    @property
    def now(self) -> datetime:
        return self.store.now

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="status"):
            # Plain text: a host or a server's message may hold brackets, which as markup
            # would vanish or stop the update.
            yield Label(self.connection.label, id="backend", markup=False)
            yield Label("", id="progress", markup=False)
        with TabbedContent(initial="overview"):
            with TabPane("Overview", id="overview"):
                yield OverviewPane()
            # Hidden at start: filled after the first frame (`customers_pane`).
            yield self._customers_tab
        yield KeyFooter()

    def on_mount(self) -> None:
        if self._theme_problem:
            self.notify(
                self._theme_problem, severity="warning", timeout=LONG_NOTICE_S, markup=False
            )
        # A small file, read here so that the first frame shows the figures however large
        # the account; the whole cache is read after that frame.
        self.first_paint = self.store.first_paint()
        if self.first_paint is None and not self.store.has_cache():
            # A first load: its first request waits for the SDKs, which take longer to import
            # than the first frame takes to draw, so they are imported while it is drawn.
            gateways.start_loading_sdks()
        # Off since `metro-tui` started (it freed next to nothing); on again before the cache
        # is read, whatever becomes of the refresh that reads it.
        self.call_after_refresh(resume_after_first_frame)
        self.call_after_refresh(self.customers_pane)
        self.refresh_account()

    async def customers_pane(self) -> CustomersPane:
        """The Customers tab's content, composed after the first frame rather than before it
        (the tab starts hidden), or sooner when it is first asked for.

        Once composed it follows the account like the Overview, and reports the first screen
        of rows, which a first load fetches first, while the Overview is shown.
        """
        if self._customers is None:
            from metro_tui.screens.customers import CustomersPane

            pane = CustomersPane()
            self._customers = (pane, self._customers_tab.mount(pane))
        pane, mounted = self._customers
        await mounted
        return pane

    def _apply_theme(self, name: str) -> str | None:
        """Use the configured theme; a name Textual does not know keeps the default and
        returns what to tell the user, rather than stopping the app."""
        try:
            self.theme = name
        except InvalidThemeError:
            return (
                f"There is no theme {name!r} ({setting_source('theme')}); showing "
                f"{self.theme}. Settings (,) lists the themes."
            )
        return None

    async def _load_cache(self) -> None:
        """Show the cached snapshot, read and derived off the event loop, after the first
        frame (drawn from the first paint, if there is one).

        At 100,000 customers parsing the cache takes seconds; on the event loop that would
        freeze the first frame, and even in a thread it would delay it.
        """
        self._cache_read = True
        await self._next_frame()
        notice = await self.store.load_cached()
        if notice:
            self.notify(notice, severity="warning", markup=False)
        if self.store.account is not None:
            # Draw the cached account before the refresh starts competing for the CPU.
            await self._next_frame()
        elif self.first_paint is not None:
            # The cache it was made from could not be read after all: it is not the account.
            self.first_paint = None
            await self.query_one(OverviewPane).recompose()
            customers = await self.customers_pane()
            await customers.recompose()
            customers.table.loading = True

    async def _next_frame(self) -> None:
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()

    def _account_published(self, account: AccountView) -> None:
        """The store adopted a new account: publish it to every view that follows it."""
        if not self.is_running:
            return  # a load that finishes while the app quits is saved, not drawn
        self.load_failure = None
        self.first_paint = None
        self.account = account
        self.post_message(AccountShown(partial=not account.complete))

    def _account_adopted(self, snapshot: AccountSnapshot) -> None:
        self._say(SAVING_BEFORE_QUIT if self._quitting else SAVING)

    def _show_progress(self, progress: SyncProgress) -> None:
        # A large account reports tens of thousands of steps; ten redraws a second is enough.
        now = monotonic()
        if not progress.finished and now - self._progress_shown_at < PROGRESS_INTERVAL_S:
            return
        self._progress_shown_at = now
        if self._quitting:
            return
        # "Up to date" waits for the save: until then a quit would lose the load.
        self._say(SAVING if progress.finished else progress.summary())

    def _say(self, text: str, *, stale: bool = False) -> None:
        """What the header says about the load and the save."""
        if not self.is_running:
            return
        label = self.query_one("#progress", Label)
        label.set_class(stale, "-stale")
        # A text that fits the one line the label has is repainted where it is. Laying the
        # screen out again, as a label's update does by default, took a frame's CPU ten times
        # a second while a load runs; a notice that wraps (or stops wrapping) still does it.
        fits = label.size.height == 1 and Content(text).cell_length <= label.size.width
        label.update(text, layout=not fits)

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def refresh_account(self) -> None:
        if not self._cache_read:
            await self._load_cache()
            if self.store.account is None:
                # A first load: its requests go before the screens a key opens, whose import
                # would share the client's CPU with them; until it ends (or if it is cut
                # short), each screen is imported when first opened.
                await self._refresh()
                self._import_screens_aside()
                return
            await asyncio.to_thread(_import_after_first_frame)
        await self._refresh()
        self._parse_page_styles()

    def _import_screens_aside(self) -> None:
        """Import the screens a key opens in a thread, outside the load's worker: the load is
        over (and saved) when that worker ends, so a quit right after it waits for nothing."""
        if self._quitting:
            return
        imported = asyncio.get_running_loop().run_in_executor(None, _import_after_first_frame)
        imported.add_done_callback(self._screens_imported)

    def _screens_imported(self, imported: asyncio.Future[None]) -> None:
        # A failed import shows again, where it matters, when the screen is first opened.
        if not imported.cancelled() and imported.exception() is None:
            self._parse_page_styles()

    def _parse_page_styles(self) -> None:
        """The customer page's stylesheets, parsed once the account is loaded and its screens
        imported, while the app waits for a key: the page's first compose then has none of
        them to parse (`screens/customer_page_styles.py`)."""
        if self._page_styles_parsed or not self.is_running:
            return
        self._page_styles_parsed = True
        from metro_tui.screens.customer_page_styles import parse_customer_page_styles

        parse_customer_page_styles(self)

    async def _refresh(self) -> None:
        try:
            snapshot = await self.store.refresh(
                on_progress=self._show_progress, on_adopted=self._account_adopted
            )
        except SaveFailed as error:
            self._save_failed(error)
            return
        except AuthError as error:
            from metro_tui.session.sign_in import sign_in_problem

            # Retrying a rejected token only repeats the rejection: the user must reconnect.
            self._sync_failed(error.user_message, retry=False)
            self.action_connect(sign_in_problem(error, self.settings))
            return
        except BillingApiError as error:
            self._sync_failed(error.user_message, retry=True)
            return
        self._retry_delay = self._retry_first_s
        self._say(UP_TO_DATE)
        for failure in snapshot.failures[:3]:
            self.notify(failure, severity="warning", markup=False)

    def _save_failed(self, error: SaveFailed) -> None:
        """The new figures stay on screen; the save is tried again, further apart each time."""
        self.notify(
            f"{error.message} The figures shown are current; the next start will load them "
            "again unless a later save succeeds.",
            severity="warning",
            timeout=10,
            markup=False,
        )
        self._say(f"Not saved: {error.reason}. Retrying in {self._retry_delay:g} s.", stale=True)
        self.set_timer(self._retry_delay, self._retry_save)
        self._retry_delay = min(self._retry_delay * 2, RETRY_MAX_S)

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def _retry_save(self) -> None:
        try:
            await self.store.save()
        except SaveFailed as error:
            self._save_failed(error)
            return
        self._retry_delay = self._retry_first_s
        self._say(UP_TO_DATE)

    def _sync_failed(self, message: str, *, retry: bool) -> None:
        snapshot = self.store.snapshot
        if snapshot is None:
            self.load_failure = message
        since = snapshot.fetched_at if snapshot is not None else None
        stamp = (since.astimezone() if since else datetime.now()).strftime("%H:%M")
        notice = f"Stale since {stamp}, {message.rstrip('.')}."
        if retry:
            notice += f" Retrying in {self._retry_delay:g} s."
            self.set_timer(self._retry_delay, self.refresh_account)
            self._retry_delay = min(self._retry_delay * 2, RETRY_MAX_S)
        self._say(notice, stale=True)
        self.notify(message, severity="error", timeout=8, markup=False)

    @on(Worker.StateChanged)
    def _own_worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._worker_failed(event.worker)

    @on(WorkerFailed)
    def _screen_worker_failed(self, event: WorkerFailed) -> None:
        self._worker_failed(event.worker)

    def _worker_failed(self, worker: Worker[object]) -> None:
        """Any failure no handler expected (a bug, a full disk): shown, never silent."""
        error = worker.error
        message = f"Something went wrong: {str(error) or type(error).__name__}"
        if worker.group == "sync":
            # The load, or its save, broke: the header must not keep saying it is under way.
            self._sync_failed(message, retry=True)
        else:
            self.notify(message, severity="error", timeout=10, markup=False)

    # Customers: one place that opens what a screen asks for.

    def palette_customers(self) -> Sequence[CustomerRow]:
        return self.store.rows

    def open_customer(self, row: CustomerRow) -> None:
        if self.store.account is None:
            # Only the first screen of the cached account is shown yet, not its contracts.
            self.notify("The account is still loading.", severity="warning")
            return
        self.store.customer_opened(row.metronome_customer_id)
        detail = self.store.detail(row)
        from metro_tui.screens.customer_detail import CustomerDetailScreen

        if isinstance(self.screen, CustomerDetailScreen):
            self.screen.show(detail)
            return
        self.push_screen(
            CustomerDetailScreen(
                detail, self.store.included_products, self.store.load_customer_page
            )
        )

    @on(CustomersOnScreen)
    def _customers_on_screen(self, message: CustomersOnScreen) -> None:
        self.store.customers_on_screen(message.metronome_customer_ids)

    @on(CustomerDetailRequested)
    def _detail_requested(self, message: CustomerDetailRequested) -> None:
        self.open_customer(message.row)

    @on(CustomerLinkRequested)
    def _customer_link_requested(self, message: CustomerLinkRequested) -> None:
        row = message.row
        if message.dashboard == "stripe":
            livemode = self.store.stripe_livemode
            url = stripe_customer_url(row.stripe_customer_id, livemode=livemode)
            self.show_link("Stripe Dashboard", url, names_customer=True)
        elif row.metronome_customer_id is not None:
            url = metronome_customer_url(row.metronome_customer_id)
            self.show_link("Metronome app", url, names_customer=True)
        else:
            self.notify("This customer is not in Metronome yet.", severity="warning")

    @on(LinkRequested)
    def _link_requested(self, message: LinkRequested) -> None:
        self.show_link(message.title, message.url, names_customer=message.names_customer)

    def show_link(self, title: str, url: str, *, names_customer: bool) -> None:
        """Open `url` in a browser where there is one, and always show it and copy it.

        Over SSH, on a server or in a container no browser opens: the notice is then the only
        sign the key did anything, and the copied link (OSC 52) crosses SSH to the user's own
        clipboard in most terminals.
        """
        if self.is_web or browser_opens_a_window():
            self.open_url(url)
        self.copy_to_clipboard(url)
        lines = [url, "Copied to the clipboard."]
        if names_customer and self.connection.is_local:
            lines.append(
                f"Demo data: the link goes to the real {title}, where this demo customer "
                "does not exist."
            )
        self.notify("\n".join(lines), title=title, timeout=LONG_NOTICE_S, markup=False)

    @on(ContractRequested)
    def _contract_requested(self, message: ContractRequested) -> None:
        self.open_contract_wizard(message.row)

    def open_contract_wizard(self, row: CustomerRow) -> None:
        from metro_tui.drafts.create import CreateOutcome
        from metro_tui.screens.contract_wizard import ContractWizard, WizardCustomer

        customer = WizardCustomer(
            stripe_customer_id=row.stripe_customer_id,
            name=row.name,
            metronome_customer_id=row.metronome_customer_id,
        )

        def created(outcome: CreateOutcome | None) -> None:
            if outcome is not None:
                self._contract_created(row, outcome.metronome_customer_id)

        self.push_screen(
            ContractWizard(customer, self.store.wizard_gateway, self.drafts, self.now.date()),
            created,
        )

    @work(group="contract-created", exit_on_error=False)
    async def _contract_created(self, row: CustomerRow, metronome_customer_id: str) -> None:
        self.notify(f"Contract created for {row.name or row.stripe_customer_id}.", markup=False)
        try:
            await self.store.refresh_customer(metronome_customer_id)
        except BillingApiError as error:
            self.notify(
                f"The new contract will show after a refresh: {error.user_message}", markup=False
            )
            return
        except SaveFailed as error:
            self.notify(error.message, severity="warning", timeout=10, markup=False)
        updated = self.store.row_for(row.stripe_customer_id) or row
        self.open_customer(updated)

    # Actions.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Over a dialog (the wizard, Settings, Connect, Keys) the single-letter app keys are
        off: a stray `q` must not quit out of a half-filled contract (`ctrl+q` still quits)."""
        return not (isinstance(self.screen, ModalScreen) and action in MAIN_SCREEN_ACTIONS)

    def action_settings(self) -> None:
        from metro_tui.screens.settings import SettingsIntent, SettingsScreen

        if isinstance(self.screen, SettingsScreen):
            return

        def chosen(intent: SettingsIntent | None) -> None:
            if intent is SettingsIntent.CONNECT:
                self.action_connect()
            elif intent is SettingsIntent.SWITCH_LOCAL:
                self.exit(Relaunch.LOCAL_DEMO)
            elif intent is SettingsIntent.CLEARED:
                self.exit(Relaunch.RECONNECT)

        self.push_screen(SettingsScreen(self.store), chosen)

    def action_connect(self, problem: SignInProblem | None = None) -> None:
        """Ask for new credentials; once they are verified and stored, start again on them."""
        from metro_tui.screens.connect import ConnectScreen

        if isinstance(self.screen, ConnectScreen):
            return
        live = not self.connection.is_local

        def connected(credentials: StoredCredentials | None) -> None:
            if credentials is not None:
                self.exit(Relaunch.RECONNECT)

        self.push_screen(
            ConnectScreen(
                metronome_url=self.settings.metronome_base_url if live else DEFAULT_METRONOME_URL,
                stripe_url=self.settings.stripe_api_base if live else DEFAULT_STRIPE_URL,
                problem=problem,
            ),
            connected,
        )

    def action_diagnostics(self) -> None:
        snapshot = self.store.snapshot
        if snapshot is None or not snapshot.complete:
            # Part-loaded, every customer not loaded yet would look like a broken link.
            self.notify("The account is still loading.", severity="warning")
            return
        from metro_tui.screens.diagnostics import DiagnosticsScreen

        if not isinstance(self.screen, DiagnosticsScreen):
            self.push_screen(DiagnosticsScreen(self.store.link_report()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Overview", "Revenue, top products, usage", self._overview)
        yield SystemCommand(
            "Customers", "Linked Stripe and Metronome customers", self._show_customers
        )
        yield SystemCommand(
            "Filter customers", "Filter by name, email or id", self.action_filter_customers
        )
        yield SystemCommand(
            "Show all Stripe customers",
            "Include customers not in Metronome",
            self.action_toggle_all_customers,
        )
        yield SystemCommand("Refresh", "Load the account again", self.action_refresh)
        yield SystemCommand("Keys", "Every key, where it works", self.action_help)
        yield SystemCommand(
            "Why is a customer missing?",
            "Broken links between Stripe and Metronome",
            self.action_diagnostics,
        )
        yield SystemCommand("Settings", "Account, credentials, theme", self.action_settings)
        yield SystemCommand(
            "Connect", "Sign in with a Metronome token and a Stripe key", self.action_connect
        )
        yield SystemCommand("Open Metronome", METRONOME_APP_URL, self._open_app)
        yield SystemCommand("Metronome documentation", METRONOME_DOCS_URL, self._open_docs)

    async def _overview(self) -> None:
        await self.action_show_tab("overview")

    async def _show_customers(self) -> None:
        await self.action_show_tab("customers")

    def _open_app(self) -> None:
        self.action_open_link("app")

    def _open_docs(self) -> None:
        self.action_open_link("docs")

    async def action_show_tab(self, tab: str) -> None:
        self._to_tab(tab)
        if tab == "customers":
            (await self.customers_pane()).focus_table()

    def _to_tab(self, tab: str) -> None:
        # The tabs live on the main screen: leave the screens opened over it to show them.
        from metro_tui.screens.customer_detail import CustomerDetailScreen
        from metro_tui.screens.diagnostics import DiagnosticsScreen

        while isinstance(self.screen, CustomerDetailScreen | DiagnosticsScreen):
            self.pop_screen()
        self.query_one(TabbedContent).active = tab

    async def action_filter_customers(self) -> None:
        if self.focused is not None and self.focused.check_consume_key("slash", "/"):
            raise SkipAction()  # a field that takes "/" (the filter itself) gets it
        # Not through the table: its focus would land after the filter's.
        self._to_tab("customers")
        (await self.customers_pane()).action_focus_filter()

    async def action_toggle_all_customers(self) -> None:
        await self.action_show_tab("customers")
        (await self.customers_pane()).action_toggle_all()

    async def action_quit_main(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Quit; a save under way (or what a first load has fetched) is finished first."""
        if not self.store.unsaved:
            self.exit()
            return
        if self._quitting:
            return
        self._quitting = True
        self._say(SAVING_BEFORE_QUIT)
        self.notify("Saving the account before quitting…", timeout=30)
        self._quit_when_saved()

    @work(group="quit", exit_on_error=False)
    async def _quit_when_saved(self) -> None:
        await self.store.save_before_exit()
        error = self.store.saver.error
        self.exit(message=error.message if error is not None else None)

    def action_refresh(self) -> None:
        self.refresh_account()

    def action_help(self) -> None:
        from metro_tui.screens.help import HelpScreen, key_sections

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_sections(self.BINDINGS, self.keymap)))

    def action_open_link(self, page: MetronomePage) -> None:
        title, url = METRONOME_PAGES[page]
        self.show_link(title, url, names_customer=False)

    async def on_unmount(self) -> None:
        # However the app ends, a load that had finished is saved before it does.
        await self.store.settled()
        await self.connection.close()


def _import_after_first_frame() -> None:
    for module in AFTER_FIRST_FRAME:
        import_module(module)


def run_app(settings: AppSettings, connection: Connection) -> Relaunch | None:
    """Run until the user quits (None) or asks to start again on other credentials."""
    return MetroApp(settings, connection).run()

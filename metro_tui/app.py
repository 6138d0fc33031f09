"""MetroApp: the header, the Overview and Customers tabs, and the background sync."""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Label, TabbedContent, TabPane

from metro_tui.account import customer_rows, overview_figures
from metro_tui.api.errors import AuthError, BillingApiError
from metro_tui.config import Settings
from metro_tui.connection import Connection
from metro_tui.screens.customers import CustomersPane
from metro_tui.screens.overview import METRONOME_APP_URL, METRONOME_DOCS_URL, OverviewPane
from metro_tui.services.clock import now_for
from metro_tui.sync.engine import SyncEngine
from metro_tui.sync.progress import SyncProgress
from metro_tui.sync.snapshot import AccountSnapshot


class MetroApp(App[None]):
    """Metronome billing in the terminal."""

    TITLE = "metro-tui"
    CSS = """
    #status { height: 1; background: $panel; padding: 0 1; }
    #backend { width: 1fr; color: $text-muted; }
    #progress { width: auto; color: $accent; }
    TabbedContent { height: 1fr; }
    """
    BINDINGS = [
        Binding("1", "show_tab('overview')", "Overview", id="app.overview"),
        Binding("2", "show_tab('customers')", "Customers", id="app.customers"),
        Binding("slash", "filter_customers", "Filter", id="app.filter"),
        Binding("r", "refresh", "Refresh", id="app.refresh"),
        Binding("o", "open_link('" + METRONOME_APP_URL + "')", "Metronome", show=False),
        Binding("d", "open_link('" + METRONOME_DOCS_URL + "')", "Docs", show=False),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, settings: Settings, connection: Connection) -> None:
        super().__init__()
        self.settings = settings
        self.connection = connection
        self.snapshot: AccountSnapshot | None = None
        self.theme = settings.theme

    @property
    def now(self) -> datetime:
        return now_for(self.settings.today)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="status"):
            yield Label(self.connection.label, id="backend")
            yield Label("", id="progress")
        with TabbedContent(initial="overview"):
            with TabPane("Overview", id="overview"):
                yield OverviewPane()
            with TabPane("Customers", id="customers"):
                yield CustomersPane()
        yield Footer()

    def on_mount(self) -> None:
        cached = self.connection.cache.load()
        if cached.notice:
            self.notify(cached.notice, severity="warning")
        if cached.snapshot is not None:
            self.show_snapshot(cached.snapshot)
        self.refresh_account()

    def show_snapshot(self, snapshot: AccountSnapshot) -> None:
        self.snapshot = snapshot
        now = self.now
        self.query_one(OverviewPane).show(overview_figures(snapshot, now))
        self.query_one(CustomersPane).show(customer_rows(snapshot, now))

    def _show_progress(self, progress: SyncProgress) -> None:
        self.query_one("#progress", Label).update(progress.summary())

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def refresh_account(self) -> None:
        engine = SyncEngine(
            self.connection.metronome,
            self.connection.stripe,
            now=self.now,
            concurrency=self.settings.concurrency,
            on_progress=self._show_progress,
            on_partial=self.show_snapshot if self.snapshot is None else None,
        )
        try:
            snapshot = await engine.run(previous=self.snapshot)
        except AuthError as error:
            self._sync_failed(error.user_message)
            return
        except BillingApiError as error:
            self._sync_failed(error.user_message)
            return
        self.show_snapshot(snapshot)
        self.connection.cache.store(snapshot)
        for failure in snapshot.failures[:3]:
            self.notify(failure, severity="warning")

    def _sync_failed(self, message: str) -> None:
        if self.snapshot is None:
            self.query_one(OverviewPane).show_error(message)
        stamp = datetime.now().strftime("%H:%M")
        self.query_one("#progress", Label).update(f"Stale since {stamp}: {message}")
        self.notify(message, severity="error")

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "customers":
            self.query_one(CustomersPane).focus_table()

    def action_filter_customers(self) -> None:
        self.action_show_tab("customers")
        self.query_one(CustomersPane).action_focus_filter()

    def action_refresh(self) -> None:
        self.refresh_account()

    def action_open_link(self, url: str) -> None:
        self.open_url(url)

    async def on_unmount(self) -> None:
        await self.connection.close()


def run_app(settings: Settings, connection: Connection) -> None:
    MetroApp(settings, connection).run()

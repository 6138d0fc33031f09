"""The sync engine: loads an account with bounded concurrency, progress and partial results.

The public APIs have no account-wide queries, so the engine fans out per Metronome customer,
one request per kind in `CUSTOMER_RECORD_KINDS`. Requests run through a fixed pool of workers,
so at most `concurrency` are in flight; the SDKs retry 429 (honouring Retry-After) and 5xx
themselves, and what still fails is retried once more at the end, then recorded against that
customer (or against usage or pricing), so the screens can say which figures are missing. A
failed customer list, or a rejected credential, fails the whole sync: the caller keeps its
last snapshot rather than showing a partial account as if it were complete.

While it runs, the snapshot says how far it has got (`AccountSnapshot.loading`). Given a
checkpoint of an interrupted load, the engine resumes: the customers whose records the
checkpoint holds are not fetched again, and the lists are listed afresh. `run_customer`
reloads one customer (after a contract is created for it) through the same requests.

`put_first` takes a hint from whoever shows the account: the customers the user looks at are
fetched before the rest (a queue order only: every record is still fetched once).

The Customers table shows the newest Stripe customers first, but Metronome lists its customers
oldest first, so at 10,000 customers the list names the first screen's customers only after
some 90 pages read one after another. A first load does not wait for that: for the newest
Stripe customers (the first page Stripe lists) it asks Metronome for the customer holding the
Stripe id as an ingest alias, as metro-tui's own "create in Metronome" sets it, and queues
those customers' records as soon as they are found. A customer linked without the alias waits
for the list, as before. The finished snapshot is the same either way: the list decides which
customers the account holds, and in what order. Until the look-ups are answered and the
records of the customers they found are in, the rest waits: the Metronome list's pages, the
pricing and the usage would otherwise take the client's CPU (parsing) from the first screen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from metro_tui.errors import AuthError, BillingApiError
from metro_tui.sync.collector import freeze_live_objects, young_collections_spaced_out
from metro_tui.sync.customer_records import CUSTOMER_RECORD_KINDS
from metro_tui.sync.job_queue import Job, JobQueue, Lookup
from metro_tui.sync.progress import RecordKind, SyncProgress
from metro_tui.sync.snapshot import AccountSnapshot, LoadState

if TYPE_CHECKING:
    # Only for annotations: importing the SDKs costs a fifth of a second at start-up.
    from metro_tui.api.metronome import MetronomeGateway
    from metro_tui.api.stripe import StripeGateway
    from metro_tui.models import MetronomeCustomer, StripeCustomer

PUBLISH_INTERVAL_S = 0.25
PARTIAL_SHARE = 0.1
"""At most this share of the event loop goes to showing partial results: deriving every
figure from a growing snapshot costs ~0.1 s at 2,000 customers and seconds at 100,000, and
at a fixed interval it would starve both the UI and the requests still to be sent."""
USAGE_DAYS = 30
NEWEST_LOOKED_UP = 60
"""How many of the newest Stripe customers a first load looks up by ingest alias: a tall
terminal's screen of rows (41 at 48 lines) even when a sixth of them are not linked. Each
look-up is a request the rest of the load waits behind."""

FROZEN_EVERY = 200
"""Records loaded between two freezes of everything alive (`freeze_live_objects`). Records form
no reference cycles, so the collector never frees them, yet each full collection walks every
record loaded so far: at 2,000 customers 6 full collections took 0.55 s of the load's CPU, and
0.07 s with the records frozen as they come in (measured). What garbage is frozen with them is
freed when the load is adopted (`exempt_live_objects` unfreezes, then collects)."""

ProgressCallback = Callable[[SyncProgress], None]
PartialCallback = Callable[[AccountSnapshot], None]


class SyncEngine:
    """One sync of one account; create a new engine for every refresh."""

    def __init__(
        self,
        metronome: MetronomeGateway,
        stripe: StripeGateway | None,
        *,
        now: datetime,
        concurrency: int = 16,
        on_progress: ProgressCallback | None = None,
        on_partial: PartialCallback | None = None,
    ) -> None:
        self._metronome = metronome
        self._stripe = stripe
        self._now = now
        self._concurrency = concurrency
        self._on_progress = on_progress
        self._on_partial = on_partial
        self.progress = SyncProgress()
        self._snapshot = AccountSnapshot(loading=LoadState())
        self._resuming = False
        self._known: AccountSnapshot | None = None
        """A complete earlier snapshot, whose records each fetch may build on."""
        self._queue = JobQueue()
        self._failed: list[tuple[Job, BillingApiError]] = []
        self._next_partial = 0.0
        self._looks_up = False
        """Whether this load looks up the newest Stripe customers' Metronome customers."""
        self._found_early: set[str] = set()
        """Metronome customers found by ingest alias before the list named them."""
        self._listed_ids: set[str] = set()
        self._lookups_left = 0
        self._early_jobs: set[Job] = set()
        """Requests for the customers found by a look-up, not done yet."""
        self._records_since_freeze = 0
        self._early_done = asyncio.Event()
        """Set once the newest customers are looked up and their records are in: what a
        first load sends before the rest of the account."""

    @property
    def snapshot(self) -> AccountSnapshot:
        """What has been loaded so far (complete once `run` has returned)."""
        return self._snapshot

    def put_first(self, customer_ids: Iterable[str]) -> None:
        """Fetch these Metronome customers' records before any other, in the order given;
        a later call goes before an earlier one. Customers not listed yet go first once they
        are."""
        self._queue.put_first(customer_ids)

    async def run(self, previous: AccountSnapshot | None = None) -> AccountSnapshot:
        """Load everything; invoices already final in `previous` are not fetched again.

        When `previous` is a checkpoint of an interrupted load, its customers' records are
        kept as they are and only the rest is fetched.
        """
        if previous is not None and not previous.complete:
            self._resume_from(previous)
        elif previous is not None:
            self._known = previous
        else:
            self._looks_up = self._stripe is not None
        if not self._looks_up:
            self._early_done.set()
        with young_collections_spaced_out():
            await self._load_everything()
        snapshot = self._snapshot
        for job, error in self._failed:
            snapshot.failures.append(_describe(job, error))
            job.kind.failures(snapshot)[job.customer_id] = error.message
        snapshot.fetched_at = self._now
        snapshot.loading = None
        self.progress.finished = True
        self._publish(force=True)
        return snapshot

    async def _load_everything(self) -> None:
        workers = self._start_workers()
        try:
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(self._load_metronome_customers())
                    group.create_task(self._load_stripe_customers())
                    group.create_task(self._load_pricing())
                    group.create_task(self._load_usage())
            except ExceptionGroup as failures:
                raise _first_api_error(failures) from None
            await self._finish(workers)
        finally:
            for worker in workers:
                worker.cancel()

    async def run_customer(self, current: AccountSnapshot, customer_id: str) -> AccountSnapshot:
        """`current` with one Metronome customer and its records loaded again.

        The customer and each kind of its records are fetched at once, through the same
        workers as a whole load; invoices already final in `current` are not fetched again.
        `current` is left as it is (the screens may still be drawing from it); what still
        fails after one more try raises, and the caller keeps `current`.
        """
        self._known = current
        self._snapshot = snapshot = current.checkpoint()
        for kind in CUSTOMER_RECORD_KINDS:
            self._queue_job(Job(kind, customer_id))
        workers = self._start_workers()
        try:
            async with asyncio.TaskGroup() as group:
                fetched = group.create_task(self._metronome.customer(customer_id))
                group.create_task(self._finish(workers))
        except ExceptionGroup as failures:
            raise _first_api_error(failures) from None
        finally:
            for worker in workers:
                worker.cancel()
        customer = fetched.result()
        if self._failed:
            raise self._failed[0][1]
        listed = snapshot.metronome_customers
        known = next((index for index, item in enumerate(listed) if item.id == customer_id), None)
        if known is None:
            listed.append(customer)
        else:
            listed[known] = customer
        return snapshot

    def _resume_from(self, checkpoint: AccountSnapshot) -> None:
        """Start from the customer records an interrupted load had fetched.

        Only those are kept: the lists, pricing and usage are loaded again, and what failed
        is tried again, so the result is what a load from nothing would give.
        """
        self._resuming = True
        saved = checkpoint.checkpoint()
        self._snapshot = AccountSnapshot(
            stripe_customers=saved.stripe_customers,
            metronome_customers=saved.metronome_customers,
            billing_configurations=saved.billing_configurations,
            contracts=saved.contracts,
            invoices=saved.invoices,
            loading=LoadState(),
        )

    async def _load_metronome_customers(self) -> None:
        await self._early_done.wait()
        snapshot = self._snapshot
        # What the screens show meanwhile: a resumed load keeps the checkpoint's list until
        # the new one is whole; a first load adds each page to the customers found early.
        shown = snapshot.metronome_customers
        listed: list[MetronomeCustomer] = []
        async for page in self._metronome.customer_pages():
            listed.extend(page)
            self._listed_ids.update(customer.id for customer in page)
            new = [customer for customer in page if customer.id not in self._found_early]
            if not self._resuming:
                shown.extend(new)
            self.progress.add_done(RecordKind.METRONOME_CUSTOMERS, len(page))
            self.progress.add_total(RecordKind.METRONOME_CUSTOMERS, len(page))
            self._queue_customers(new)
            self._publish()
        snapshot.metronome_customers = listed
        if self._resuming or self._found_early:
            _forget_unlisted(snapshot)
        self._mark_loaded(customers_listed=True)

    def _queue_customers(self, customers: list[MetronomeCustomer], *, found: bool = False) -> None:
        """Queue each kind of these customers' records not loaded yet, kind by kind; `found`
        says a look-up found them."""
        for kind in CUSTOMER_RECORD_KINDS:
            loaded = kind.records(self._snapshot)
            for customer in customers:
                if customer.id in loaded:
                    self.progress.add_total(kind.kind, 1)
                    self.progress.add_done(kind.kind)
                else:
                    job = Job(kind, customer.id)
                    self._queue_job(job, customer.created_at.timestamp(), found=found)
                    if found:
                        self._early_jobs.add(job)

    async def _look_up(self, lookup: Lookup) -> None:
        """Queue the records of the customer holding the Stripe id as alias, if the list has
        not named it yet. A failure is left to the list, which finds every customer."""
        try:
            customer = await self._metronome.customer_by_ingest_alias(lookup.stripe_customer_id)
        except BillingApiError:
            customer = None
        if customer is not None and customer.id not in self._listed_ids | self._found_early:
            self._found_early.add(customer.id)
            self._snapshot.metronome_customers.append(customer)
            self._queue_customers([customer], found=True)
        self._lookups_left -= 1
        self.progress.add_done(RecordKind.NEWEST_CUSTOMERS)
        self._check_early_done()
        self._publish()

    def _look_up_newest(self, stripe_customers: list[StripeCustomer]) -> None:
        self._lookups_left += len(stripe_customers)
        self.progress.add_total(RecordKind.NEWEST_CUSTOMERS, len(stripe_customers))
        for customer in stripe_customers:
            self._queue.put_lookup(Lookup(customer.id))
        self._check_early_done()

    def _check_early_done(self) -> None:
        if self._lookups_left == 0 and not self._early_jobs:
            self._early_done.set()

    async def _load_stripe_customers(self) -> None:
        if self._stripe is None:
            return
        listed = [] if self._resuming else self._snapshot.stripe_customers
        async for page in self._stripe.customer_pages():
            if self._looks_up and not listed:
                self._look_up_newest(page[:NEWEST_LOOKED_UP])
            listed.extend(page)
            self.progress.add_done(RecordKind.STRIPE_CUSTOMERS, len(page))
            self.progress.add_total(RecordKind.STRIPE_CUSTOMERS, len(page))
            self._publish()
        self._snapshot.stripe_customers = listed
        if not listed:
            self._early_done.set()  # no Stripe customer to look up

    async def _load_pricing(self) -> None:
        """Rate cards and products; without them only names in the customer detail suffer."""
        # Counted once sent: the progress names what is being loaded, not what waits.
        await self._early_done.wait()
        self.progress.add_total(RecordKind.PRICING, 2)
        snapshot = self._snapshot
        try:
            snapshot.rate_cards = await self._metronome.rate_cards()
            self.progress.add_done(RecordKind.PRICING)
            snapshot.products = await self._metronome.products()
        except AuthError:
            raise
        except BillingApiError as error:
            snapshot.pricing_failure = error.message
            snapshot.failures.append(
                f"Rate cards and products could not be loaded: {error.message}"
            )
        self.progress.add_done(RecordKind.PRICING)

    async def _load_usage(self) -> None:
        await self._early_done.wait()
        self.progress.add_total(RecordKind.USAGE, 1)
        snapshot = self._snapshot
        try:
            snapshot.usage_days = await self._metronome.daily_usage(USAGE_DAYS)
        except AuthError:
            raise
        except BillingApiError as error:
            snapshot.usage_failure = error.message
            snapshot.failures.append(f"Usage events could not be loaded: {error.message}")
        self._mark_loaded(usage_loaded=True)
        self.progress.add_done(RecordKind.USAGE)

    def _mark_loaded(self, *, customers_listed: bool = False, usage_loaded: bool = False) -> None:
        loading = self._snapshot.loading or LoadState()
        self._snapshot.loading = LoadState(
            customers_listed=loading.customers_listed or customers_listed,
            usage_loaded=loading.usage_loaded or usage_loaded,
        )

    def _queue_job(self, job: Job, created: float = 0.0, *, found: bool = False) -> None:
        self.progress.add_total(job.kind.kind, 1)
        self._queue.put(job, created, found=found)

    def _start_workers(self) -> list[asyncio.Task[None]]:
        return [asyncio.create_task(self._worker()) for _ in range(self._concurrency)]

    async def _finish(self, workers: list[asyncio.Task[None]]) -> None:
        """Let the workers empty the queue, then try each failed request once more."""
        self._queue.close()
        await asyncio.gather(*workers)
        await self._retry_failed()

    async def _worker(self) -> None:
        while (job := await self._queue.get()) is not None:
            if isinstance(job, Lookup):
                await self._look_up(job)
                continue
            try:
                await self._fetch(job)
            except BillingApiError as error:
                self._failed.append((job, error))
            self._records_since_freeze += 1
            if self._records_since_freeze >= FROZEN_EVERY:
                self._records_since_freeze = 0
                freeze_live_objects()
            if job in self._early_jobs:
                self._early_jobs.discard(job)
                self._check_early_done()
            self.progress.add_done(job.kind.kind)
            self._publish()

    async def _fetch(self, job: Job) -> None:
        kind, customer_id = job.kind, job.customer_id
        known = kind.records(self._known).get(customer_id) if self._known else None
        records = await kind.fetch(self._metronome, customer_id, known)
        kind.records(self._snapshot)[customer_id] = records
        kind.failures(self._snapshot).pop(customer_id, None)

    async def _retry_failed(self) -> None:
        """One more try for each failed request, with the same bounded concurrency."""
        retry, self._failed = self._failed, []
        if not retry:
            return
        self._queue = JobQueue()
        for job, _error in retry:
            self._queue_job(job)
        self._queue.close()
        workers = self._start_workers()
        await asyncio.gather(*workers)

    def _publish(self, *, force: bool = False) -> None:
        if self._on_progress is not None:
            self._on_progress(self.progress)
        if self._on_partial is None:
            return
        started = time.monotonic()
        if force or started >= self._next_partial:
            self._on_partial(self._snapshot)
            spent = time.monotonic() - started
            self._next_partial = started + max(PUBLISH_INTERVAL_S, spent / PARTIAL_SHARE)


def _first_api_error(failures: ExceptionGroup) -> BaseException:
    """An auth failure explains everything else; otherwise the first failure."""
    leaves: list[BaseException] = []
    stack: list[BaseException] = [failures]
    while stack:
        current = stack.pop()
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        else:
            leaves.append(current)
    for leaf in leaves:
        if isinstance(leaf, AuthError):
            return leaf
    return leaves[0]


def _describe(job: Job, error: BillingApiError) -> str:
    return f"Could not load {job.kind.kind} of customer {job.customer_id}: {error.message}"


def _forget_unlisted(snapshot: AccountSnapshot) -> None:
    """Drop a checkpoint's records of customers that are no longer listed."""
    listed = {customer.id for customer in snapshot.metronome_customers}
    for kind in CUSTOMER_RECORD_KINDS:
        records = kind.records(snapshot)
        for customer_id in records.keys() - listed:
            del records[customer_id]

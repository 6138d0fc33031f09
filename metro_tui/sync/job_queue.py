"""The sync engine's queue of per-customer requests, with the customers on screen first.

A first load of a large account queues tens of thousands of requests. What the user looks at
meanwhile (the customer rows on screen, the customer whose page is open) should not wait
behind all of them: `put_first` moves a customer's pending requests to the front, and
requests queued later for such a customer go to the front too. Each request is handed out
exactly once, whatever its place.

The rest go newest customer first. Rows are only on screen once their link is known, which
takes the customer's own billing configuration; the Customers table shows the newest linked
customers first, and Metronome lists the oldest first, so in the order listed the first
screen's customers would be fetched last of all.

Between those two tiers go the look-ups (`put_lookup`), each a request that may find a
customer before the list names it, and ahead of them the jobs of the customers they found
(`put(..., found=True)`): the newest rows complete one by one while the rest are looked up.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from metro_tui.sync.customer_records import CustomerRecordKind


@dataclass(frozen=True)
class Job:
    """One request: one kind of one customer's records."""

    kind: CustomerRecordKind
    customer_id: str


@dataclass(frozen=True)
class Lookup:
    """One request: the Metronome customer holding a Stripe customer's id as ingest alias."""

    stripe_customer_id: str


class JobQueue:
    """Jobs newest customer first (in the order queued for equals), after those of the
    customers asked for first, those of customers found by a look-up, and the look-ups.

    `get` waits for a job, and returns None once the queue is closed and empty.
    """

    def __init__(self) -> None:
        self._pending: set[Job] = set()
        """Queued and not yet handed out; the deque and the heap may still hold taken jobs."""
        self._newest_first: list[tuple[float, int, Job]] = []
        """A heap: (minus the customer's creation time, order queued, job)."""
        self._queued = itertools.count()
        self._first: deque[Job] = deque()
        self._by_customer: dict[str, list[Job]] = {}
        self._wanted: set[str] = set()
        """Customers asked for first whose jobs may not all be queued yet."""
        self._found: deque[Job] = deque()
        self._lookups: deque[Lookup] = deque()
        self._closed = False
        self._changed = asyncio.Event()

    def put(self, job: Job, created: float = 0.0, *, found: bool = False) -> None:
        """Queue `job`; `created` is its customer's creation time (a POSIX timestamp), and
        `found` says a look-up found the customer."""
        if job in self._pending:
            return
        self._pending.add(job)
        self._by_customer.setdefault(job.customer_id, []).append(job)
        if job.customer_id in self._wanted:
            self._first.append(job)
        elif found:
            self._found.append(job)
        else:
            heapq.heappush(self._newest_first, (-created, next(self._queued), job))
        self._changed.set()

    def put_lookup(self, lookup: Lookup) -> None:
        """Hand out `lookup` before any job, after the look-ups queued before it."""
        self._lookups.append(lookup)
        self._changed.set()

    def put_first(self, customer_ids: Iterable[str]) -> None:
        """Hand out these customers' jobs before any other, in the order given."""
        ids = list(dict.fromkeys(customer_ids))
        self._wanted.update(ids)
        for customer_id in reversed(ids):
            jobs = self._by_customer.get(customer_id, ())
            self._first.extendleft(reversed([job for job in jobs if job in self._pending]))

    def close(self) -> None:
        """No more jobs will be queued: `get` returns None once the rest are handed out."""
        self._closed = True
        self._changed.set()

    async def get(self) -> Job | Lookup | None:
        while True:
            job = self._take()
            if job is not None or self._closed:
                return job
            self._changed.clear()
            await self._changed.wait()

    def _take(self) -> Job | Lookup | None:
        for tier in (self._first, self._found):
            while tier:
                job = tier.popleft()
                if job in self._pending:
                    return self._handed_out(job)
        if self._lookups:
            return self._lookups.popleft()
        while self._newest_first:
            job = heapq.heappop(self._newest_first)[2]
            if job in self._pending:
                return self._handed_out(job)
        return None

    def _handed_out(self, job: Job) -> Job:
        self._pending.discard(job)
        self._by_customer[job.customer_id].remove(job)
        return job

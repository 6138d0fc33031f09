"""The sync engine's queue of per-customer requests, with the customers on screen first.

A first load of a large account queues tens of thousands of requests, in the order the
customers are listed. What the user looks at meanwhile (the customer rows on screen, the
customer whose page is open) should not wait behind all of them: `put_first` moves a
customer's pending requests to the front, and requests queued later for such a customer go
to the front too. Each request is handed out exactly once, whatever its place.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from metro_tui.sync.customer_records import CustomerRecordKind


@dataclass(frozen=True)
class Job:
    """One request: one kind of one customer's records."""

    kind: CustomerRecordKind
    customer_id: str


class JobQueue:
    """Jobs in the order they were queued, except those of the customers asked for first.

    `get` waits for a job, and returns None once the queue is closed and empty.
    """

    def __init__(self) -> None:
        self._pending: set[Job] = set()
        """Queued and not yet handed out; the deques may still hold jobs already taken."""
        self._in_order: deque[Job] = deque()
        self._first: deque[Job] = deque()
        self._by_customer: dict[str, list[Job]] = {}
        self._wanted: set[str] = set()
        """Customers asked for first whose jobs may not all be queued yet."""
        self._closed = False
        self._changed = asyncio.Event()

    def put(self, job: Job) -> None:
        if job in self._pending:
            return
        self._pending.add(job)
        self._by_customer.setdefault(job.customer_id, []).append(job)
        if job.customer_id in self._wanted:
            self._first.append(job)
        else:
            self._in_order.append(job)
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

    async def get(self) -> Job | None:
        while True:
            job = self._take()
            if job is not None or self._closed:
                return job
            self._changed.clear()
            await self._changed.wait()

    def _take(self) -> Job | None:
        for jobs in (self._first, self._in_order):
            while jobs:
                job = jobs.popleft()
                if job in self._pending:
                    self._pending.discard(job)
                    self._by_customer[job.customer_id].remove(job)
                    return job
        return None

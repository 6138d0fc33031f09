"""The queue hands out the customers asked for first, then those a look-up found, then the
look-ups, then the rest newest customer first; each job once."""

from __future__ import annotations

from metro_tui.sync.customer_records import CUSTOMER_RECORD_KINDS
from metro_tui.sync.job_queue import Job, JobQueue, Lookup

CONFIGS, CONTRACTS, INVOICES = CUSTOMER_RECORD_KINDS


async def _drain(queue: JobQueue) -> list[Job | Lookup]:
    queue.close()
    taken: list[Job | Lookup] = []
    while (job := await queue.get()) is not None:
        taken.append(job)
    return taken


async def test_found_customers_go_before_the_look_ups_and_after_those_asked_for() -> None:
    queue = JobQueue()
    queue.put(Job(CONFIGS, "old"), created=1.0)
    queue.put(Job(CONFIGS, "older"), created=0.5)
    queue.put_lookup(Lookup("cus_2"))
    queue.put_lookup(Lookup("cus_3"))
    queue.put(Job(CONFIGS, "found"), created=9.0, found=True)
    queue.put(Job(CONTRACTS, "found"), created=9.0, found=True)
    queue.put(Job(CONFIGS, "asked"), created=0.1)
    queue.put_first(["asked"])

    assert await _drain(queue) == [
        Job(CONFIGS, "asked"),
        Job(CONFIGS, "found"),
        Job(CONTRACTS, "found"),
        Lookup("cus_2"),
        Lookup("cus_3"),
        Job(CONFIGS, "old"),
        Job(CONFIGS, "older"),
    ]


async def test_a_found_customer_asked_for_goes_first_and_once() -> None:
    queue = JobQueue()
    queue.put_lookup(Lookup("cus_1"))
    queue.put(Job(INVOICES, "found"), created=5.0, found=True)
    queue.put(Job(INVOICES, "other"), created=1.0, found=True)
    queue.put_first(["other"])
    queue.put(Job(INVOICES, "found"), created=5.0, found=True)  # queued again: still once

    assert await _drain(queue) == [
        Job(INVOICES, "other"),
        Job(INVOICES, "found"),
        Lookup("cus_1"),
    ]

"""`make bench`: run the benchmarks against the local backend and print one table.

`python -m benchmarks --only cold_sync,table` runs a subset. Seeded data files and snapshots
are kept in `.bench/`, so only the first run pays for seeding 100,000 customers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from statistics import median

from benchmarks.cold_sync import cold_sync
from benchmarks.floor import FloorRatio, app_floor, command_floor
from benchmarks.results import Figure, render

COLD_SYNC_RATIO = 1.2
VISIBLE_ROWS_S = 2.0
VISIBLE_ROWS_CUSTOMERS = 10_000
WARM_START_TARGETS = ((10_000, 1.5), (100_000, 2.0))
"""Customers, and the most the warm start may take as a multiple of the app floor."""
FIRST_ROWS_S = 0.5
STALL_S = 0.05
FRAME_S = 1 / 60
"""Textual paints at most 60 frames a second: a keystroke within one frame is instant."""
KEYSTROKE_S = 0.016
PEAK_RSS_MB = 250
TABLE_SIZES = (10_000, 100_000)
DEMO_DATA_RATIO = 3.0
DEMO_DATA_SIZES = (150, 10_000)
DEMO_DATA_RUNS = 3  # at 150 customers; once at 10,000

Row = Figure | FloorRatio


def floor_figures(_args: argparse.Namespace) -> list[Row]:
    return [app_floor().figure(), command_floor().figure()]


def help_figures(_args: argparse.Namespace) -> list[Row]:
    from benchmarks.pty_run import run_in_pty

    command = os.path.join(os.path.dirname(sys.executable), "metro-tui")
    run = run_in_pty([command, "--help"], until=None)
    return [FloorRatio("metro-tui --help, to exit", run.seconds, command_floor(), HELP_RATIO)]


def demo_data_figures(_args: argparse.Namespace) -> list[Row]:
    from benchmarks.seed import demo_data

    figures: list[Row] = []
    for customers in DEMO_DATA_SIZES:
        result = demo_data(customers, runs=DEMO_DATA_RUNS if customers == 150 else 1)
        runs = ", ".join(f"{seconds:.2f}" for seconds in result.command_runs_s)
        figures.append(
            FloorRatio(
                f"demo data, {customers:,} customers: metro-tui local reset, to exit",
                result.command_s,
                app_floor(),
                DEMO_DATA_RATIO if customers == 150 else None,
                f"runs {runs} s; seed_database alone {result.seed_s:.2f} s",
            )
        )
    return figures


HELP_RATIO = 2.0


def cold_sync_figures(args: argparse.Namespace) -> list[Figure]:
    figures = []
    for show_partials, how in ((False, "sync engine"), (True, "as the app's first load")):
        result = cold_sync(
            args.customers,
            args.latency_ms,
            args.concurrency,
            runs=args.runs,
            show_partials=show_partials,
        )
        ideal = result.ideal
        figures.append(
            Figure(
                f"cold sync ({how}), {result.customers:,} customers, {ideal.latency_ms} ms, "
                f"concurrency {ideal.concurrency}, {ideal.requests:,} requests",
                f"{result.wall_s:.1f} s = {result.ratio:.2f}x",
                f"{ideal.seconds:.1f} s = requests x latency / concurrency",
                f"<= {COLD_SYNC_RATIO}x ideal",
                result.ratio <= COLD_SYNC_RATIO,
            )
        )
    return figures


def visible_rows_figures(args: argparse.Namespace) -> list[Figure]:
    from benchmarks.visible_rows import WATCH_S, visible_rows, visible_rows_floor

    # In a fresh interpreter: the cold sync, run before in this process, has imported the SDKs,
    # which a user's first start imports while its first screen of rows loads.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        result = fresh.submit(
            visible_rows, VISIBLE_ROWS_CUSTOMERS, args.latency_ms, args.concurrency
        ).result()
    complete = result.screen_complete_s
    floor = visible_rows_floor(result.rows_in_view, result.latency_ms, result.concurrency)
    return [
        Figure(
            f"first load, {result.customers:,} customers, {result.latency_ms} ms: app start to "
            f"a screen of {result.rows_in_view} complete Customers rows (headless)",
            f"not within {WATCH_S:.0f} s" if complete is None else f"{complete:.1f} s",
            f"floor {floor.seconds:.2f} s = the SDKs' import alone {floor.sdk_import_s:.2f} s "
            f"(fresh interpreter, median of 3) + {floor.screen_requests.requests} requests x "
            f"latency / concurrency {floor.screen_requests.seconds:.2f} s; longest a row stayed "
            f"on screen incomplete: {result.longest_incomplete_s:.2f} s",
            f"<= {VISIBLE_ROWS_S:.0f} s",
            complete is not None and complete <= VISIBLE_ROWS_S,
        )
    ]


def warm_start_figures(_args: argparse.Namespace) -> list[Row]:
    from benchmarks.warm_start import warm_start

    figures: list[Row] = []
    for customers, ratio in WARM_START_TARGETS:
        result = warm_start(customers)
        pty_runs = ", ".join(f"{seconds:.2f}" for seconds in result.pty_runs_s)
        headless_runs = ", ".join(f"{seconds:.2f}" for seconds in result.first_figures_runs_s)
        figures.append(
            FloorRatio(
                f"warm start, {customers:,} customers, in a pty: process start to the exact "
                "total revenue on the terminal",
                result.pty_s,
                app_floor(),
                ratio,
                f"runs {pty_runs} s",
            )
        )
        figures.append(
            FloorRatio(
                f"warm start, {customers:,} customers, headless (160x48): process start to "
                "the first frame whose terminal output holds the exact total revenue",
                result.first_figures_s,
                app_floor(),
                ratio,
                f"runs {headless_runs} s; imports {result.imports_s:.2f} s; whole cache read "
                f"and every row in the table at {result.populated_s:.2f} s; key 2 to Customers "
                f"tab drawn {result.customers_tab_s * 1000:.0f} ms; "
                f"peak RSS {result.max_rss_mb:.0f} MB",
            )
        )
    return figures


def table_figures(_args: argparse.Namespace) -> list[Figure]:
    from benchmarks.customer_table import customer_table

    figures: list[Figure] = []
    for size in TABLE_SIZES:
        result = customer_table(size)
        load = f"load {result.load[0]:.1f} to {result.load[1]:.1f}"
        reference = f"DataTable ~{2 if size == 10_000 else 20} s"
        figures.append(
            Figure(
                f"Customers table, {result.rows:,} rows: first rows visible",
                f"{result.first_rows_s * 1000:.0f} ms",
                f"{reference}; before it: cache load {result.load_s:.2f} s, "
                f"rows {result.derive_rows_s:.2f} s; {load}",
                f"< {FIRST_ROWS_S} s",
                result.first_rows_s < FIRST_ROWS_S,
            )
        )
        figures.append(
            _stall(
                f"Customers table, {result.rows:,} rows: longest event-loop stall, shown",
                result.stall_s,
                f"{reference} stall; {load}",
            )
        )
    sorts = ", ".join(f"{seconds * 1000:.0f}" for seconds in result.sort_s)
    figures.append(
        _stall(
            f"Customers table, {result.rows:,} rows: longest stall, sorted",
            result.sort_stall_s,
            f"by name, reversed, by date, reversed: {sorts} ms to the next frame; {load}",
        )
    )
    figures.append(
        _stall(
            f"Customers table, {result.rows:,} rows: longest stall, filtered",
            result.filter_stall_s,
            load,
        )
    )
    worst = max(result.keystroke_s)
    figures.append(
        Figure(
            f"filter-as-you-type, {result.rows:,} rows ({len(result.keystroke_s)} keys)",
            f"max {worst * 1000:.1f} ms = {worst / FRAME_S:.2f} frame, "
            f"median {median(result.keystroke_s) * 1000:.1f} ms",
            f'typed "{result.search}", {result.matches:,} matches, keys 0.1 s apart, '
            f"every match counted within {max(result.counted_s) * 1000:.1f} ms; {load}",
            f"<= {KEYSTROKE_S * 1000:.0f} ms (a frame)",
            worst <= KEYSTROKE_S,
        )
    )
    figures.append(
        Figure(
            f"peak RSS, {result.customers:,} customers (snapshot + rows + table)",
            f"{result.max_rss_mb:.0f} MB",
            "VmHWM of the measuring process",
            f"<= {PEAK_RSS_MB} MB",
            result.max_rss_mb <= PEAK_RSS_MB,
        )
    )
    return figures


def _stall(name: str, stall_s: float, reference: str) -> Figure:
    return Figure(
        name,
        f"{stall_s * 1000:.0f} ms",
        reference,
        f"<= {STALL_S * 1000:.0f} ms",
        stall_s <= STALL_S,
    )


def customer_page_figures(_args: argparse.Namespace) -> list[Figure]:
    from benchmarks.customer_page import customer_page

    result = customer_page()
    return [
        _stall(
            f"customer page, {result.contracts} contracts and {result.invoices} invoices: "
            "longest event-loop stall while it opens",
            result.stall_s,
            f"open to the page drawn, every row and product in: {result.drawn_s:.2f} s",
        )
    ]


BENCHMARKS: dict[str, Callable[[argparse.Namespace], Sequence[Row]]] = {
    "floor": floor_figures,
    "help": help_figures,
    "demo_data": demo_data_figures,
    "cold_sync": cold_sync_figures,
    "visible_rows": visible_rows_figures,
    "warm_start": warm_start_figures,
    "table": table_figures,
    "customer_page": customer_page_figures,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated subset of: {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument("--customers", type=int, default=2000, help="cold sync size")
    parser.add_argument("--latency-ms", type=int, default=50, help="cold sync latency")
    parser.add_argument("--concurrency", type=int, default=16, help="cold sync concurrency")
    parser.add_argument(
        "--runs", type=int, default=2, help="cold syncs of each kind; the fastest is shown"
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    started = time.perf_counter()
    rows: list[Row] = []
    for name in chosen:
        print(f"running {name}...", file=sys.stderr, flush=True)
        rows.extend(BENCHMARKS[name](args))
    print(render([row.figure() if isinstance(row, FloorRatio) else row for row in rows]))
    ratios = [row.line() for row in rows if isinstance(row, FloorRatio)]
    if ratios:
        print("\nAgainst the floors measured in this run:")
        print("\n".join(f"- {line}" for line in ratios))
    # The machine may be shared; its load says how much to trust small differences.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\n{os.cpu_count()} CPUs, load average {load} at the end; "
        f"{time.perf_counter() - started:.0f} s in all"
    )


if __name__ == "__main__":
    main()

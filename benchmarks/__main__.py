"""`make bench`: run the benchmarks and print one table."""

from __future__ import annotations

import argparse

from benchmarks.cold_sync import cold_sync


def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    result = cold_sync(args.customers, args.latency_ms, args.concurrency)
    rows = [
        ("benchmark", "figure", "ideal / target", "ratio"),
        (
            f"cold sync, {result.customers:,} customers, {result.latency_ms} ms latency, "
            f"concurrency {result.concurrency} ({result.requests:,} requests)",
            f"{result.wall_s:.1f} s",
            f"{result.ideal_s:.1f} s (target <= 1.5x)",
            f"{result.ratio:.2f}x",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()

"""Benchmarks run by `make bench`: figures next to their ideal or target, never timed tests."""

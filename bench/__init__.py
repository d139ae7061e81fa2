"""Benchmarks (`make bench`): they report figures into docs/benchmarks.md, never fail CI."""

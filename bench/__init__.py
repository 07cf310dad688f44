"""Benchmarks: `make bench` runs every case registered by a `bench/cases_*.py` module."""

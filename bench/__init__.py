"""Benchmarks for the DESIGN.md §7 targets; run with ``make bench`` (``python -m bench``)."""

"""Benchmarks run by hand or from the Makefile (`make bench-ingest`); not part of the app."""

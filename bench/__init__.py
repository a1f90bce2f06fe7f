"""Benchmark scenarios (``make bench``); not part of the test suite."""

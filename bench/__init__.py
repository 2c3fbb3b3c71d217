"""Benchmarks: the kiosk against nginx on the measures residents feel. Run ``bench/run``."""

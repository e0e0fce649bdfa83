"""Benchmarks that time the course library against peers and print ratios: `python -m bench [--quick]`."""

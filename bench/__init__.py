"""`factbot bench`: Factbot's checker against a full-scan rapidfuzz baseline on synthetic stores.

data.py   the deterministic synthetic conflict-news store and its claims
run.py    the benchmark itself (docs/benchmark.md)
"""

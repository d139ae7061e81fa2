"""Support for tests and benchmarks: a fake Bot API server, traffic, fault and restart runs.

Like aiohttp's `test_utils`: shipped with the bot so that `tests/` and `bench/` share one
copy, and never imported by the running bot (tests/unit/test_architecture.py checks it).
"""

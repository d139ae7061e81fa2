"""Settings shared by every test layer."""

from __future__ import annotations

import os

from hypothesis import settings

# Real PostgreSQL and Redis servers (and a database per test) for any test that asks.
pytest_plugins = ["tests.real_servers"]

# In CI the property tests run a fixed sequence of examples, so a run can be reproduced and
# a green build stays green; on a developer's machine they explore new examples each run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

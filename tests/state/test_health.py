"""A backing service's health: one log line and one outage per change, metrics to match."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY

from bot.state.health import Health


def sample(name: str, service: str) -> float:
    """Return the current value of one of the backend metrics for service."""
    value = REGISTRY.get_sample_value(f"glutamine_bot_{name}", {"service": service})
    return 0.0 if value is None else value


def test_a_service_going_down_and_up_is_logged_and_counted_once_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Three failures, then success twice: two lines, one outage, the gauge follows."""
    health = Health("test-service-a", "carrying on without it", retry_after=0)
    outages = sample("backend_outages_total", "test-service-a")

    with caplog.at_level(logging.INFO, logger="bot.state.health"):
        for _ in range(3):
            health.failed(ConnectionError("refused"))
        down = sample("backend_up", "test-service-a")
        health.succeeded()
        health.succeeded()

    assert [r.getMessage() for r in caplog.records] == [
        "test-service-a unavailable (ConnectionError): carrying on without it",
        "test-service-a available again",
    ]
    assert (down, sample("backend_up", "test-service-a")) == (0.0, 1.0)
    assert sample("backend_outages_total", "test-service-a") == outages + 1


def test_a_down_service_is_skipped_until_its_retry_time() -> None:
    """Not usable right after a failure; usable again once retry_after has passed."""
    now = [100.0]
    health = Health("test-service-b", "-", retry_after=5, clock=lambda: now[0])
    health.failed(TimeoutError())

    skipped = health.usable
    now[0] += 5

    assert (skipped, health.usable) == (False, True)

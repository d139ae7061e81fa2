"""The fault run: over a thousand updates while a fifth of the sends fail, counted."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.core import Responder
from bot.testing.fault_run import POLL_FAULTS, SEND_FAULTS, run_faults
from bot.testing.traffic import Tally

pytestmark = pytest.mark.slow


async def test_every_answerable_update_is_answered_exactly_once_under_faults(
    responder: Responder,
) -> None:
    """1,050 updates, 300 users, ~20% of sends failing: no loss, no duplicate, no crash."""
    report = await run_faults(responder)

    answerable = report.updates - report.blocked_updates
    assert (report.updates, report.users) == (1050, 300)
    assert sum(report.send_faults.values()) >= 0.15 * report.sends_attempted
    assert set(report.send_faults) == {f.label for f in SEND_FAULTS} | {"403 blocked"}
    assert set(report.poll_faults) == {f.label for f in POLL_FAULTS}
    assert report.answerable == Tally(answerable, 0, 0, 0)
    assert report.delivered_to_blocked == 0
    assert report.logged["unreachable"] == report.blocked_updates
    assert report.lines_per_update == Counter({1: report.updates})
    assert "error" not in report.kinds
    assert report.errors_logged == 0
    assert report.alive_after
    assert report.leaked == []

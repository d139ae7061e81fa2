"""Restarts: SIGTERM `python -m bot run` mid-stream, start it again; nothing lost or doubled."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.core import Responder
from bot.testing.restart_run import run_restarts
from bot.testing.traffic import Tally

pytestmark = pytest.mark.slow


def test_a_restart_mid_stream_loses_no_update_and_answers_none_twice(
    responder: Responder,
) -> None:
    """Answers in flight at SIGTERM are sent before exit; the rest wait for the next process."""
    report = run_restarts(responder)

    assert report.exit_codes == [0, 0]
    assert report.in_flight_at_sigterm >= 10
    assert report.first_answered_what_it_confirmed
    assert report.answered_by_run[1] > 0
    assert report.answers == Tally(report.updates, 0, 0, 0)
    assert report.lines_per_update == Counter({1: report.updates})
    assert report.leaked == []

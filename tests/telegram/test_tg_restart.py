"""Restarts: stop `python -m bot run` mid-burst, start it again; count what reached users."""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from bot.core import Responder
from bot.testing.restart_run import RestartPlan, run_restarts
from bot.testing.traffic import Tally
from bot.testing.webhook_restart import WebhookRestartPlan, run_webhook_restarts
from bot.tg.polling import PollPolicy
from bot.tg.webhook import WebhookLimits

pytestmark = pytest.mark.slow
WINDOW = PollPolicy().window  # the promise: at most this many answered twice per hard kill


def test_a_sigterm_mid_burst_loses_nothing_doubles_nothing_and_exits_within_5_seconds(
    responder: Responder,
) -> None:
    """The updates in flight are finished and confirmed; the backlog waits at Telegram."""
    report = run_restarts(responder, RestartPlan(stops=(signal.SIGTERM,), users=60))

    assert report.exit_codes == [0, 0]
    assert report.backlog_at_stop[0] > 2 * WINDOW  # a backlog far beyond what is held
    assert report.stop_seconds[0] < 5
    assert report.answers == Tally(report.updates, 0, 0, 0)
    assert report.lines_per_update == Counter({1: report.updates})
    assert report.leaked == []


def test_a_sigkill_mid_burst_loses_nothing_and_answers_at_most_the_window_twice(
    responder: Responder,
) -> None:
    """Two hard kills in a row: nothing confirmed before it was handled, so nothing lost."""
    plan = RestartPlan(stops=(signal.SIGKILL, signal.SIGKILL), users=75)
    report = run_restarts(responder, plan)

    assert report.exit_codes == [-signal.SIGKILL, -signal.SIGKILL, 0]
    assert min(report.backlog_at_stop) > 2 * WINDOW
    assert max(report.held_at_stop) <= WINDOW
    assert report.answers.lost == 0
    assert report.answers.duplicated <= 2 * WINDOW
    assert report.answers.exactly_once + report.answers.duplicated == report.updates
    assert report.answers.unexpected == 0
    assert report.leaked == []


def test_a_webhook_killed_mid_burst_loses_nothing_and_answers_at_most_the_window_twice(
    responder: Responder,
) -> None:
    """SIGKILL, then SIGTERM, while Telegram's stand-in keeps delivering until it gets 200."""
    report = run_webhook_restarts(responder, WebhookRestartPlan())

    assert report.exit_codes == [-signal.SIGKILL, 0, 0]
    assert report.stop_seconds[1] < 5
    assert report.answers.lost == 0
    assert report.answers.duplicated <= WebhookLimits().concurrency  # the SIGKILL's, at most
    assert report.answers.exactly_once + report.answers.duplicated == report.updates
    assert report.answers.unexpected == 0
    assert report.deliveries > report.updates  # Telegram did deliver some updates again
    assert report.leaked == []

"""Logs under faults: one line per expected fault, repeats collapsed, no body, no traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot.config import Settings
from bot.core import Responder
from bot.testing.constants import FAST, TOKEN
from bot.testing.fake_bot_api import FakeBotApi, Fault
from bot.testing.harness import Harness, polling
from bot.testing.traffic import recording_logs
from bot.tg.app import build_application
from bot.tg.logs import FORMAT, RedactingFilter
from bot.tg.polling import PollPolicy
from bot.tg.repeats import CollapsingHandler

MARKER = "okapi-2288"  # inside every proxy error page: it must not reach the logs
# Tiny waits so that a storm of failed polls takes a second, not minutes.
STORMY = PollPolicy(long_poll=1, backoff=0.001, max_backoff=0.001, timeout=FAST.timeout)


@contextmanager
def production_log() -> Iterator[io.StringIO]:
    """Write every logger at INFO through the handler `python -m bot run` uses."""
    stream = io.StringIO()
    handler = CollapsingHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter([TOKEN]))
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        handler.flush()
        root.removeHandler(handler)
        root.setLevel(saved)


async def test_a_storm_of_502_pages_on_polling_is_one_line_and_a_count(
    fake: FakeBotApi, settings: Settings, responder: Responder
) -> None:
    """200 HTML 502s in a row: one line with the reason, one with the count, one on recovery."""
    fake.inject("getUpdates", Fault.proxy_page(502, MARKER), times=200)
    application = build_application(settings, responder, FAST)
    with production_log() as stream, recording_logs() as records:
        async with polling(application, policy=STORMY):
            await Harness(fake, records, application).ask("what is leaky gut")

    lines = stream.getvalue().splitlines()
    failed = [line for line in lines if "getUpdates failed" in line]
    assert len(failed) == 1
    assert "HTTP 502 Bad Gateway (not JSON body, not shown)" in failed[0]
    assert any("(the line above, 199 more times)" in line for line in lines)
    assert any("getUpdates works again after 200 failed tries" in line for line in lines)
    assert len([line for line in lines if " WARNING " in line or " ERROR " in line]) <= 3
    assert "Traceback" not in stream.getvalue()
    assert MARKER not in stream.getvalue()


async def test_a_send_that_keeps_getting_502_pages_is_one_line_per_try_without_the_body(
    fake: FakeBotApi, settings: Settings, responder: Responder
) -> None:
    """Three HTML 502s for one answer: two retries and the failure, each a line, no traceback."""
    fake.inject("sendMessage", Fault.proxy_page(502, MARKER), times=3)
    application = build_application(settings, responder, FAST)
    with production_log() as stream, recording_logs() as records:
        async with polling(application):
            exchange = await Harness(fake, records, application).ask("what is leaky gut")
            await fake.wait_for("sendMessage", count=4)  # the apology

    mine = [
        line for line in stream.getvalue().splitlines() if f"update={exchange.update_id}" in line
    ]
    assert exchange.outcome["kind"] == "error"
    assert len([line for line in mine if "retrying in" in line]) == 2
    [failure] = [line for line in mine if " failed: " in line]
    assert "NetworkError: 'Bad Gateway (502)' (body not JSON, not shown)" in failure
    assert "Traceback" not in stream.getvalue()
    assert MARKER not in stream.getvalue()


def test_identical_lines_are_collapsed_with_a_count_and_others_pass() -> None:
    """A line repeated within the window is counted; the count comes before the next line."""
    stream = io.StringIO()
    handler = CollapsingHandler(stream)
    log = logging.getLogger("tests.collapse")
    log.addHandler(handler)
    log.propagate = False
    try:
        for _ in range(5):
            log.warning("same")
        log.warning("other")
        log.warning("same")
        handler.flush()
    finally:
        log.removeHandler(handler)
        log.propagate = True

    assert stream.getvalue().splitlines() == [
        "same",
        "(the line above, 4 more times)",
        "other",
        "same",
    ]

"""LOG_FORMAT=json: every line the process logs is one JSON object, with the update's fields
and without user text or the token."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import start_bot

MARKER = "pangolin-6203"  # user text: it must not reach the log


@pytest.fixture
def server() -> Iterator[FakeBotApi]:
    """Run a fake Bot API for a bot in another process."""
    with FakeBotApi(TOKEN) as api:
        yield api


def events(stderr: str) -> list[dict[str, Any]]:
    """Parse every log line as JSON (a line that is not JSON fails the test)."""
    return [json.loads(line) for line in stderr.splitlines() if line.strip()]


def test_every_log_line_is_json_with_the_update_fields_and_no_user_text(
    server: FakeBotApi,
) -> None:
    """An answer and a safety reply: two update events with id, kind, entry, rule, latency."""
    process = start_bot(server.base_url, LOG_FORMAT="json")
    try:
        server.wait_for_sync("getUpdates", seconds=20)
        answered = server.send_text(f"how much glutamine should I take {MARKER}")
        urgent = server.send_text(f"I have chest pain {MARKER}")
        server.wait_for_sync("sendMessage", count=2, seconds=20)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    logged = events(stderr)
    updates = {e["update"]: e for e in logged if e["logger"] == "bot.tg.updates"}

    assert process.returncode == 0
    assert {"time", "level", "logger", "message"} <= logged[0].keys()
    assert sorted(updates) == [answered, urgent]
    assert (updates[answered]["kind"], updates[answered]["rule"]) == ("answer", "-")
    assert (updates[urgent]["kind"], updates[urgent]["entry"]) == ("safety", "-")
    assert updates[urgent]["rule"] not in ("-", None)
    assert all(isinstance(e["latency_ms"], int) for e in updates.values())
    assert MARKER not in stderr
    assert TOKEN.split(":")[1] not in stderr


def test_a_start_up_failure_is_one_json_line_too(server: FakeBotApi) -> None:
    """A rejected token in JSON mode: the one line that says so is JSON, token masked."""
    other = "987654321:REJECTED-token_abcdefghijklmnopqrstuvwxyz0"
    process = start_bot(server.base_url, other, LOG_FORMAT="json")
    try:
        _, stderr = process.communicate(timeout=20)
    finally:
        process.kill()
    [failure] = [e for e in events(stderr) if e["level"] == "ERROR"]

    assert process.returncode == 2
    assert failure["message"].startswith("the Bot API rejected TELEGRAM_BOT_TOKEN")
    assert other.split(":")[1] not in stderr

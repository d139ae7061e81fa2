"""`python -m bot run` as a process: it answers, exits cleanly on SIGTERM, leaks nothing."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.testing import fake_updates
from bot.testing.constants import SECRET, TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import free_port, start_bot
from tests.unit.test_cli import broken_content, topic_problem

QUESTION = "how much glutamine should I take, asks zebra-7781"


@pytest.fixture
def server() -> Iterator[FakeBotApi]:
    """Run a fake Bot API for a bot in another process."""
    with FakeBotApi(TOKEN) as api:
        yield api


def test_the_bot_answers_then_exits_cleanly_on_sigterm_within_5_seconds(
    server: FakeBotApi,
) -> None:
    """Polling answers a question; SIGTERM stops it with status 0, updates confirmed."""
    process = start_bot(server.base_url)
    try:
        server.wait_for_sync("getUpdates", seconds=20)
        server.send_text(QUESTION)
        [reply, *_] = server.wait_for_sync("sendMessage")
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=5)
    finally:
        process.kill()

    assert process.returncode == 0
    assert time.monotonic() - started < 5
    assert "2.5 g" in reply.text
    assert server.pending_updates() == 0  # the last getUpdates confirmed the answered update
    assert "kind=answer entry=dosage" in stderr
    assert TOKEN not in stderr
    assert TOKEN.split(":")[1] not in stderr
    assert "zebra" not in stderr


def test_a_rejected_token_stops_the_start_with_one_line_and_no_token(
    server: FakeBotApi,
) -> None:
    """The Bot API says 401: one clear line, exit status 2, the token never printed."""
    other = "987654321:REJECTED-token_abcdefghijklmnopqrstuvwxyz0"
    process = start_bot(server.base_url, other)
    try:
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert process.returncode == 2
    [line] = [line for line in stderr.splitlines() if "TELEGRAM_BOT_TOKEN" in line]
    assert "ERROR bot.tg.serve: the Bot API rejected TELEGRAM_BOT_TOKEN" in line
    assert "Traceback" not in stderr
    assert other.split(":")[1] not in stderr + stdout


def test_webhook_mode_registers_serves_and_stops_cleanly(server: FakeBotApi) -> None:
    """WEBHOOK_URL set: setWebhook with the secret, updates over HTTP answered, SIGTERM exits 0."""
    port = free_port()
    process = start_bot(
        server.base_url,
        WEBHOOK_URL="https://bot.example.com/tg",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
    )
    try:
        [registered] = server.wait_for_sync("setWebhook", seconds=20)
        update = {"update_id": 1, "message": fake_updates.message(QUESTION)}
        status = post_update(f"http://127.0.0.1:{port}/tg", update)
        [reply, *_] = server.wait_for_sync("sendMessage")
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=5)
    finally:
        process.kill()

    assert (registered.params["url"], registered.params["secret_token"]) == (
        "https://bot.example.com/tg",
        SECRET,
    )
    assert (status, process.returncode) == (200, 0)
    assert "2.5 g" in reply.text
    assert SECRET not in stderr
    assert "zebra" not in stderr


def post_update(url: str, update: dict[str, object]) -> int:
    """POST an update with the secret, retrying while the server is still starting."""
    deadline = time.monotonic() + 10
    while True:
        try:
            response = httpx.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
        except httpx.ConnectError:
            assert time.monotonic() < deadline, "the webhook server never started"
            time.sleep(0.02)
        else:
            return response.status_code


def test_broken_content_stops_the_start_naming_file_line_and_entry(
    server: FakeBotApi, tmp_path: Path
) -> None:
    """`run` refuses to start on bad content, before it ever calls the Bot API."""
    root = broken_content(tmp_path)
    process = start_bot(server.base_url, CONTENT_DIR=str(root))
    try:
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert (process.returncode, stdout) == (2, "")
    assert "error: the content is invalid; the bot will not start" in stderr
    assert topic_problem(root) in stderr
    assert server.calls == []

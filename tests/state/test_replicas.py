"""Two `python -m bot run` processes in webhook mode sharing one Redis act as one bot.

A load balancer would spread one user's messages over both; here the test alternates
between their webhook ports. Both talk to the same fake Bot API.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from bot.testing import fake_updates
from bot.testing.constants import SECRET, TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import free_port, start_bot
from tests.real_servers import RedisServer

pytestmark = pytest.mark.slow
FLOOD_LIMIT = 3
QUESTION = "how much glutamine should I take"


class Replica:
    """One bot process serving a webhook on its own port."""

    def __init__(self, fake: FakeBotApi, redis_url: str, log: IO[str]) -> None:
        self.port = free_port()
        self.log = log
        self.process = start_bot(
            fake.base_url,
            log=log,
            WEBHOOK_URL="https://bot.example.com/tg",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_PORT=str(self.port),
            REDIS_URL=redis_url,
            FLOOD_MAX_MESSAGES=str(FLOOD_LIMIT),
            FLOOD_WINDOW_SECONDS="600",
        )

    def post(self, update: dict[str, Any]) -> int:
        """POST an update; the webhook answers once it was handled (retry while starting)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.post(
                    f"http://127.0.0.1:{self.port}/tg",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    timeout=30,
                )
            except httpx.ConnectError:
                assert self.process.poll() is None, "the replica exited"
                assert time.monotonic() < deadline, "the webhook server never started"
                time.sleep(0.05)
            else:
                return response.status_code

    def stop(self) -> None:
        """Stop the process (SIGTERM, then kill)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[FakeBotApi, RedisServer, list[Replica], Path]]:
    """Run a fake Bot API, a Redis and two replicas; stop them all afterwards."""
    with FakeBotApi(TOKEN) as fake, RedisServer() as redis:
        logs = [(tmp_path / f"replica{n}.log").open("w") for n in range(2)]
        replicas = [Replica(fake, redis.url, log) for log in logs]
        try:
            yield fake, redis, replicas, tmp_path
        finally:
            for replica in replicas:
                replica.stop()
            for log in logs:
                log.close()


def message(text: str, update_id: int) -> dict[str, Any]:
    """Return an update with a message from the test user."""
    return {"update_id": update_id, "message": fake_updates.message(text)}


def test_one_users_messages_spread_over_two_replicas_stay_within_one_flood_limit(
    setup: tuple[FakeBotApi, RedisServer, list[Replica], Path],
) -> None:
    """6 messages alternating between replicas: 3 answers, one 'slow down', then silence."""
    fake, _, replicas, _ = setup

    statuses = [replicas[n % 2].post(message(f"{QUESTION} {n}", 100 + n)) for n in range(6)]

    sent = [c.text for c in fake.calls_to("sendMessage")]
    assert statuses == [200] * 6
    assert sum("2.5 g" in text for text in sent) == FLOOD_LIMIT
    assert sum("faster than I can read" in text for text in sent) == 1
    assert len(sent) == FLOOD_LIMIT + 1


def test_an_update_delivered_to_both_replicas_is_answered_once(
    setup: tuple[FakeBotApi, RedisServer, list[Replica], Path],
) -> None:
    """Telegram redelivers to whichever replica: the shared ledger says it is done."""
    fake, _, replicas, _ = setup
    update = message(QUESTION, 200)

    statuses = [replicas[0].post(update), replicas[1].post(update)]

    assert statuses == [200, 200]
    assert len(fake.calls_to("sendMessage")) == 1


def test_a_follow_up_sent_to_the_other_replica_is_read_in_context(
    setup: tuple[FakeBotApi, RedisServer, list[Replica], Path],
) -> None:
    """The chat's last answer (its entry id) is in Redis: replica B reads A's context."""
    fake, _, replicas, _ = setup

    statuses = [
        replicas[0].post(message("explain leaky gut", 400)),
        replicas[1].post(message("what might that cause", 401)),
    ]

    sent = [c.text for c in fake.calls_to("sendMessage")]
    assert statuses == [200, 200]
    assert len(sent) == 2
    # Alone, "what might that cause" is "the article doesn't say what causes it"; read
    # after the leaky-gut answer it asks what leaky gut leads to.
    assert "autoimmune" in sent[1], sent[1]


def test_both_replicas_keep_answering_when_redis_stops(
    setup: tuple[FakeBotApi, RedisServer, list[Replica], Path],
) -> None:
    """Redis gone mid-run: every message is still answered; each replica says so once."""
    fake, redis, replicas, tmp_path = setup
    assert replicas[0].post(message(QUESTION, 300)) == 200

    redis.stop()
    statuses = [replicas[n % 2].post(message(f"{QUESTION} {n}", 301 + n)) for n in range(2)]

    answers = [c.text for c in fake.calls_to("sendMessage") if "2.5 g" in c.text]
    assert statuses == [200, 200]
    assert len(answers) == 3
    for replica in replicas:
        replica.log.flush()
    for n in range(2):
        log = (tmp_path / f"replica{n}.log").read_text()
        assert log.count("redis unavailable") == 1, log
        assert "Traceback" not in log

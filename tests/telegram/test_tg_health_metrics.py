"""/healthz and /metrics: 200 while updates arrive, 503 with the reason otherwise; metrics
count updates, replies, latency and failures, and never carry what a user wrote."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Settings, SettingsError, load_settings
from bot.core import Responder
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import FakeBotApi, Fault
from bot.testing.harness import Harness, bot_running
from bot.testing.process import free_port, start_bot
from bot.testing.webhook_abuse import webhook_bot
from bot.tg.health import TOKEN_REJECTED, Health
from bot.tg.ops_http import ops_server

MARKER = "quokka-4410"  # user text: it must never appear in a metrics page


def samples(page: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Parse a metrics page into {(sample name, labels): value}."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


def value(page: str, name: str, **labels: str) -> float:
    """Return one sample's value from a metrics page, 0 when absent."""
    return samples(page).get((name, frozenset(labels.items())), 0.0)


async def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Poll until condition holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.05)


async def get(url: str) -> httpx.Response:
    """GET url."""
    async with httpx.AsyncClient() as client:
        return await client.get(url)


@pytest.fixture
def ops_port() -> int:
    """Return a free port for the health and metrics server."""
    return free_port()


async def test_polling_health_is_200_after_a_getupdates_and_503_with_the_reason_when_they_fail(
    bot: Harness, fake: FakeBotApi, ops_port: int
) -> None:
    """Healthy while polls succeed; when every poll fails for longer than the window, 503."""
    health: Health = bot.application.bot_data.health
    async with ops_server("127.0.0.1", ops_port, health):
        url = f"http://127.0.0.1:{ops_port}/healthz"
        await until(lambda: health.last_poll is not None)
        healthy = await get(url)
        health.stale_after = 0.5
        fake.inject("getUpdates", Fault(502, "Bad Gateway"), times=1000)
        await until(lambda: health.status()[0] is False and health.poll_error is not None)
        broken = await get(url)

    assert (healthy.status_code, healthy.text.startswith("ok")) == (200, True)
    assert broken.status_code == 503
    assert "no getUpdates has succeeded for" in broken.text
    assert "last error: HTTP 502 Bad Gateway" in broken.text


async def test_a_rejected_token_makes_health_503_naming_the_token(
    fake: FakeBotApi,
    settings: Settings,
    responder: Responder,
    caplog: pytest.LogCaptureFixture,
    ops_port: int,
) -> None:
    """A 401 to getUpdates: /healthz says the token was rejected, and polling ends."""
    running = bot_running(fake, settings, responder, caplog)
    bot = await running.__aenter__()
    health: Health = bot.application.bot_data.health
    async with ops_server("127.0.0.1", ops_port, health):
        fake.revoke()
        await until(lambda: health.fatal is not None)
        response = await get(f"http://127.0.0.1:{ops_port}/healthz")
    with pytest.raises(SettingsError, match="rejected the token"):
        await running.__aexit__(None, None, None)

    assert (response.status_code, response.text.strip()) == (503, TOKEN_REJECTED)


async def test_metrics_count_updates_replies_latency_and_send_failures(
    bot: Harness, fake: FakeBotApi, ops_port: int
) -> None:
    """One answered question, one safety reply, one failed send: each counted, no user text."""
    url = f"http://127.0.0.1:{ops_port}/metrics"
    async with ops_server("127.0.0.1", ops_port, bot.application.bot_data.health):
        before = (await get(url)).text
        answered = await bot.ask(f"how much glutamine should I take {MARKER}")
        safety = await bot.ask(f"I have chest pain {MARKER}")
        fake.inject("sendMessage", Fault(500, "Internal Server Error"))
        await bot.ask("what is leaky gut")
        after = (await get(url)).text

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    rule = safety.outcome["rule"]
    assert answered.outcome["kind"] == "answer"
    assert rule != "-"
    assert grew("glutamine_bot_updates_total", type="message") == 3
    assert grew("glutamine_bot_replies_total", kind="answer", rule="-") == 2
    assert grew("glutamine_bot_replies_total", kind="safety", rule=rule) == 1
    assert grew("glutamine_bot_reply_latency_seconds_count") == 3
    assert grew("glutamine_bot_send_failures_total", method="sendMessage", reason="http_500") == 1
    assert MARKER not in after


async def test_the_webhook_server_serves_health_and_metrics(
    fake: FakeBotApi, responder: Responder
) -> None:
    """Webhook mode: /healthz is 200 once the server is up and the webhook registered."""
    async with webhook_bot(fake, responder) as url:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        health = await get(f"{root}/healthz")
        page = await get(f"{root}/metrics")

    assert (health.status_code, health.text.strip()) == (
        200,
        "ok: webhook server up and registered",
    )
    assert page.status_code == 200
    assert "glutamine_bot_updates_total" in page.text


@pytest.fixture
def server() -> Iterator[FakeBotApi]:
    """Run a fake Bot API for a bot in another process."""
    with FakeBotApi(TOKEN) as api:
        yield api


def test_the_process_serves_health_and_metrics_on_metrics_port_in_polling_mode(
    server: FakeBotApi, ops_port: int, settings: Settings
) -> None:
    """METRICS_PORT set: `python -m bot run` answers /healthz 200 and counts an update."""
    process = start_bot(server.base_url, METRICS_PORT=str(ops_port))
    try:
        server.wait_for_sync("getUpdates", count=2, seconds=20)  # the first succeeded
        server.send_text(f"what is glutamine {MARKER}")
        server.wait_for_sync("sendMessage", seconds=20)
        health = httpx.get(f"http://127.0.0.1:{ops_port}/healthz", timeout=10)
        deadline = time.monotonic() + 10
        while (
            value(
                page := httpx.get(f"http://127.0.0.1:{ops_port}/metrics").text,
                "glutamine_bot_updates_total",
                type="message",
            )
            < 1
        ):
            assert time.monotonic() < deadline, "the update was never counted"
            time.sleep(0.05)
    finally:
        process.terminate()
        process.communicate(timeout=10)

    assert health.status_code == 200
    replies = [v for (name, _), v in samples(page).items() if name == "glutamine_bot_replies_total"]
    assert sum(replies) == 1
    assert MARKER not in page


def sample(name: str) -> float:
    """Return a metric's current value in this process (0 before its first use)."""
    return REGISTRY.get_sample_value(name) or 0.0


async def test_a_lost_answer_and_flood_drops_are_counted(
    fake: FakeBotApi, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """A send whose answer never came counts as unknown; messages over the limit as drops."""
    environ = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}
    settings = load_settings({**environ, "FLOOD_MAX_MESSAGES": "2"}, None)
    unknown = sample("glutamine_bot_deliveries_unknown_total")
    drops = sample("glutamine_bot_flood_drops_total")
    async with bot_running(fake, settings, responder, caplog) as bot:
        fake.inject("sendMessage", Fault.dropped())
        await bot.ask("what is glutamine")
        outcomes = [(await bot.ask("what is leaky gut")).outcome["kind"] for _ in range(3)]

    assert outcomes == ["answer", "flood_warn", "flood_drop"]
    assert sample("glutamine_bot_deliveries_unknown_total") - unknown == 1
    assert sample("glutamine_bot_flood_drops_total") - drops == 2

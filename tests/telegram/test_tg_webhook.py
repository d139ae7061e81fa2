"""End to end: webhook mode over real HTTP, with the secret token checked."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.constants import SECRET
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.webhook_abuse import ABUSES, MARKER, PUBLIC_URL, send, webhook_bot


@pytest.fixture
async def webhook(fake: FakeBotApi, responder: Responder) -> AsyncIterator[str]:
    """Run the bot in webhook mode on 127.0.0.1 and return the local URL Telegram would call."""
    async with webhook_bot(fake, responder) as url:
        yield url


def an_update(fake: FakeBotApi, text: str) -> dict[str, object]:
    """Return a well-formed update, as Telegram would POST it."""
    return {"update_id": fake.next_update_id(), "message": fake_updates.message(text)}


async def post(url: str, update: dict[str, object], secret: str | None) -> int:
    """POST an update as Telegram does and return the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with httpx.AsyncClient() as client:
        response = await client.post(url, content=json.dumps(update), headers=headers)
    return response.status_code


async def logged_updates(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Poll until an update was logged; return the update ids logged (update=N)."""
    deadline = time.monotonic() + 5
    while not (lines := [r.getMessage() for r in caplog.records if r.name == "bot.tg.updates"]):
        assert time.monotonic() < deadline, "no update was logged"
        await asyncio.sleep(0.005)
    return [line.split()[0] for line in lines]


async def test_start_up_registers_the_public_url_and_the_secret(
    fake: FakeBotApi, webhook: str
) -> None:
    """setWebhook gets WEBHOOK_URL and WEBHOOK_SECRET; the local path is the URL's path."""
    [registered] = fake.calls_to("setWebhook")

    assert (registered.params["url"], registered.params["secret_token"]) == (PUBLIC_URL, SECRET)
    assert webhook.endswith("/telegram/hook")


async def test_an_update_with_the_right_secret_is_answered(fake: FakeBotApi, webhook: str) -> None:
    """The secret header matches: the update is processed and answered."""
    status = await post(webhook, an_update(fake, "How much glutamine should I take?"), SECRET)

    assert status == 200
    [reply, *_] = await fake.wait_for("sendMessage")
    assert "2.5 g" in reply.text


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET + "x", SECRET.upper()])
async def test_an_update_without_the_right_secret_is_refused_with_403(
    fake: FakeBotApi, webhook: str, secret: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    """Missing or wrong secret: 403 and nothing processed; the server keeps serving."""
    caplog.set_level(logging.INFO, logger="bot")

    refused = await post(webhook, an_update(fake, "How much glutamine should I take?"), secret)
    good = an_update(fake, "what is leaky gut?")
    accepted = await post(webhook, good, SECRET)

    assert (refused, accepted) == (403, 200)
    [reply] = await fake.wait_for("sendMessage")
    assert "leaky gut" in reply.text.lower()
    assert [f"update={good['update_id']}"] == await logged_updates(caplog)


async def test_abusive_requests_are_refused_and_the_server_keeps_serving(
    fake: FakeBotApi, webhook: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Bad bodies, headers, paths and methods get 4xx (500 for non-JSON with the secret)."""
    caplog.set_level(logging.INFO)  # every logger: PTB's and tornado's too

    statuses = {abuse.name: await send(webhook, abuse) for abuse in ABUSES}
    good = an_update(fake, "what is leaky gut?")
    accepted = await post(webhook, good, SECRET)

    assert statuses == {abuse.name: abuse.expected for abuse in ABUSES}
    assert accepted == 200
    [reply] = await fake.wait_for("sendMessage")
    assert "leaky gut" in reply.text.lower()
    assert [f"update={good['update_id']}"] == await logged_updates(caplog)
    assert MARKER not in caplog.text
    assert SECRET not in caplog.text

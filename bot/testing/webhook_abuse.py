"""Requests a webhook should refuse, the status each gets, and the bot in webhook mode.

Everything without the right secret is refused with 403 before its body is looked at;
bodies over 1 MiB are refused with 400 before any handler runs. With the secret (only
Telegram has it), a body that is not a JSON object gets 400, and an object PTB cannot
read as an update is logged once and acknowledged with 200 (Telegram would only deliver
it again). `test_tg_webhook.py` asserts these; `bench/reliability.py` prints them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from bot.config import load_settings
from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.constants import FAST, SECRET, TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import free_port
from bot.tg.app import build_application
from bot.tg.serve import running_webhook
from bot.tg.webhook import WebhookLimits

PUBLIC_URL = "https://bot.example.com/telegram/hook"  # never contacted: the fake records it
MARKER = "okapi-3317"  # user text inside refused bodies: it must not reach the logs
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
JSON = {"Content-Type": "application/json"}
WITH_SECRET = {**JSON, SECRET_HEADER: SECRET}
MAX_BODY = 1024 * 1024  # bot.tg.webhook.MAX_BODY_BYTES


def _update(text: str = f"what is leaky gut {MARKER}") -> bytes:
    return json.dumps({"update_id": 10**6, "message": fake_updates.message(text)}).encode()


def _undated() -> bytes:
    message = fake_updates.message(f"what is leaky gut {MARKER}")
    del message["date"]
    return json.dumps({"update_id": 10**6 + 1, "message": message}).encode()


@dataclass(frozen=True)
class Abuse:
    """One request, and the status the webhook must answer it with."""

    name: str
    expected: int
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: dict(WITH_SECRET))
    method: str = "POST"
    path: str | None = None  # instead of the webhook's path
    declared_length: int | None = None  # send only headers claiming this Content-Length


ABUSES = (
    Abuse("malformed JSON, no secret", 403, b'{"update_id": 1, "message": ', JSON),
    Abuse("invalid UTF-8, no secret", 403, b"\xff\xfe{\x00", JSON),
    Abuse("missing secret", 403, _update(), JSON),
    Abuse("empty secret", 403, _update(), {**JSON, SECRET_HEADER: ""}),
    Abuse("wrong secret", 403, _update(), {**JSON, SECRET_HEADER: "wrong-secret"}),
    Abuse("secret in other case", 403, _update(), {**JSON, SECRET_HEADER: SECRET.upper()}),
    Abuse("secret with a suffix", 403, _update(), {**JSON, SECRET_HEADER: SECRET + "x"}),
    Abuse("content type text/plain", 403, _update(), {**WITH_SECRET, "Content-Type": "text/plain"}),
    Abuse(
        "content type with charset",
        403,
        _update(),
        {**WITH_SECRET, "Content-Type": "application/json; charset=utf-8"},
    ),
    Abuse(
        "form-encoded body",
        403,
        b"update_id=1",
        {**WITH_SECRET, "Content-Type": "application/x-www-form-urlencoded"},
    ),
    # A client still sending an oversized body sees the connection close after the 400.
    Abuse("2 MB body, no secret", 400, headers=dict(JSON), declared_length=2_000_000),
    Abuse("Content-Length over 1 MiB", 400, declared_length=MAX_BODY + 1),
    Abuse("unknown path", 404, _update(), path="/admin"),
    Abuse("the root path", 404, _update(), path="/"),
    Abuse("GET", 405, b"", method="GET"),
    Abuse("PUT", 405, _update(), method="PUT"),
    # A JSON object with the secret is from Telegram: one PTB cannot read is logged once
    # and acknowledged, since delivering it again could not help.
    Abuse("with the secret: {}, an update without an id, skipped", 200, b"{}"),
    Abuse("with the secret: [] is not an update", 400, b"[]"),
    Abuse("with the secret: a message without a date, skipped", 200, _undated()),
    Abuse("with the secret: malformed JSON", 400, b'{"update_id": 1, "message": '),
    Abuse("with the secret: invalid UTF-8", 400, b"\xff\xfe{\x00"),
    Abuse("with the secret: empty body", 400, b""),
    Abuse("with the secret: JSON nested 100,000 deep", 400, b"[" * 100_000 + b"]" * 100_000),
)


@asynccontextmanager
async def webhook_bot(
    fake: FakeBotApi, responder: Responder, limits: WebhookLimits | None = None
) -> AsyncIterator[str]:
    """Run the bot in webhook mode on 127.0.0.1; yield the local URL Telegram would call."""
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": fake.base_url,
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(free_port()),
    }
    settings = load_settings(environ, None)
    application = build_application(settings, responder, FAST)
    async with application, running_webhook(application, settings, limits) as options:
        yield f"http://127.0.0.1:{options['port']}/{options['url_path']}"


async def send(url: str, abuse: Abuse) -> int:
    """Make the abusive request and return the HTTP status it got."""
    parts = urlsplit(url)
    if abuse.declared_length is not None:
        return await _declare_only(parts.hostname or "", parts.port or 80, parts.path, abuse)
    target = url if abuse.path is None else f"{parts.scheme}://{parts.netloc}{abuse.path}"
    async with httpx.AsyncClient() as client:
        response = await client.request(
            abuse.method, target, content=abuse.body, headers=abuse.headers
        )
    return response.status_code


async def _declare_only(host: str, port: int, path: str, abuse: Abuse) -> int:
    """Send headers that announce a huge body, none of it, and read the status line."""
    reader, writer = await asyncio.open_connection(host, port)
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {abuse.declared_length}"]
    head += [f"{name}: {value}" for name, value in abuse.headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    await writer.drain()
    try:
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
        await writer.wait_closed()
    return int(status_line.split()[1])

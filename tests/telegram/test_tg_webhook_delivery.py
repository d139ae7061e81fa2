"""Webhook delivery: 200 only after handling, redeliveries answered once, connections bounded."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import tornado.web

from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.constants import SECRET
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.webhook_abuse import WITH_SECRET, webhook_bot
from bot.testing.webhook_attack import run_attack
from bot.tg.acceptor import Acceptor, CappedServer
from bot.tg.webhook import WebhookLimits

SHORT = WebhookLimits(idle_timeout=0.5, body_timeout=0.5, max_connections=6)


@pytest.fixture
async def webhook(fake: FakeBotApi, responder: Responder) -> AsyncIterator[str]:
    """Run the bot in webhook mode with short connection limits; return its local URL."""
    async with webhook_bot(fake, responder, SHORT) as url:
        yield url


def an_update(fake: FakeBotApi, user: int = 42) -> dict[str, Any]:
    """Return a well-formed update from one user, as Telegram would POST it."""
    message = fake_updates.message("what is leaky gut", chat_id=user, user_id=user)
    return {"update_id": fake.next_update_id(), "message": message}


async def post(url: str, update: dict[str, Any]) -> int:
    """POST an update with the secret, as Telegram does; return the status."""
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(url, content=json.dumps(update), headers=WITH_SECRET)
    return response.status_code


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def half_open(url: str, count: int) -> list[Connection]:
    """Open connections that start a request and never finish its headers."""
    parts = urlsplit(url)
    connections = []
    for _ in range(count):
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(f"POST {parts.path} HTTP/1.1\r\nHost: x\r\n".encode())
        connections.append((reader, writer))
    return connections


async def closed_by_server(connection: Connection, seconds: float = 20.0) -> bool:
    """Say whether the server closed the connection within `seconds`; then close our end."""
    reader, writer = connection
    try:
        return await asyncio.wait_for(reader.read(), seconds) == b""
    except (TimeoutError, ConnectionError):
        return False
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def test_an_update_is_acknowledged_only_once_its_answer_was_sent(
    fake: FakeBotApi, webhook: str
) -> None:
    """While the answer is held at the Bot API, Telegram gets no 200 (it would not resend)."""
    fake.hold("sendMessage")
    delivery = asyncio.create_task(post(webhook, an_update(fake)))
    deadline = time.monotonic() + 20
    while not fake.held():
        assert time.monotonic() < deadline, "the answer was never sent"
        await asyncio.sleep(0.01)

    acknowledged_while_held = delivery.done()
    fake.release()

    assert not acknowledged_while_held
    assert await delivery == 200
    assert len(fake.delivered_to("sendMessage")) == 1


async def test_a_redelivered_update_is_answered_once(fake: FakeBotApi, webhook: str) -> None:
    """Telegram sends the same update_id again after a timeout: 200 each time, one answer."""
    update = an_update(fake)

    statuses = [await post(webhook, update) for _ in range(3)]

    assert statuses == [200, 200, 200]
    assert len(fake.delivered_to("sendMessage")) == 1


async def test_a_redelivery_during_handling_is_asked_to_come_back_later(
    fake: FakeBotApi, webhook: str
) -> None:
    """The same update while its first delivery is being handled: 503, then 200; one answer."""
    update = an_update(fake)
    fake.hold("sendMessage")
    first = asyncio.create_task(post(webhook, update))
    deadline = time.monotonic() + 20
    while not fake.held():
        assert time.monotonic() < deadline, "the answer was never sent"
        await asyncio.sleep(0.01)

    during = await post(webhook, update)
    fake.release()

    assert (during, await first, await post(webhook, update)) == (503, 200, 200)
    assert len(fake.delivered_to("sendMessage")) == 1


async def test_connections_that_never_finish_their_headers_are_closed(
    fake: FakeBotApi, webhook: str
) -> None:
    """Half-open connections are closed after the idle timeout; the bot still answers."""
    connections = await half_open(webhook, 3)

    closed = [await closed_by_server(connection) for connection in connections]

    assert closed == [True, True, True]
    assert await post(webhook, an_update(fake)) == 200


async def test_a_body_that_stops_arriving_is_cut_off(webhook: str) -> None:
    """Headers announce 100 bytes, 10 come: the connection is closed after the body timeout."""
    parts = urlsplit(webhook)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    head = f"POST {parts.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
    writer.write((head + "Content-Type: application/json\r\n\r\n" + "{" * 10).encode())

    assert await closed_by_server((reader, writer))


async def test_past_the_connection_cap_the_oldest_idle_connections_make_room(
    fake: FakeBotApi, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    """Three times the cap of half-open connections, long before any timeout: the oldest
    are closed to make room, and Telegram's request is served."""
    caplog.set_level(logging.INFO)
    limits = WebhookLimits(idle_timeout=120, max_connections=6)
    async with webhook_bot(fake, responder, limits) as url:
        connections = await half_open(url, 3 * limits.max_connections)
        status = await post(url, an_update(fake))
        closed = [await closed_by_server(c, seconds=0.5) for c in connections]

    assert status == 200
    assert len(fake.delivered_to("sendMessage")) == 1
    assert sum(closed) >= 2 * limits.max_connections  # all but the newest, before any timeout
    cap_lines = [r for r in caplog.records if "at the cap" in r.getMessage()]
    assert len(cap_lines) == 1
    assert "Traceback" not in caplog.text


class _Exhausted:
    """A listening socket whose first `failures` accepts fail with EMFILE, as at the limit."""

    def __init__(self, sock: socket.socket, failures: int) -> None:
        self.sock, self.failures = sock, failures

    def fileno(self) -> int:
        return self.sock.fileno()

    def accept(self) -> tuple[socket.socket, Any]:
        if self.failures:
            self.failures -= 1
            raise OSError(errno.EMFILE, "Too many open files")
        return self.sock.accept()

    def close(self) -> None:
        self.sock.close()


class _Hello(tornado.web.RequestHandler):
    def get(self) -> None:
        self.write("hello")


async def test_out_of_file_descriptors_accepting_pauses_without_a_log_storm(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """EMFILE on accept: one warning, no traceback, and the connection is served after."""
    caplog.set_level(logging.DEBUG)
    listening = socket.create_server(("127.0.0.1", 0))
    listening.setblocking(False)
    exhausted = _Exhausted(listening, failures=3)
    server = CappedServer(tornado.web.Application([("/", _Hello)]))
    acceptor = Acceptor(server, [exhausted], cap=10)  # type: ignore[list-item]
    try:
        port = listening.getsockname()[1]
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.get(f"http://127.0.0.1:{port}/")
    finally:
        acceptor.close()
        await server.close_all_connections()

    assert (response.status_code, response.text) == (200, "hello")
    assert exhausted.failures == 0
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == ["webhook: out of file descriptors (EMFILE)"]
    assert not any(r.exc_info for r in caplog.records)


def test_the_cap_fits_under_the_open_files_limit() -> None:
    """Whatever is asked for, the cap leaves room for the bot's own files and connections."""
    import resource  # noqa: PLC0415

    from bot.tg.acceptor import RESERVE_FDS, connection_cap  # noqa: PLC0415

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)

    assert connection_cap(10**9) <= max(1, soft - RESERVE_FDS)
    assert connection_cap(5) == min(5, max(1, soft - RESERVE_FDS))
    assert SECRET  # the tests above post with it


def test_at_its_open_files_limit_the_webhook_keeps_serving_without_a_log_storm(
    fake: FakeBotApi,
) -> None:
    """`ulimit -n 128` and 300 connections that never finish their headers (the red-team's
    attack): Telegram's update is still answered, in a handful of log lines."""
    report = run_attack(fake, open_files=128, connections=300)

    assert report.alive
    assert report.exit_code == 0
    assert report.answered == 1
    assert "Traceback" not in report.log
    assert len(report.log.splitlines()) < 20
    assert "at the cap of 64 connections" in report.log

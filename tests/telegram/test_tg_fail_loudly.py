"""`python -m bot run` fails loudly: a rejected token at any time ends the process non-zero
with one line, a wrong server is named as such, and Ctrl-C is quiet at any moment."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.testing import fake_updates
from bot.testing.constants import SECRET, TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import free_port, start_bot
from tests.telegram.test_tg_process import post_update

EXIT_WITHIN = 30.0  # seconds from the first 401 to the process gone: the promise


@pytest.fixture
def server() -> Iterator[FakeBotApi]:
    """Run a fake Bot API for a bot in another process."""
    with FakeBotApi(TOKEN) as api:
        yield api


def stop(process: Any, seconds: float = 20.0) -> tuple[str, str]:
    """Wait for the process to end by itself; kill it if it does not."""
    try:
        stdout, stderr = process.communicate(timeout=seconds)
    finally:
        process.kill()
    return str(stdout), str(stderr)


def test_a_token_revoked_mid_run_ends_the_process_non_zero_with_one_line(
    server: FakeBotApi,
) -> None:
    """After answering, the token is revoked: exit non-zero within 30 s of the first 401."""
    process = start_bot(server.base_url)
    server.wait_for_sync("getUpdates", seconds=20)
    server.send_text("what is glutamine")
    server.wait_for_sync("sendMessage", seconds=20)
    server.revoke()
    _, stderr = stop(process, seconds=EXIT_WITHIN + 10)
    ended = time.monotonic()

    assert process.returncode not in (0, None)
    assert server.revoked_at is not None
    assert ended - server.revoked_at < EXIT_WITHIN
    [line] = [line for line in stderr.splitlines() if "rejected" in line.lower()]
    assert "CRITICAL bot.tg.serve: the Bot API rejected TELEGRAM_BOT_TOKEN" in line
    assert "Traceback" not in stderr
    assert TOKEN.split(":")[1] not in stderr


def test_a_token_revoked_in_webhook_mode_ends_the_process_at_the_next_send(
    server: FakeBotApi,
) -> None:
    """Webhook mode sees the 401 on its next Bot API call and stops the same way."""

    port = free_port()
    process = start_bot(
        server.base_url,
        WEBHOOK_URL="https://bot.example.com/tg",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
    )
    server.wait_for_sync("setWebhook", seconds=20)
    server.revoke()
    update = {"update_id": 7, "message": fake_updates.message("what is glutamine")}
    post_update(f"http://127.0.0.1:{port}/tg", update)
    _, stderr = stop(process, seconds=EXIT_WITHIN + 10)

    assert process.returncode not in (0, None)
    assert "the Bot API rejected TELEGRAM_BOT_TOKEN" in stderr
    assert "Traceback" not in stderr
    assert TOKEN.split(":")[1] not in stderr


class _NotBotApi(BaseHTTPRequestHandler):
    """A web server that is not a Bot API: an HTML 404 for everything."""

    def do_POST(self) -> None:
        body = b"<html><body><h1>404 Not Found</h1>nginx</body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        """Stay quiet."""


@pytest.fixture
def not_bot_api() -> Iterator[str]:
    """Serve HTML 404s on 127.0.0.1 and return a base URL pointing at them."""
    web = ThreadingHTTPServer(("127.0.0.1", 0), _NotBotApi)
    thread = threading.Thread(target=web.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    yield f"http://127.0.0.1:{web.server_address[1]}/bot"
    web.shutdown()
    web.server_close()


def test_a_wrong_base_url_is_named_as_not_a_bot_api_and_the_token_is_not_blamed(
    not_bot_api: str,
) -> None:
    """A non-JSON 404 (a web server, not a Bot API): one line naming the URL, no traceback."""
    process = start_bot(not_bot_api)
    _, stderr = stop(process)

    assert process.returncode == 2
    assert "TELEGRAM_BASE_URL answered 404 without JSON: it is not a Bot API server" in stderr
    assert "rejected" not in stderr
    assert "Traceback" not in stderr


def test_an_unreachable_server_is_named_as_unreachable() -> None:
    """Nothing listens at TELEGRAM_BASE_URL: 'cannot connect', not a token problem."""
    process = start_bot(f"http://127.0.0.1:{free_port()}/bot")
    _, stderr = stop(process)

    assert process.returncode == 2
    assert "cannot connect to 127.0.0.1" in stderr
    assert "refused or unreachable" in stderr
    assert "token" not in stderr.lower()
    assert "Traceback" not in stderr


def test_ctrl_c_while_connecting_exits_cleanly(server: FakeBotApi) -> None:
    """SIGINT while getMe is still unanswered: status 0, no traceback."""
    server.hold("getMe")
    process = start_bot(server.base_url)
    try:
        deadline = time.monotonic() + 20
        while server.held() == 0:
            assert time.monotonic() < deadline, "the bot never called getMe"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, stderr = stop(process)
    finally:
        server.release()

    assert process.returncode == 0
    assert "stopped while connecting" in stderr
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr


def test_ctrl_c_while_polling_exits_cleanly(server: FakeBotApi) -> None:
    """SIGINT while the bot polls: status 0, no traceback."""
    process = start_bot(server.base_url)
    server.wait_for_sync("getUpdates", seconds=20)
    process.send_signal(signal.SIGINT)
    _, stderr = stop(process)

    assert process.returncode == 0
    assert "Traceback" not in stderr

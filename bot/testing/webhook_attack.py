"""The red-team's webhook attack: a low open-files limit and hundreds of half-open connections.

`python -m bot run` in webhook mode with `ulimit -n` lowered; then connections that send
the start of a request and never finish its headers; then Telegram's update, delivered
as Telegram does (again until it gets 200). Reports whether it was answered, how the
process stopped, and what it wrote to its log.
"""

from __future__ import annotations

import json
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bot.testing import fake_updates
from bot.testing.constants import SECRET
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import free_port, start_bot
from bot.testing.restart_run import wait
from bot.testing.telegram_sender import HEADERS


@dataclass(frozen=True)
class AttackReport:
    """What the bot did under the attack."""

    open_files: int
    connections: int
    answered: int  # messages delivered for Telegram's one update
    seconds_to_answer: float
    alive: bool
    exit_code: int | None
    log: str

    def lines(self) -> list[str]:
        """Return the figures, one per line."""
        log_lines = self.log.splitlines()
        return [
            f"ulimit -n {self.open_files}, {self.connections} connections that never finish "
            f"their headers: Telegram's update answered {self.answered} time(s), "
            f"{self.seconds_to_answer:.1f} s after the attack began",
            f"still running: {self.alive}; exit code on SIGTERM: {self.exit_code}",
            f"log lines, start to stop: {len(log_lines)}; tracebacks: "
            f"{self.log.count('Traceback')}",
        ]


def run_attack(fake: FakeBotApi, open_files: int = 128, connections: int = 300) -> AttackReport:
    """Attack a webhook-mode bot, deliver one update through it, stop it; report."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg"
    with tempfile.TemporaryFile("w+") as log:
        process = start_bot(
            fake.base_url,
            log=log,
            open_files=open_files,
            WEBHOOK_URL="https://bot.example.com/tg",
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        attackers: list[socket.socket] = []
        try:
            wait(lambda: _answers_http(url), "the webhook to serve", 30)
            began = time.monotonic()
            for _ in range(connections):
                attacker = socket.create_connection(("127.0.0.1", port))
                attacker.sendall(b"POST /tg HTTP/1.1\r\nHost: x\r\n")
                attackers.append(attacker)
            update = {"update_id": fake.next_update_id(), "message": fake_updates.message("hi")}
            wait(lambda: _delivered(url, update), "a 200 for Telegram's update", 30)
            answered_after = time.monotonic() - began
            alive = process.poll() is None
            process.send_signal(signal.SIGTERM)
            exit_code = process.wait(timeout=30)
        finally:
            process.kill()
            for attacker in attackers:
                attacker.close()
        log.seek(0)
        text = log.read()
    answered = len(fake.delivered_to("sendMessage"))
    return AttackReport(open_files, connections, answered, answered_after, alive, exit_code, text)


def _answers_http(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return True


def _delivered(url: str, update: dict[str, Any]) -> bool:
    """POST as Telegram does; say whether it got 200 (Telegram would try again)."""
    try:
        response = httpx.post(url, content=json.dumps(update), headers=HEADERS, timeout=10)
    except httpx.HTTPError:
        return False
    return response.status_code == 200

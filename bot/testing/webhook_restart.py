"""The webhook restart run: stop `python -m bot run` (webhook mode) mid-burst, start it again.

A stand-in for Telegram (`TelegramSender`) delivers a burst of updates to the webhook as
Telegram does: at most `connections` requests at once, each sent again until it gets a
200 (a refused connection, a 503, a connection dropped by a dying process). Each stopped
process gets its signal once `answered_first` more answers have taken effect at the fake
Bot API; a new process starts on the same port; a last one is stopped with SIGTERM once
every update got its 200. Counted from what reached the users.
"""

from __future__ import annotations

import signal
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

import httpx

from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.constants import SECRET, TOKEN
from bot.testing.fake_bot_api import Chaos, FakeBotApi, Fault
from bot.testing.process import free_port, start_bot
from bot.testing.restart_run import LOGGED_UPDATE, wait
from bot.testing.telegram_sender import TelegramSender
from bot.testing.traffic import Ask, Tally, tally, traffic

FIRST_USER = 40_000


@dataclass(frozen=True)
class WebhookRestartPlan:
    """The size of a webhook restart run, and how each process but the last is stopped."""

    stops: tuple[signal.Signals, ...] = (signal.SIGKILL, signal.SIGTERM)
    users: int = 60
    per_user: tuple[int, ...] = (2,)
    answered_first: int = 30
    send_delay: float = 0.05  # seconds between a send taking effect and its answer
    seed: int = 13
    patience: float = 60.0


@dataclass
class WebhookRestartReport:
    """What happened across the processes."""

    signals: list[str] = field(default_factory=list)
    updates: int = 0
    in_flight_at_stop: list[int] = field(default_factory=list)  # deliveries awaiting a 200
    stop_seconds: list[float] = field(default_factory=list)
    exit_codes: list[int | None] = field(default_factory=list)
    deliveries: int = 0  # requests Telegram made in all, redeliveries included
    answers: Tally = field(default_factory=lambda: Tally(0, 0, 0, 0))
    lines_per_update: Counter[int] = field(default_factory=Counter)
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Return the figures, one per line."""
        stops = ", ".join(
            f"{name} with {held} deliveries awaiting their 200: exit after {seconds:.1f} s"
            for name, held, seconds in zip(
                self.signals, self.in_flight_at_stop, self.stop_seconds, strict=True
            )
        )
        return [
            f"updates: {self.updates}, delivered by Telegram's stand-in in "
            f"{self.deliveries} requests, over {len(self.exit_codes)} processes",
            f"stops: {stops}",
            f"all updates: {self.answers.line()}",
            "log lines per update: "
            + ", ".join(f"{n} updates x {k}" for k, n in sorted(self.lines_per_update.items())),
            f"exit codes: {self.exit_codes}",
            f"user texts or token found in the logs: {len(self.leaked)}",
            f"run time: {self.seconds:.1f} s",
        ]


def run_webhook_restarts(
    responder: Responder, plan: WebhookRestartPlan | None = None
) -> WebhookRestartReport:
    """Run the webhook restart run and return what happened."""
    plan = plan or WebhookRestartPlan()
    asks = traffic(responder, plan.users, FIRST_USER, plan.seed, plan.per_user)
    report = WebhookRestartReport(signals=[s.name for s in plan.stops], updates=len(asks))
    started, port = time.monotonic(), free_port()
    with FakeBotApi(TOKEN) as fake, tempfile.TemporaryDirectory() as logs:
        fake.inject_chaos("sendMessage", Chaos(1.0, (Fault.slow(plan.send_delay),), plan.seed))
        pushed = {fake.next_update_id(): ask for ask in asks}
        sender = TelegramSender(f"http://127.0.0.1:{port}/tg")
        texts = []
        for number, stop in enumerate((*plan.stops, None)):
            with open(f"{logs}/{number}.log", "w+") as log:  # noqa: PTH123
                process = _start(fake, port, log)
                try:
                    wait(lambda: _serving(port), "the webhook to serve", plan.patience)
                    if number == 0:
                        sender.start([_update(i, a) for i, a in pushed.items()])
                    _run_until_stop(fake, sender, process, stop, plan=plan, report=report)
                finally:
                    process.kill()
                log.seek(0)
                texts.append(log.read())
        report.deliveries = sum(sender.attempts.values())
        _count(report, fake, pushed, texts)
    report.seconds = time.monotonic() - started
    return report


def _start(fake: FakeBotApi, port: int, log: IO[str]) -> Any:
    return start_bot(
        fake.base_url,
        log=log,
        WEBHOOK_URL="https://bot.example.com/tg",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )


def _serving(port: int) -> bool:
    """Say whether the webhook answers HTTP (then its stop signals are handled too)."""
    try:
        httpx.get(f"http://127.0.0.1:{port}/tg", timeout=1)
    except httpx.HTTPError:
        return False
    return True


def _run_until_stop(
    fake: FakeBotApi,
    sender: TelegramSender,
    process: Any,
    stop: signal.Signals | None,
    *,
    plan: WebhookRestartPlan,
    report: WebhookRestartReport,
) -> None:
    """Signal the process once enough more answers took effect (the last: once all got 200)."""
    if stop is None:
        sender.join(plan.patience)
        stop = signal.SIGTERM
    else:
        goal = len(fake.delivered_to("sendMessage")) + plan.answered_first
        wait(lambda: len(fake.delivered_to("sendMessage")) >= goal, "answers", plan.patience)
        report.in_flight_at_stop.append(sender.in_flight)
    signalled = time.monotonic()
    process.send_signal(stop)
    report.exit_codes.append(process.wait(timeout=plan.patience))
    if len(report.stop_seconds) < len(plan.stops):
        report.stop_seconds.append(time.monotonic() - signalled)


def _update(update_id: int, ask: Ask) -> dict[str, Any]:
    message = fake_updates.message(ask.text, chat_id=ask.user_id, user_id=ask.user_id)
    return {"update_id": update_id, "message": message}


def _count(
    report: WebhookRestartReport, fake: FakeBotApi, pushed: dict[int, Ask], logs: list[str]
) -> None:
    lines = Counter(
        int(m[1]) for log in logs for line in log.splitlines() if (m := LOGGED_UPDATE.search(line))
    )
    report.lines_per_update = Counter(lines[update_id] for update_id in pushed)
    report.answers = tally(pushed, fake)
    secrets = [TOKEN.split(":")[1], SECRET, *(ask.text for ask in pushed.values())]
    text = "\n".join(logs)
    report.leaked = [s for s in secrets if len(s) >= 12 and s in text]

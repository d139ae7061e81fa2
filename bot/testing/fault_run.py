"""The fault run: a thousand updates from hundreds of users while the Bot API misbehaves.

The real bot (production's `build_application`, with tiny retry waits and short timeouts)
polls the fake server. One user in twenty has blocked the bot (403 on every send); of the
sends to everyone else, `send_failure_rate` fail at random, each request at most once:
429 with retry_after, 500, 502, an answer slower than the timeout, a dropped connection,
400 "can't parse entities". The updates come in nine waves; before every other wave,
getUpdates fails once: 502, 500, slower than the timeout, dropped.
`test_tg_fault_run.py` asserts the outcome; `bench/reliability.py` prints it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from bot.config import load_settings
from bot.core import Responder
from bot.testing import fake_updates
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import Chaos, FakeBotApi, Fault
from bot.testing.harness import polling
from bot.testing.traffic import Ask, Recorder, Tally, recording_logs, tally, traffic
from bot.tg.app import build_application
from bot.tg.outbox import Delivery

SEND_FAULTS = (
    Fault.too_many_requests(retry_after=0.05),  # Telegram sends whole seconds; tests wait less
    Fault.server_error(500),
    Fault.server_error(502),
    Fault.slow(3.0),  # the timeout is 1 s
    Fault.dropped(),
    Fault.cant_parse_entities(),
)
# getUpdates gives up after timeout + long poll (1 + 1 s): slow means slower than that.
POLL_FAULTS = (Fault.server_error(502), Fault.server_error(500), Fault.slow(3.5), Fault.dropped())
FIRST_USER = 10_000
# A 1 s timeout: short enough to keep the run fast, long enough that a busy machine does
# not time out sends the fake server answers at once.
SHORT_WAITS = Delivery(backoff=0.01, timeout=1.0, messages_per_second=10_000)


@dataclass(frozen=True)
class FaultPlan:
    """The size and mix of a fault run."""

    users: int = 300
    per_user: tuple[int, ...] = (3, 4)  # alternately: 1,050 updates from 300 users
    blocked_every: int = 20  # every 20th user has blocked the bot
    send_failure_rate: float = 0.19  # of the other sends: with the 403s, ~20% of attempts
    seed: int = 7
    delivery: Delivery = SHORT_WAITS
    patience: float = 60.0  # seconds to wait for a wave: a slow, noisy machine must pass


@dataclass
class FaultReport:
    """What happened in a fault run, counted from the fake server and the logs."""

    updates: int = 0
    users: int = 0
    blocked_updates: int = 0
    sends_attempted: int = 0
    send_faults: Counter[str] = field(default_factory=Counter)
    poll_faults: Counter[str] = field(default_factory=Counter)
    answerable: Tally = field(default_factory=lambda: Tally(0, 0, 0, 0))
    delivered_to_blocked: int = 0
    lines_per_update: Counter[int] = field(default_factory=Counter)  # lines -> updates
    kinds: Counter[str] = field(default_factory=Counter)
    logged: Counter[str] = field(default_factory=Counter)  # what the bot said it did
    errors_logged: int = 0
    alive_after: bool = False
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Return the figures, one per line."""
        failed = sum(self.send_faults.values())
        share = 100 * failed / max(self.sends_attempted, 1)
        answerable = self.updates - self.blocked_updates
        return [
            f"updates sent: {self.updates} from {self.users} users",
            f"sendMessage attempts: {self.sends_attempted}, failed: {failed} ({share:.1f}%): "
            + _counts(self.send_faults),
            f"getUpdates failed: {sum(self.poll_faults.values())}: " + _counts(self.poll_faults),
            f"answerable updates: {answerable}: {self.answerable.line()}",
            f"updates from users who blocked the bot: {self.blocked_updates}, logged "
            f"unreachable: {self.logged['unreachable']}, messages delivered to them: "
            f"{self.delivered_to_blocked}",
            "log lines per update: " + _counts(self.lines_per_update, "{v} updates x {k}"),
            "reply kinds logged: " + _counts(self.kinds),
            "bot's own account: " + _counts(self.logged),
            f"errors logged: {self.errors_logged}; still answering afterwards: {self.alive_after}",
            f"user texts found in the logs: {len(self.leaked)}",
            f"run time: {self.seconds:.1f} s",
        ]


async def run_faults(responder: Responder, plan: FaultPlan | None = None) -> FaultReport:
    """Run the fault run and return what happened."""
    plan = plan or FaultPlan()
    asks = traffic(responder, plan.users, FIRST_USER, plan.seed, plan.per_user)
    blocked = {FIRST_USER + n for n in range(0, plan.users, plan.blocked_every)}
    started = time.monotonic()
    with FakeBotApi(TOKEN) as fake, recording_logs() as logs:
        environ = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}
        application = build_application(load_settings(environ, None), responder, plan.delivery)
        for user_id in blocked:
            fake.block(user_id)
        fake.inject_chaos("sendMessage", Chaos(plan.send_failure_rate, SEND_FAULTS, plan.seed))
        async with polling(application, long_poll=1, call_timeout=plan.delivery.timeout):
            pushed = await _push_in_waves(fake, asks, logs, plan.patience)
            alive = await _still_answers(fake, logs, plan.patience)
            alive = alive and application.running
        report = _report(fake, pushed, blocked, logs)
    report.users, report.alive_after = plan.users, alive
    report.seconds = time.monotonic() - started
    return report


async def _push_in_waves(
    fake: FakeBotApi, asks: list[Ask], logs: Recorder, patience: float
) -> dict[int, Ask]:
    """Push the asks in waves; before every other wave, fail one getUpdates."""
    waves = 2 * len(POLL_FAULTS) + 1
    size = -(-len(asks) // waves)
    pushed: dict[int, Ask] = {}
    for wave in range(waves):
        if wave % 2:
            fake.inject("getUpdates", POLL_FAULTS[wave // 2])
        batch = {
            fake.send_text(ask.text, chat_id=ask.user_id, user_id=ask.user_id): ask
            for ask in asks[wave * size : (wave + 1) * size]
        }
        pushed |= batch
        await until_logged(logs, set(batch), patience)
    return pushed


async def until_logged(logs: Recorder, update_ids: set[int], patience: float) -> None:
    """Wait until every update has its log line; fail after `patience` seconds."""
    deadline = time.monotonic() + patience
    while missing := update_ids - logs.kinds.keys():
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(missing)} updates never logged, e.g. {min(missing)}")
        await asyncio.sleep(0.02)


async def _still_answers(fake: FakeBotApi, logs: Recorder, patience: float) -> bool:
    """Ask one more question from a new user: is it answered?"""
    probe = 99_999
    update_id = fake.push(
        {"message": fake_updates.message("what is leaky gut", chat_id=probe, user_id=probe)}
    )
    await until_logged(logs, {update_id}, patience)
    return bool(fake.delivered_to("sendMessage", chat_id=probe))


def _report(
    fake: FakeBotApi, pushed: dict[int, Ask], blocked: set[int], logs: Recorder
) -> FaultReport:
    """Count what happened: from the fake server's record and the logs."""
    served = Counter((method, fault.label) for method, fault in fake.faults_served)
    report = FaultReport(
        updates=len(pushed),
        blocked_updates=sum(ask.user_id in blocked for ask in pushed.values()),
        sends_attempted=len(fake.calls_to("sendMessage")),
        send_faults=Counter({k: n for (m, k), n in served.items() if m == "sendMessage"}),
        poll_faults=Counter({k: n for (m, k), n in served.items() if m == "getUpdates"}),
        answerable=tally({i: a for i, a in pushed.items() if a.user_id not in blocked}, fake),
        delivered_to_blocked=sum(len(fake.delivered_to(chat_id=user)) for user in blocked),
        lines_per_update=Counter(len(logs.kinds.get(i, [])) for i in pushed),
        kinds=Counter(kind for i in pushed for kind in logs.kinds.get(i, [])),
        errors_logged=len(logs.messages(logging.ERROR)),
        leaked=logs.leaked([TOKEN.split(":")[1], *(ask.text for ask in pushed.values())]),
    )
    report.logged = Counter(
        {
            "unreachable": logs.count("chat unreachable"),
            "retried, nothing had been sent": logs.count("retrying in"),
            "retried after 429": logs.count("Rate limit hit"),
            "delivery unknown, not resent": logs.count("delivery unknown"),
            "resent as plain text": logs.count("sending it as plain text"),
            "polling problems": logs.count("getUpdates failed"),
        }
    )
    return report


def _counts(counter: Counter[str] | Counter[int], shape: str = "{k} {v}") -> str:
    return ", ".join(shape.format(k=k, v=v) for k, v in sorted(counter.items())) or "none"

"""The restart run: stop `python -m bot run` mid-burst (SIGTERM or SIGKILL), start it again, count.

A backlog of updates waits at the fake server. Each send takes effect at once but is
answered `send_delay` later, so a stop lands while answers are in flight. Each stopped
process gets its signal once `answered_first` more answers have taken effect; the last
questions arrive while the first one stops; a last process answers whatever is left and
is stopped with SIGTERM. Counted from what reached the users: how many updates were
answered once, twice, or never, how long each stop took, and what each process held.
"""

from __future__ import annotations

import re
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from bot.core import Responder
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import Chaos, FakeBotApi, Fault
from bot.testing.process import start_bot
from bot.testing.traffic import Ask, Tally, received, tally, traffic

FIRST_USER = 20_000
LOGGED_UPDATE = re.compile(r" bot\.tg\.updates: update=(\d+) kind=")


@dataclass(frozen=True)
class RestartPlan:
    """The size of a restart run, and how each process but the last is stopped."""

    stops: tuple[signal.Signals, ...] = (signal.SIGTERM,)
    users: int = 100
    per_user: tuple[int, ...] = (2,)  # 9 in 10 of the questions wait before the first start
    answered_first: int = 40  # each stop comes once this many more answers took effect
    send_delay: float = 0.05  # seconds between a send taking effect and its answer
    seed: int = 11
    patience: float = 60.0  # seconds for any one wait: a slow, noisy machine must pass


@dataclass
class RestartReport:
    """What happened across the processes."""

    signals: list[str] = field(default_factory=list)
    updates: int = 0
    users: int = 0
    backlog_at_stop: list[int] = field(default_factory=list)  # waiting at the server
    held_at_stop: list[int] = field(default_factory=list)  # fetched and not yet confirmed
    stop_seconds: list[float] = field(default_factory=list)  # from the signal to the exit
    exit_codes: list[int | None] = field(default_factory=list)
    answered_by_run: list[int] = field(default_factory=list)  # update lines each one logged
    answers: Tally = field(default_factory=lambda: Tally(0, 0, 0, 0))
    lines_per_update: Counter[int] = field(default_factory=Counter)  # lines -> updates
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Return the figures, one per line."""
        stops = ", ".join(
            f"{name} with {backlog} waiting and {held} held: exit after {seconds:.1f} s"
            for name, backlog, held, seconds in zip(
                self.signals,
                self.backlog_at_stop,
                self.held_at_stop,
                self.stop_seconds,
                strict=True,
            )
        )
        per_update = Counter(self.lines_per_update)
        return [
            f"updates sent: {self.updates} from {self.users} users, over "
            f"{len(self.exit_codes)} processes",
            f"stops: {stops}",
            f"answered per process (log lines): {self.answered_by_run}",
            f"all updates: {self.answers.line()}",
            "log lines per update: "
            + ", ".join(f"{n} updates x {k}" for k, n in sorted(per_update.items())),
            f"exit codes: {self.exit_codes}",
            f"user texts or token found in the logs: {len(self.leaked)}",
            f"run time: {self.seconds:.1f} s",
        ]


def run_restarts(responder: Responder, plan: RestartPlan | None = None) -> RestartReport:
    """Run the restart run and return what happened."""
    plan = plan or RestartPlan()
    asks = traffic(responder, plan.users, FIRST_USER, plan.seed, plan.per_user)
    cut = len(asks) * 9 // 10
    report = RestartReport(updates=len(asks), users=plan.users)
    report.signals = [stop.name for stop in plan.stops]
    started = time.monotonic()
    with FakeBotApi(TOKEN) as fake, tempfile.TemporaryDirectory() as logs:
        fake.inject_chaos("sendMessage", Chaos(1.0, (Fault.slow(plan.send_delay),), plan.seed))
        pushed = _push(fake, asks[:cut])
        texts = []
        for number, stop in enumerate(plan.stops):
            with open(f"{logs}/{number}.log", "w+") as log:  # noqa: PTH123
                _stopped_run(fake, plan, stop, report, log)
                texts.append(_read(log))
            if number == 0:
                pushed |= _push(fake, asks[cut:])  # they arrived while it stopped
        with open(f"{logs}/last.log", "w+") as log:  # noqa: PTH123
            last = start_bot(fake.base_url, log=log)
            try:
                wait(lambda: _all_answered(fake, pushed), "every answer", plan.patience)
                last.send_signal(signal.SIGTERM)
                report.exit_codes.append(last.wait(timeout=plan.patience))
            finally:
                last.kill()
            texts.append(_read(log))
        _count(report, fake, pushed, texts)
    report.seconds = time.monotonic() - started
    return report


def _stopped_run(
    fake: FakeBotApi, plan: RestartPlan, stop: signal.Signals, report: RestartReport, log: IO[str]
) -> None:
    """Start a process, signal it once enough more answers took effect, time its exit."""
    goal = len(fake.delivered_to("sendMessage")) + plan.answered_first
    process = start_bot(fake.base_url, log=log)
    try:
        wait(lambda: len(fake.delivered_to("sendMessage")) >= goal, "answers", plan.patience)
        pending = fake.pending_ids()
        report.backlog_at_stop.append(len(pending))
        report.held_at_stop.append(max(0, fake.handed_out() - min(pending, default=0) + 1))
        signalled = time.monotonic()
        process.send_signal(stop)
        report.exit_codes.append(process.wait(timeout=plan.patience))
        report.stop_seconds.append(time.monotonic() - signalled)
    finally:
        process.kill()


def _push(fake: FakeBotApi, asks: list[Ask]) -> dict[int, Ask]:
    return {fake.send_text(a.text, chat_id=a.user_id, user_id=a.user_id): a for a in asks}


def wait(condition: Callable[[], object], what: str, patience: float) -> None:
    """Poll until condition holds; fail after `patience` seconds."""
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {patience} s for {what}")
        time.sleep(0.01)


def _all_answered(fake: FakeBotApi, pushed: dict[int, Ask]) -> bool:
    seen = received(fake)
    return all(seen[ask.user_id, page] for ask in pushed.values() for page in ask.pages)


def _read(log: IO[str]) -> str:
    log.seek(0)
    return log.read()


def _count(
    report: RestartReport, fake: FakeBotApi, pushed: dict[int, Ask], logs: list[str]
) -> None:
    """Count answers from the fake server, and which process logged which update."""
    by_run = [
        [int(m[1]) for line in log.splitlines() if (m := LOGGED_UPDATE.search(line))]
        for log in logs
    ]
    report.answered_by_run = [len(ids) for ids in by_run]
    lines = Counter(update_id for ids in by_run for update_id in ids)
    report.lines_per_update = Counter(lines[update_id] for update_id in pushed)
    report.answers = tally(pushed, fake)
    secrets = [TOKEN.split(":")[1], *(ask.text for ask in pushed.values())]
    text = "\n".join(logs)
    report.leaked = [s for s in secrets if len(s) >= 12 and s in text]

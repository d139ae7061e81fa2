"""The restart run: SIGTERM `python -m bot run` mid-stream, start it again, count.

The first process gets a burst of updates; the fake server holds their answers (fetched,
not yet sent) until the process has been sent SIGTERM and has confirmed its offset with
its last getUpdates. Only then are the answers let through, and more updates arrive while
it shuts down. A second process picks those up. Every update must be answered exactly
once across the two, the first process must have answered exactly the updates it
confirmed, and both must exit 0 without logging user text or the token.
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
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.process import start_bot
from bot.testing.traffic import Ask, Tally, received, tally, traffic

FIRST_USER = 20_000
LOGGED_UPDATE = re.compile(r" bot\.tg\.updates: update=(\d+) kind=")


@dataclass(frozen=True)
class RestartPlan:
    """The size of a restart run."""

    users: int = 100
    per_user: tuple[int, ...] = (2,)  # half of each user's questions before SIGTERM, half after
    in_flight: int = 10  # SIGTERM once this many answers are held at the server
    seed: int = 11
    patience: float = 60.0  # seconds for any one wait: a slow, noisy machine must pass


@dataclass
class RestartReport:
    """What happened across the two processes."""

    updates: int = 0
    users: int = 0
    exit_codes: list[int | None] = field(default_factory=list)
    in_flight_at_sigterm: int = 0
    fetched_at_sigterm: int = 0
    confirmed_by_first: int = 0  # updates below the offset the first process confirmed
    answered_by_run: list[int] = field(default_factory=list)
    first_answered_what_it_confirmed: bool = False
    answers: Tally = field(default_factory=lambda: Tally(0, 0, 0, 0))
    lines_per_update: Counter[int] = field(default_factory=Counter)  # lines -> updates
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Return the figures, one per line."""
        lines = Counter(self.lines_per_update)
        return [
            f"updates sent: {self.updates} from {self.users} users, over 2 processes",
            f"at SIGTERM: {self.fetched_at_sigterm} updates fetched, "
            f"{self.in_flight_at_sigterm} answers in flight",
            f"first process: confirmed {self.confirmed_by_first} updates on shutdown, "
            f"answered {self.answered_by_run[0]}; exactly those it confirmed: "
            f"{self.first_answered_what_it_confirmed}",
            f"second process answered: {self.answered_by_run[1]}",
            f"all updates: {self.answers.line()}",
            "log lines per update, both processes: "
            + ", ".join(f"{n} updates x {k}" for k, n in sorted(lines.items())),
            f"exit codes: {self.exit_codes}",
            f"user texts or token found in the logs: {len(self.leaked)}",
            f"run time: {self.seconds:.1f} s",
        ]


def run_restarts(responder: Responder, plan: RestartPlan | None = None) -> RestartReport:
    """Run the restart run and return what happened."""
    plan = plan or RestartPlan()
    asks = traffic(responder, plan.users, FIRST_USER, plan.seed, plan.per_user)
    early, late = asks[: len(asks) // 2], asks[len(asks) // 2 :]
    report = RestartReport(updates=len(asks), users=plan.users)
    started = time.monotonic()
    with (
        FakeBotApi(TOKEN) as fake,
        tempfile.TemporaryFile("w+") as log1,
        tempfile.TemporaryFile("w+") as log2,
    ):
        pushed = _push(fake, early)
        fake.hold("sendMessage")
        first = start_bot(fake.base_url, log=log1)
        try:
            _wait(lambda: fake.held() >= plan.in_flight, "answers in flight", plan.patience)
            report.in_flight_at_sigterm, report.fetched_at_sigterm = fake.held(), fake.handed_out()
            first.send_signal(signal.SIGTERM)
            _wait(lambda: fake.calls_to("getUpdates", timeout=0), "the last offset", plan.patience)
            fake.release()
            pushed |= _push(fake, late)  # they arrive while the first process shuts down
            report.exit_codes.append(first.wait(timeout=plan.patience))
        finally:
            fake.release()
            first.kill()
        pending = fake.pending_ids()
        report.confirmed_by_first = min(pending, default=max(pushed) + 1) - 1
        second = start_bot(fake.base_url, log=log2)
        try:
            _wait(lambda: _all_answered(fake, pushed), "every answer", plan.patience)
            second.send_signal(signal.SIGTERM)
            report.exit_codes.append(second.wait(timeout=plan.patience))
        finally:
            second.kill()
        _count(report, fake, pushed, [_read(log1), _read(log2)])
    report.seconds = time.monotonic() - started
    return report


def _push(fake: FakeBotApi, asks: list[Ask]) -> dict[int, Ask]:
    return {fake.send_text(a.text, chat_id=a.user_id, user_id=a.user_id): a for a in asks}


def _wait(condition: Callable[[], object], what: str, patience: float) -> None:
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
    confirmed = set(range(1, report.confirmed_by_first + 1))
    report.first_answered_what_it_confirmed = set(by_run[0]) == confirmed
    lines = Counter(by_run[0] + by_run[1])
    report.lines_per_update = Counter(lines[update_id] for update_id in pushed)
    report.answers = tally(pushed, fake)
    secrets = [TOKEN.split(":")[1], *(ask.text for ask in pushed.values())]
    text = "\n".join(logs)
    report.leaked = [s for s in secrets if len(s) >= 12 and s in text]

"""End to end: updates per second through real Applications and the fake Bot API server.

Each bot runs in its own child process, polling a FakeBotApi (tests/telegram) served by
threads of this process on 127.0.0.1. A burst of N updates (questions from the labelled
sets, from N/2 users never seen before) is pushed at once; the rate is N over the time from
the first push to the last reply the server received. Contenders are timed in turns.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

from bench.common import (
    BENCH,
    REPEATS,
    Finished,
    Spread,
    child_env,
    peak_rss_mib,
    wait_measured,
)
from bench.probes import TimedFakeBotApi, connections, own_cpu, process_cpu
from bot.core import Responder
from bot.tg.render import render_reply

TOKEN = "123456789:BENCH-token_0123456789abcdefghijABCDEF"  # noqa: S105 - fake, for the fake API
BURST = 300  # updates per burst, unlimited contenders
WARM_UP = 100  # one untimed burst first: connections opened, code paths warm
# Rate-limited contenders send at most 30 messages/s after a first burst of 30 (the
# limiter's bucket), so a burst of LIMITED_BURST takes about 3 s; the other contender's
# turn in between lets the bucket refill.
LIMITED_BURST = 120
LIMITED_REPEATS = 3
LIMITED_WARM_UP = 30  # the limiter's bucket: sent at once
LIMITER_REFILL = 1.1  # seconds for AIORateLimiter's bucket to fill up again
MESSAGES_PER_USER = 2  # well under the bot's flood limit (8 per 10 s): never throttled
_users = itertools.count(1_000_000)


@dataclass
class Contender:
    """One bot in a child process and its own fake server."""

    name: str
    fake: TimedFakeBotApi
    process: subprocess.Popen[bytes]
    started: float
    log: IO[bytes]
    pages: Callable[[str], int]  # messages the bot sends in reply to one question
    rates: list[float] = field(default_factory=list)
    expected: int = 0
    timed_updates: int = 0
    cpu: float = 0.0  # CPU seconds the bot process spent in timed bursts
    server_cpu: float = 0.0  # CPU seconds this process (the fake servers) spent then


def start(name: str, argv: Sequence[str], pages: Callable[[str], int]) -> Contender:
    """Start a fake server and a bot polling it."""
    fake = TimedFakeBotApi(TOKEN)
    fake.start()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the bot; closed in stop()
    env = child_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=fake.base_url, LOG_LEVEL="INFO")
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
        argv, cwd=BENCH.parent, env=env, stdout=log, stderr=log
    )
    return Contender(name, fake, process, started, log, pages)


def burst(contender: Contender, questions: Sequence[str], *, timed: bool = True) -> None:
    """Offer all questions at once; wait for every reply; note the rate."""
    fake = contender.fake
    expected = sum(contender.pages(q) for q in questions)
    first = len(fake.sent_at)
    users = [next(_users) for _ in range(0, len(questions), MESSAGES_PER_USER)]
    cpu, server_cpu = process_cpu(contender.process.pid), own_cpu()
    offered = time.perf_counter()
    for number, question in enumerate(questions):
        user = users[number // MESSAGES_PER_USER]
        fake.send_text(question, chat_id=user, user_id=user)
    deadline = time.monotonic() + 30 + len(questions) / 20
    while len(fake.sent_at) < first + expected:
        if time.monotonic() > deadline:
            got = len(fake.sent_at) - first
            raise RuntimeError(f"{contender.name}: {got} of {expected} replies in time")
        time.sleep(0.005)
    contender.expected += expected
    if timed:
        last = max(fake.sent_at[first : first + expected])
        contender.rates.append(len(questions) / (last - offered))
        contender.timed_updates += len(questions)
        contender.cpu += process_cpu(contender.process.pid) - cpu
        contender.server_cpu += own_cpu() - server_cpu


def stop(contender: Contender) -> tuple[Finished, str, int]:
    """Stop the bot with SIGTERM (graceful), then its server.

    Return its fate, a log check, and how many connections it held open to the fake server.
    """
    time.sleep(0.2)  # let a stray extra reply land before counting
    held = connections(contender.fake.port)
    peak = peak_rss_mib(contender.process.pid)
    contender.process.terminate()
    finished = wait_measured(contender.process, contender.started, seconds=15, peak=peak)
    contender.fake.stop()
    contender.log.seek(0)
    log = contender.log.read().decode(errors="replace")
    contender.log.close()
    errors = sum(" ERROR " in line or line.startswith("Traceback") for line in log.splitlines())
    extra = len(contender.fake.sent_at) - contender.expected
    note = f"exit {finished.returncode}, {errors} errors logged, {extra} unexpected replies"
    return finished, note, held


@dataclass(frozen=True, slots=True)
class E2EResult:
    """Rates in updates per second; peak RSS in MiB; one note per contender."""

    rates: dict[str, Spread]
    ratios: dict[str, Spread]
    cpu_per_update: dict[str, tuple[float, float]]  # bot process, fake servers; seconds
    connections: dict[str, int]  # TCP connections each bot held open to its server at the end
    rss: dict[str, float]
    notes: dict[str, str]


def _take(questions: Sequence[str], count: int, offset: int) -> list[str]:
    return [questions[(offset + n) % len(questions)] for n in range(count)]


def _turns(
    pair: Sequence[Contender], questions: Sequence[str], size: int, repeats: int, warm_up: int
) -> None:
    """Warm each contender up, then time them in turns on the same questions."""
    for contender in pair:
        burst(contender, _take(questions, warm_up, 0), timed=False)
    time.sleep(LIMITER_REFILL)
    for repeat in range(repeats):
        for contender in pair:
            burst(contender, _take(questions, size, warm_up + repeat * size))


def _ratio(a: Contender, b: Contender) -> Spread:
    return Spread.of([x / y for x, y in zip(a.rates, b.rates, strict=True)])


def run(questions: Sequence[str], responder: Responder) -> E2EResult:
    """Run both pairs (unlimited, then rate-limited as shipped); all bots start at once."""
    python = sys.executable
    replies = {q: len(render_reply(responder.reply(q))) for q in questions}
    one: Callable[[str], int] = lambda _: 1  # noqa: E731 - the echo bot sends one message
    contenders = [
        start("echo bot", [python, str(BENCH / "bots.py"), "echo"], one),
        start(
            "glutamine bot, limiter off",
            [python, str(BENCH / "bots.py"), "bot-unlimited"],
            replies.__getitem__,
        ),
        start("echo bot + AIORateLimiter", [python, str(BENCH / "bots.py"), "echo-limited"], one),
        start("glutamine bot as shipped", [python, "-m", "bot", "run"], replies.__getitem__),
    ]
    echo, bot, echo_limited, shipped = contenders
    fates: dict[str, tuple[Finished, str, int]] = {}
    try:
        for contender in contenders:
            contender.fake.wait_for_sync("getUpdates", seconds=60)
        _turns((echo, bot), questions, BURST, REPEATS, WARM_UP)
        _turns((echo_limited, shipped), questions, LIMITED_BURST, LIMITED_REPEATS, LIMITED_WARM_UP)
    finally:
        for contender in contenders:
            fates[contender.name] = stop(contender)
    return E2EResult(
        rates={c.name: Spread.of(c.rates) for c in contenders},
        ratios={
            "limiter off / echo": _ratio(bot, echo),
            "shipped / echo + limiter": _ratio(shipped, echo_limited),
        },
        cpu_per_update={
            c.name: (c.cpu / c.timed_updates, c.server_cpu / c.timed_updates) for c in contenders
        },
        connections={name: held for name, (_, _, held) in fates.items()},
        rss={name: fate.max_rss_mib for name, (fate, _, _) in fates.items()},
        notes={name: note for name, (_, note, _) in fates.items()},
    )

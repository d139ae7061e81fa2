"""Backpressure at full size: stops at random moments of a 20,000-update backlog, memory
through a 20,000-user burst, poison updates among a thousand, a 20 s storm of 502 pages.

Usage (from the repository root): .venv/bin/python -m bench.backpressure
`bench/reliability.py` prints these too. Every bot is `python -m bot run` (the memory
run: `bench/bots.py bot-unlimited`, the same bot without the 30 messages/s pace) against
the fake Bot API on 127.0.0.1. Takes several minutes; longer on a busy machine.
"""

from __future__ import annotations

import random
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.core import Responder, load_knowledge_base
from bot.testing.constants import TOKEN
from bot.testing.fake_bot_api import Chaos, FakeBotApi, Fault
from bot.testing.process import start_bot
from bot.testing.restart_run import wait
from bot.testing.traffic import expected_pages

BURST = 20_000
FIRST_CHAT = 100_000
QUESTION = "what is leaky gut"
POISONS = (  # as tests/telegram/test_tg_poison.py builds them, one of each kind
    lambda i: {"update_id": i, "message": {"message_id": 1, "date": "x", "chat": {"id": 1}}},
    lambda i: {"message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}}},
    lambda i: {"update_id": str(i), "message": {}},
    lambda i: [i],
)


def main() -> int:
    """Print every backpressure figure as Markdown."""
    responder = Responder(load_knowledge_base())
    for title, lines in sections(responder):
        print(f"### {title}\n")
        print("\n".join(f"- {line}" for line in lines), end="\n\n")
    return 0


def sections(responder: Responder) -> list[tuple[str, list[str]]]:
    """Run every scenario; return (title, figure lines) pairs."""
    pages = len(expected_pages(responder, QUESTION))
    return [
        ("SIGKILL at random moments of a 20,000-update backlog", stops(signal.SIGKILL, pages)),
        ("SIGTERM at random moments of a 20,000-update backlog", stops(signal.SIGTERM, pages)),
        ("Memory through a 20,000-user burst", memory(pages)),
        ("Poison updates among a thousand", poison(pages)),
        ("A 20 s storm of HTML 502 pages", storm(pages)),
    ]


def push_burst(fake: FakeBotApi, count: int, first: int = FIRST_CHAT) -> dict[int, int]:
    """Queue one question from each of `count` users; return update id -> chat."""
    return {fake.send_text(QUESTION, chat_id=c, user_id=c): c for c in range(first, first + count)}


def answers(fake: FakeBotApi) -> Counter[int]:
    """Return how many messages took effect in each chat."""
    return Counter(call.chat_id or 0 for call in fake.delivered_to("sendMessage"))


def stops(stop: signal.Signals, pages: int, runs: int = 5, seed: int = 5) -> list[str]:
    """Stop a bot working through 20,000 waiting updates after a random number of answers."""
    rng, lines = random.Random(seed), []
    for _ in range(runs):
        goal = rng.randint(1, 300)
        with FakeBotApi(TOKEN) as fake, tempfile.TemporaryFile("w+") as log:
            # Each send takes effect at once and is answered 50 ms later: stops land mid-send.
            fake.inject_chaos("sendMessage", Chaos(1.0, (Fault.slow(0.05),)))
            chats = push_burst(fake, BURST)
            process = start_bot(fake.base_url, log=log)
            try:
                wait(_delivered(fake, goal), "answers", 120)
                signalled = time.monotonic()
                process.send_signal(stop)
                process.wait(timeout=60)
                seconds = time.monotonic() - signalled
            finally:
                process.kill()
            lines.append(_stop_line(fake, chats, pages, goal, seconds))
    return lines


def _delivered(fake: FakeBotApi, count: int) -> Callable[[], bool]:
    return lambda: len(fake.delivered_to("sendMessage")) >= count


def _stop_line(
    fake: FakeBotApi, chats: dict[int, int], pages: int, after: int, seconds: float
) -> str:
    pending, seen = set(fake.pending_ids()), answers(fake)
    confirmed = [i for i in chats if i not in pending]
    lost = sum(seen[chats[i]] < pages for i in confirmed)
    again = sum(seen[chats[i]] > 0 for i in pending)
    doubled = sum(n > pages for n in seen.values())
    return (
        f"after {after} answers: exit in {seconds:.1f} s; {len(pending)} left waiting at "
        f"Telegram; confirmed {len(confirmed)}, of them not answered (lost) {lost}; answered "
        f"but not confirmed (the next start answers them again) {again}; answered twice {doubled}"
    )


def memory(pages: int) -> list[str]:
    """Measure the bot's RSS idle, through a 20,000-user burst, and after it drained."""
    with FakeBotApi(TOKEN) as fake, tempfile.TemporaryFile("w+") as log:
        process = start_bot(fake.base_url, log=log, program=("bench/bots.py", "bot-unlimited"))
        try:
            warm = push_burst(fake, 200, first=FIRST_CHAT - 1000)
            wait(lambda: _all(fake, warm, pages), "the warm-up", 120)
            time.sleep(2)
            idle = rss_mib(process.pid)
            chats, started, peak = push_burst(fake, BURST), time.monotonic(), idle
            while not _all(fake, chats, pages):
                peak = max(peak, rss_mib(process.pid))
                time.sleep(0.5)
            drained = time.monotonic() - started
            time.sleep(2)
            after = rss_mib(process.pid)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            process.kill()
    return [
        f"{BURST} users, one question each, all at once (no 30/s pace): answered in "
        f"{drained:.0f} s",
        f"RSS idle (after a 200-user warm-up) {idle:.1f} MiB, peak {peak:.1f} MiB, after the "
        f"burst {after:.1f} MiB ({100 * (after / idle - 1):+.0f}% of idle)",
    ]


def _all(fake: FakeBotApi, chats: dict[int, int], pages: int) -> bool:
    seen = answers(fake)
    return all(seen[chat] >= pages for chat in chats.values())


def rss_mib(pid: int) -> float:
    """Return a process's resident memory in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def poison(pages: int) -> list[str]:
    """1,000 questions with 10 updates PTB cannot read among them."""
    with FakeBotApi(TOKEN) as fake, tempfile.TemporaryFile("w+") as log:
        chats: dict[int, int] = {}
        for n in range(10):
            chats |= push_burst(fake, 100, first=FIRST_CHAT + 100 * n)
            fake.push_raw(POISONS[n % len(POISONS)])
        process = start_bot(fake.base_url, log=log)
        try:
            wait(lambda: _all(fake, chats, pages), "every good update answered", 300)
            wait(lambda: fake.pending_updates() == 0, "everything confirmed", 60)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            process.kill()
        log.seek(0)
        skipped = [line for line in log.read().splitlines() if " skipped: " in line]
    return [
        f"1,000 good updates and 10 that PTB cannot read: good ones answered "
        f"{sum(answers(fake)[c] >= pages for c in chats.values())}; lines about the 10: "
        f"{len(skipped)}; left unconfirmed: {fake.pending_updates()}",
        *(f"`{line.split(': ', 1)[1]}`" for line in skipped[:5]),
    ]


def storm(pages: int) -> list[str]:
    """Every getUpdates and every send answered with an nginx 502 page for 20 s."""
    marker = "okapi-7741"
    with FakeBotApi(TOKEN) as fake, tempfile.TemporaryFile("w+") as log:
        process = start_bot(fake.base_url, log=log)
        try:
            wait(lambda: fake.calls_to("getUpdates"), "polling", 60)
            fake.inject("getUpdates", Fault.proxy_page(502, marker), times=10**6)
            fake.inject("sendMessage", Fault.proxy_page(502, marker), times=10**6)
            time.sleep(20)
            failed = len(fake.calls_to("getUpdates"))
            fake.clear_faults("getUpdates")
            fake.clear_faults("sendMessage")
            chats = push_burst(fake, 100)
            wait(lambda: _all(fake, chats, pages), "answers after the storm", 120)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            process.kill()
        log.seek(0)
        text = log.read()
    lines = [line for line in text.splitlines() if " bot.tg.updates: " not in line]
    return [
        f"20 s of 502 pages: {failed} getUpdates in all; log lines from start to stop, "
        f"besides the one line per update: {len(lines)} (getUpdates failures "
        f"{sum('getUpdates failed' in x for x in lines)}); tracebacks "
        f"{text.count('Traceback')}; the page's text quoted {text.count(marker)}",
        f"then 100 questions: answered {sum(answers(fake)[c] >= pages for c in chats.values())}",
    ]


if __name__ == "__main__":
    raise SystemExit(main())

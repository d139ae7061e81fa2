"""Traffic for the long runs, and counting what reached each user.

Each user asks questions whose replies differ from each other, so the messages that reach
a chat tell its updates apart: a page seen twice is a duplicate, a page never seen is a
loss. Counting is done on what the fake server says took effect (`delivered`), never on
what the bot believes it sent.
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core import Reply, ReplyKind, Responder
from bot.core.conversation import Lean, lean
from bot.core.responder import IN_CONTEXT_MAX_WORDS
from bot.testing.fake_bot_api import Call, FakeBotApi
from bot.tg.render import plain_text, render_reply

ROOT = Path(__file__).resolve().parents[2]  # the checkout: the labelled sets are not shipped
DATA = ROOT / "tests" / "data"
TRAINING = ROOT / "content" / "training"
UPDATE_LINE = re.compile(r"^update=(\d+) kind=(\S+)")


@dataclass(frozen=True)
class Ask:
    """One question from one user, and the pages (as plain text) it must be answered with."""

    user_id: int
    text: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """How the asks were answered, counted from what reached the users."""

    exactly_once: int
    duplicated: int
    lost: int
    unexpected: int  # messages that answer no ask: apologies, "slow down"

    def line(self) -> str:
        """Return the tally as one line for the figures."""
        return (
            f"answered exactly once {self.exactly_once}, duplicated {self.duplicated}, "
            f"lost {self.lost}, other messages {self.unexpected}"
        )


def question_pool(responder: Responder) -> list[list[str]]:
    """Return the labelled questions grouped by reply: every group gets different pages.

    Only questions that stand alone: a user's earlier answer may change the reply to a
    follow-up ("what about fish?") or to a short question the bot cannot answer alone ("does
    ibs count?"), and traffic sends each user's questions in any order.
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    words = responder.kb.lexicon.follow_ups
    for path in sorted([*DATA.glob("questions_*.yaml"), *TRAINING.glob("questions_*.yaml")]):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            if lean(case["q"], words) is not Lean.NONE:
                continue
            alone = responder.reply(case["q"].strip())
            if alone.kind not in _STANDS_ALONE and len(case["q"].split()) <= IN_CONTEXT_MAX_WORDS:
                continue
            groups.setdefault(_pages(alone), []).append(case["q"])
    return list(groups.values())


# Replies no conversation changes (bot/core/responder.py, `Responder._in_context`).
_STANDS_ALONE = frozenset({ReplyKind.ANSWER, ReplyKind.SMALLTALK, ReplyKind.SAFETY})


def expected_pages(responder: Responder, text: str) -> tuple[str, ...]:
    """Return what the bot must send for a text in a private chat, as plain text pages."""
    return _pages(responder.reply(text.strip()))


def _pages(reply: Reply) -> tuple[str, ...]:
    return tuple(plain_text(page) for page in render_reply(reply))


def traffic(
    responder: Responder, users: int, first_user: int, seed: int, per_user: tuple[int, ...]
) -> list[Ask]:
    """Return asks from `users` users (user n asks per_user[n % len] questions), shuffled."""
    rng = random.Random(seed)
    pool = question_pool(responder)
    asks = []
    for n in range(users):
        for group in rng.sample(pool, per_user[n % len(per_user)]):
            text = rng.choice(group)
            asks.append(Ask(first_user + n, text, expected_pages(responder, text)))
    rng.shuffle(asks)
    return asks


def received(fake: FakeBotApi) -> Counter[tuple[int, str]]:
    """Return how many times each (chat, page as plain text) took effect."""
    return Counter((call.chat_id or 0, _words(call)) for call in fake.delivered_to("sendMessage"))


def tally(asks: dict[int, Ask], fake: FakeBotApi) -> Tally:
    """Count, per ask, whether each of its pages reached its user once, twice or never."""
    seen = received(fake)
    wanted = {(ask.user_id, page) for ask in asks.values() for page in ask.pages}
    once = duplicated = lost = 0
    for ask in asks.values():
        counts = [seen[ask.user_id, page] for page in ask.pages]
        once += all(count == 1 for count in counts)
        duplicated += any(count > 1 for count in counts)
        lost += any(count == 0 for count in counts)
    chats = {ask.user_id for ask in asks.values()}
    unexpected = sum(n for key, n in seen.items() if key[0] in chats and key not in wanted)
    return Tally(once, duplicated, lost, unexpected)


def _words(call: Call) -> str:
    return plain_text(call.text) if call.params.get("parse_mode") == "HTML" else call.text


class Recorder(logging.Handler):
    """Keep every record logged while attached; note each one-per-update line as it comes."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.kinds: dict[int, list[str]] = {}  # update id -> the kind of each line it got

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record; note it when it is an update's line."""
        self.records.append(record)
        if record.name == "bot.tg.updates" and (line := UPDATE_LINE.match(record.getMessage())):
            self.kinds.setdefault(int(line[1]), []).append(line[2])

    def messages(self, level: int = logging.DEBUG) -> list[str]:
        """Return the messages at or above level, tracebacks included."""
        texts = []
        for record in list(self.records):
            if record.levelno >= level:
                trace = record.exc_info and logging.Formatter().formatException(record.exc_info)
                texts.append(record.getMessage() + (trace or ""))
        return texts

    def count(self, fragment: str) -> int:
        """Return how many messages contain fragment."""
        return sum(fragment in message for message in self.messages())

    def leaked(self, texts: Iterable[str]) -> list[str]:
        """Return the texts (12 characters or more) that appear anywhere in the logs."""
        logged = "\n".join(self.messages())
        return [text for text in texts if len(text) >= 12 and text in logged]


@contextmanager
def recording_logs(level: int = logging.INFO) -> Iterator[Recorder]:
    """Record every logger at `level` and above for the duration."""
    root = logging.getLogger()
    recorder, saved = Recorder(), root.level
    root.addHandler(recorder)
    root.setLevel(level)
    try:
        yield recorder
    finally:
        root.removeHandler(recorder)
        root.setLevel(saved)

"""The terminal chat's feedback: y/n after an answer, "send" after a miss, /forget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.console import chat
from bot.console_feedback import SEND_HINT, VOTE_HINT
from bot.core import Responder
from bot.state.health import Health
from bot.storage.feedback import Feedback
from bot.storage.people import People
from bot.storage.store import Store, VoteCount
from bot.storage.writer import Writer


@pytest.fixture
def feedback(store: Store) -> Iterator[Feedback]:
    """Return a feedback service over the test database."""
    service = Feedback(Writer(store, Health("database", "dropped")), People(b"k" * 32), 30)
    yield service
    service.close()


def run_chat(responder: Responder, feedback: Feedback, lines: list[str]) -> list[str]:
    """Feed lines to the chat with feedback on; return what it wrote, all writes finished."""
    feed = iter(lines)

    def read(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    written: list[str] = []
    chat(responder, read=read, write=written.append, width=10_000, feedback=feedback)
    done = feedback.writer.submit(lambda _: None)
    assert done is not None
    done.result(timeout=30)
    return written


def test_an_answer_asks_if_it_helped_and_y_records_an_up_vote(
    responder: Responder, feedback: Feedback, store: Store
) -> None:
    """y after the dosage answer: one up vote on dosage."""
    written = run_chat(responder, feedback, ["how much glutamine", "y"])

    assert VOTE_HINT in written[1]
    assert "Thanks" in written[2]
    assert store.vote_counts() == [VoteCount("dosage", 1, 0)]


def test_y_or_n_with_nothing_to_rate_is_an_ordinary_message(
    responder: Responder, feedback: Feedback, store: Store
) -> None:
    """After a fallback, "n" is a question like any other; nothing is stored."""
    written = run_chat(responder, feedback, ["is glutamine vegan", "n"])

    assert "Thanks" not in written[2]
    assert store.vote_counts() == []
    assert store.misses() == []


def test_send_after_a_miss_stores_it_and_a_safety_message_offers_nothing(
    responder: Responder, feedback: Feedback, store: Store
) -> None:
    """The miss is stored once sent; after a safety reply "send" is just a word."""
    question = "I took 50 g of glutamine and my chest hurts"
    written = run_chat(responder, feedback, ["is glutamine vegan", "send", question, "send"])

    assert SEND_HINT in written[1]
    assert SEND_HINT not in written[3]
    assert [m.question for m in store.misses()] == ["is glutamine vegan"]


def test_forget_in_the_terminal_deletes_the_terminal_users_rows(
    responder: Responder, feedback: Feedback, store: Store
) -> None:
    """/forget: votes and questions gone, and the chat says so."""
    lines = ["how much glutamine", "n", "is glutamine vegan", "send", "/forget"]
    written = run_chat(responder, feedback, lines)

    assert " ".join(written[-2].split()) == "bot> " + responder.kb.texts.forgotten
    assert store.vote_counts() == []
    assert store.misses() == []

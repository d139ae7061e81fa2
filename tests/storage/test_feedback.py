"""The feedback service: consent and safety decide what is stored; writes never block."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.core import Responder
from bot.state.health import Health
from bot.storage.database import open_engine
from bot.storage.feedback import Feedback, normalised_question
from bot.storage.people import People
from bot.storage.store import Store, VoteCount
from bot.storage.writer import Writer
from bot.testing.process import free_port

TODAY = date(2026, 3, 18)
KEY = b"k" * 32


def feedback_over(store: Store, retention_days: int = 30) -> Feedback:
    """Return a feedback service writing to store, on a clock fixed at TODAY."""
    writer = Writer(store, Health("database", "votes dropped", retry_after=0))
    return Feedback(writer, People(KEY), retention_days, today=lambda: TODAY)


@pytest.fixture
def feedback(store: Store) -> Iterator[Feedback]:
    """Return a feedback service over the test database; finish its writes at the end."""
    service = feedback_over(store)
    yield service
    service.close()


def drain(feedback: Feedback) -> None:
    """Wait for the queued writes (the test reads the database next)."""
    done = feedback.writer.submit(lambda store: None)
    assert done is not None
    done.result(timeout=30)


def test_a_safety_routed_question_never_reaches_the_database(
    feedback: Feedback, store: Store, responder: Responder
) -> None:
    """Even asked to, the service refuses a message the safety rules routed."""
    question = "I took 50 g of glutamine and my chest hurts"
    reply = responder.reply(question)

    accepted = feedback.send_miss(1, question, reply)
    drain(feedback)

    assert (reply.kind, accepted) == ("safety", False)
    assert store.misses() == []


def test_an_answered_question_is_not_a_miss(
    feedback: Feedback, store: Store, responder: Responder
) -> None:
    """Only fallback and clarify replies can be sent to the authors."""
    reply = responder.reply("how much glutamine")

    assert feedback.send_miss(1, "how much glutamine", reply) is False
    drain(feedback)
    assert store.misses() == []


def test_a_consented_miss_is_stored_normalised_with_kind_and_nearest_entries(
    feedback: Feedback, store: Store, responder: Responder
) -> None:
    """Lower case, no punctuation, long numbers masked; the reply's kind and suggestions."""
    question = "Is Glutamine VEGAN?? call me 5551234567"
    reply = responder.reply(question)

    assert feedback.send_miss(1, question, reply) is True
    drain(feedback)

    [miss] = store.misses()
    assert miss.question == "is glutamine vegan call me #"
    assert miss.kind == str(reply.kind) == "fallback"
    assert miss.nearest == tuple(s.entry_id for s in reply.suggestions)
    assert miss.day == TODAY


def test_votes_are_stored_under_a_keyed_hash_of_the_user_never_the_id(
    feedback: Feedback, store: Store
) -> None:
    """The same user twice is one voter; the id itself is nowhere in the row."""
    feedback.vote(123456789, "dosage", up=True)
    feedback.vote(123456789, "dosage", up=False)
    feedback.vote(987654321, "dosage", up=False)
    drain(feedback)

    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM votes").all()
    assert store.vote_counts() == [VoteCount("dosage", 0, 2)]
    assert "123456789" not in repr(rows)


async def test_forget_deletes_the_users_votes_and_questions(
    feedback: Feedback, store: Store, responder: Responder
) -> None:
    """/forget answers only once the rows are gone."""
    feedback.vote(1, "dosage", up=True)
    feedback.send_miss(1, "is glutamine vegan", responder.reply("is glutamine vegan"))
    feedback.vote(2, "dosage", up=False)

    done = await feedback.forget(1)

    assert done is True
    assert store.vote_counts() == [VoteCount("dosage", 0, 1)]
    assert store.misses() == []


def test_expired_misses_are_deleted_at_start(store: Store) -> None:
    """Retention is enforced as soon as the bot starts, then hourly."""
    store.add_miss("p", "old", "fallback", [], TODAY - timedelta(days=8))
    store.add_miss("p", "new", "fallback", [], TODAY - timedelta(days=6))
    service = feedback_over(store, retention_days=7)

    service.start()
    deadline = time.monotonic() + 30
    while [m.question for m in store.misses()] != ["new"]:
        assert time.monotonic() < deadline, "the expired miss was never deleted"
        time.sleep(0.05)
    service.close()


def test_a_stuck_database_never_blocks_the_caller_and_the_queue_is_bounded(
    store: Store,
) -> None:
    """While the writer is stuck, votes return at once; past the limit they are dropped."""
    release = threading.Event()
    writer = Writer(store, Health("database", "dropped"), limit=3)
    feedback = Feedback(writer, People(KEY), 30, today=lambda: TODAY)
    writer.submit(lambda _: release.wait(30))

    started = time.monotonic()
    accepted = [feedback.vote(n, "dosage", up=True) for n in range(4)]
    elapsed = time.monotonic() - started
    release.set()
    feedback.close()

    assert accepted == [True, True, False, False]
    assert writer.dropped == 2
    assert elapsed < 5  # generous: the point is "not 30 s"
    assert store.vote_counts() == [VoteCount("dosage", 2, 0)]


async def test_a_database_that_is_down_loses_votes_not_replies(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing listens: votes are accepted and dropped, forget says it failed, one warning."""
    engine = open_engine(f"postgresql+psycopg://test@127.0.0.1:{free_port()}/none")
    health = Health("database", "votes and questions dropped", retry_after=0)
    feedback = Feedback(Writer(Store(engine), health), People(KEY), 30)

    with caplog.at_level(logging.WARNING):
        accepted = [feedback.vote(1, "dosage", up=True) for _ in range(3)]
        forgotten = await feedback.forget(1)
        feedback.close()

    assert (accepted, forgotten) == ([True] * 3, False)
    assert [r.getMessage() for r in caplog.records] == [
        "database unavailable (OperationalError): votes and questions dropped"
    ]


def test_the_stored_form_of_a_question_is_plain_words() -> None:
    """Normalised as the matcher reads it; digit runs of five or more become '#'."""
    assert normalised_question("  What's L-Glutamine?! Order #12345, 2.5 g ") == (
        "whats l glutamine order # 2.5 g"
    )

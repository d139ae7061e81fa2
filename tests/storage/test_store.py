"""Votes and misses in SQLite and PostgreSQL: replacing, forgetting, retention, migrations."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text

from bot.storage.database import database_url, open_engine
from bot.storage.schema import SCHEMA_VERSION, misses, schema_version, votes
from bot.storage.store import Store, VoteCount, week_of

TODAY = date(2026, 3, 18)  # a Wednesday


def test_a_second_vote_on_an_entry_replaces_the_first(store: Store) -> None:
    """One person, one opinion per entry: the latest counts."""
    store.vote("alice", "dosage", up=True, today=TODAY)
    store.vote("alice", "dosage", up=False, today=TODAY + timedelta(days=7))

    assert store.vote_counts() == [VoteCount("dosage", up=0, down=1)]


def test_votes_are_counted_per_entry_and_person(store: Store) -> None:
    """Two people up, one down on one entry; another entry apart."""
    for person, up in (("a", True), ("b", True), ("c", False)):
        store.vote(person, "dosage", up=up, today=TODAY)
    store.vote("a", "side_effects", up=False, today=TODAY)

    counts = sorted(store.vote_counts(), key=lambda c: c.entry_id)

    assert counts == [VoteCount("dosage", 2, 1), VoteCount("side_effects", 0, 1)]


def test_a_vote_keeps_only_the_week_it_was_cast_in(store: Store) -> None:
    """No finer time than the Monday of the week."""
    store.vote("a", "dosage", up=True, today=TODAY)

    with store.engine.connect() as connection:
        [week] = connection.execute(select(votes.c.week)).scalars().all()

    assert week == week_of(TODAY) == date(2026, 3, 16)


def test_the_same_question_sent_twice_is_kept_once(store: Store) -> None:
    """Pressing the button twice does not count double."""
    for _ in range(2):
        store.add_miss("a", "is glutamine vegan", "fallback", ["food_sources"], TODAY)
    store.add_miss("b", "is glutamine vegan", "fallback", ["food_sources"], TODAY)

    assert [m.question for m in store.misses()] == ["is glutamine vegan"] * 2
    assert store.misses()[0].nearest == ("food_sources",)


def test_forget_deletes_every_vote_and_question_of_that_person_only(store: Store) -> None:
    """/forget: all of alice's rows go, bob's stay."""
    store.vote("alice", "dosage", up=True, today=TODAY)
    store.vote("alice", "side_effects", up=False, today=TODAY)
    store.add_miss("alice", "is it vegan", "fallback", [], TODAY)
    store.vote("bob", "dosage", up=False, today=TODAY)
    store.add_miss("bob", "is it halal", "clarify", [], TODAY)

    gone = store.forget("alice")

    assert gone == 3
    assert store.vote_counts() == [VoteCount("dosage", 0, 1)]
    assert [m.question for m in store.misses()] == ["is it halal"]


def test_misses_past_the_retention_window_are_deleted(store: Store) -> None:
    """30 days: a question from 30 days ago goes, one from 29 days ago stays."""
    store.add_miss("a", "old question", "fallback", [], TODAY - timedelta(days=30))
    store.add_miss("a", "recent question", "fallback", [], TODAY - timedelta(days=29))

    gone = store.purge(keep_days=30, today=TODAY)

    assert gone == 1
    assert [m.question for m in store.misses()] == ["recent question"]


def test_migrating_again_changes_nothing_and_records_the_version(store: Store) -> None:
    """A restart (or a second replica) finds the schema current."""
    store.vote("a", "dosage", up=True, today=TODAY)

    found = store.migrate()

    with store.engine.connect() as connection:
        versions = connection.execute(select(schema_version.c.version)).scalars().all()
    assert (found, versions) == (SCHEMA_VERSION, [SCHEMA_VERSION])
    assert store.vote_counts() == [VoteCount("dosage", 1, 0)]


def test_a_long_question_is_cut_to_the_column_size(store: Store) -> None:
    """A 4096-character message does not fail the insert on PostgreSQL."""
    store.add_miss("a", "word " * 900, "fallback", [], TODAY)

    with store.engine.connect() as connection:
        [stored] = connection.execute(select(misses.c.question)).scalars().all()

    assert 0 < len(stored) <= misses.c.question.type.length  # type: ignore[attr-defined]


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    """`report` can read while the bot writes."""
    engine = open_engine(database_url(None, tmp_path / "state"))
    with engine.connect() as connection:
        mode = connection.execute(text("PRAGMA journal_mode")).scalar()
    engine.dispose()

    assert mode == "wal"
    assert (tmp_path / "state" / "feedback.sqlite3").exists()

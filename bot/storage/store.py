"""Reads and writes of votes and misses: plain synchronous SQLAlchemy Core, one dialect-neutral
code path for SQLite and PostgreSQL (the upsert is the only per-dialect statement).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.schema import QUESTION_CHARS, migrate, misses, votes


@dataclass(frozen=True, slots=True)
class VoteCount:
    """Up and down votes of one entry."""

    entry_id: str
    up: int
    down: int


@dataclass(frozen=True, slots=True)
class Miss:
    """One question a user sent to the authors."""

    question: str
    kind: str
    nearest: tuple[str, ...]
    day: date


def week_of(day: date) -> date:
    """Return the Monday of day's week: votes are kept with no finer time than this."""
    return day - timedelta(days=day.weekday())


class Store:
    """The feedback tables of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.migrated = False

    def migrate(self) -> int:
        """Create or upgrade the tables; return the schema version found."""
        found = migrate(self.engine)
        self.migrated = True
        return found

    def vote(self, person: str, entry_id: str, up: bool, today: date) -> None:
        """Store person's vote on entry_id, replacing an earlier one."""
        values = {"person": person, "entry_id": entry_id, "up": up, "week": week_of(today)}
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(votes).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[votes.c.person, votes.c.entry_id],
            set_={"up": statement.excluded.up, "week": statement.excluded.week},
        )
        with self.engine.begin() as connection:
            connection.execute(statement)

    def add_miss(
        self, person: str, question: str, kind: str, nearest: Sequence[str], today: date
    ) -> None:
        """Store a question person chose to send; the same question twice is kept once."""
        values = {
            "person": person,
            "question": question[:QUESTION_CHARS],
            "kind": kind,
            "nearest": " ".join(nearest)[:200],
            "day": today,
        }
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(misses).values(values).on_conflict_do_nothing()
        with self.engine.begin() as connection:
            connection.execute(statement)

    def forget(self, person: str) -> int:
        """Delete every vote and question of person; return how many rows went."""
        with self.engine.begin() as connection:
            gone = connection.execute(delete(votes).where(votes.c.person == person)).rowcount
            gone += connection.execute(delete(misses).where(misses.c.person == person)).rowcount
        return int(gone)

    def purge(self, keep_days: int, today: date) -> int:
        """Delete misses kept keep_days days or more; return how many went."""
        oldest = today - timedelta(days=keep_days)
        with self.engine.begin() as connection:
            return int(connection.execute(delete(misses).where(misses.c.day <= oldest)).rowcount)

    def vote_counts(self) -> list[VoteCount]:
        """Return up and down votes per entry that has any."""
        up = func.sum(case((votes.c.up, 1), else_=0))
        down = func.sum(case((votes.c.up, 0), else_=1))
        query = select(votes.c.entry_id, up, down).group_by(votes.c.entry_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [VoteCount(str(e), int(u), int(d)) for e, u, d in rows]

    def misses(self) -> list[Miss]:
        """Return every stored question, oldest first."""
        query = select(misses.c.question, misses.c.kind, misses.c.nearest, misses.c.day)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(misses.c.id)).all()
        return [Miss(q, k, tuple(n.split()), d) for q, k, n, d in rows]

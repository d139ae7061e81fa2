"""The tables, and the migrations that create them; a version table records how far.

Every step runs once, in order, in one transaction each. PostgreSQL replicas starting at
the same moment take an advisory lock first, so two never migrate at once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)

QUESTION_CHARS = 500  # a stored question is cut here: room enough, and a bounded row
PERSON_CHARS = 32  # hex of a truncated HMAC-SHA256 (bot/storage/people.py)
metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

# One row per person and entry: a second vote replaces the first. `week` is the Monday of
# the week of the latest vote, coarse on purpose.
votes = Table(
    "votes",
    metadata,
    Column("person", String(PERSON_CHARS), primary_key=True),
    Column("entry_id", String(64), primary_key=True),
    Column("up", Boolean, nullable=False),
    Column("week", Date, nullable=False),
)

# A question a user chose to send to the authors, normalised; `day` drives retention.
misses = Table(
    "misses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person", String(PERSON_CHARS), nullable=False, index=True),
    Column("question", String(QUESTION_CHARS), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("nearest", String(200), nullable=False),  # entry ids, best first, space-separated
    Column("day", Date, nullable=False, index=True),
    UniqueConstraint("person", "question"),
)


def _create_v1(connection: Connection) -> None:
    metadata.create_all(connection, tables=[votes, misses])


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_create_v1,)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(engine: Engine) -> int:
    """Bring the schema to SCHEMA_VERSION; return the version found before."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Released at commit; the number only has to be the same in every replica.
            connection.execute(text("SELECT pg_advisory_xact_lock(7320411)"))
        metadata.create_all(connection, tables=[schema_version])
        found = connection.execute(select(func.max(schema_version.c.version))).scalar() or 0
        for step in MIGRATIONS[found:]:
            step(connection)
        if found < SCHEMA_VERSION:
            connection.execute(schema_version.delete())
            connection.execute(schema_version.insert().values(version=SCHEMA_VERSION))
    return int(found)

"""The database engine: SQLite under the state folder by default, PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_FILE = "feedback.sqlite3"
# How long SQLite waits for another writer before giving up (ms).
SQLITE_BUSY_MS = 5000


def database_url(url: str | None, state_dir: Path) -> str:
    """Return the SQLAlchemy URL: the given one (postgresql:// uses psycopg 3) or SQLite."""
    if url is None:
        return f"sqlite:///{(state_dir / SQLITE_FILE).resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; we ship psycopg 3.
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def open_engine(url: str) -> Engine:
    """Return an engine for url; SQLite gets its folder, WAL and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # pre_ping: a database restarted under us costs one reconnect, not a failed write.
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)


def describe(url: str) -> str:
    """Return url without its password, for logs."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(connection: Any, _record: object) -> None:
    cursor = connection.cursor()
    # WAL: `report` can read while the bot writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()

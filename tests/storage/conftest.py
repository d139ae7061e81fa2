"""Fixtures: the same tests against SQLite and a real PostgreSQL, and a real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core import Responder, load_knowledge_base
from bot.storage.database import database_url, open_engine
from bot.storage.store import Store
from tests.real_servers import (  # noqa: F401 - fixtures
    PostgresServer,
    postgres_database,
    postgres_server,
    redis_server,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield database_url(None, tmp_path / "state")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with postgres_database(server, f"t_{uuid.uuid4().hex[:12]}") as url:
        yield database_url(url, tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """Return a migrated store over the database."""
    engine = open_engine(db_url)
    store = Store(engine)
    store.migrate()
    yield store
    engine.dispose()


@pytest.fixture(scope="session")
def responder() -> Responder:
    """Return the real core over the shipped content."""
    return Responder(load_knowledge_base())

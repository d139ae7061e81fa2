"""Fixtures: the same tests against SQLite and a real PostgreSQL, and a real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core import Responder, load_knowledge_base
from bot.storage.database import open_engine
from bot.storage.store import Store


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

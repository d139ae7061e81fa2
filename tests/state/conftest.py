"""Fixtures: a real Redis, and a client per test that starts from an empty database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.state.redis import connect
from tests.real_servers import RedisServer


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """Return a client of the session's Redis, emptied first."""
    client = connect(redis_server.url)
    await client.flushdb()
    yield client
    await client.aclose()

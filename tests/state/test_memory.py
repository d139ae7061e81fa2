"""Conversation memory: an entry id per chat with a time to live, in memory and in Redis."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from redis.asyncio import Redis

from bot.state.health import Health
from bot.state.memory import LocalMemory
from bot.state.redis import RedisMemory, connect, redis_health
from bot.testing.process import free_port


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_local_memory_returns_the_last_entry_until_its_time_is_up() -> None:
    """Remembered for ttl seconds, then gone."""
    clock = Clock()
    memory = LocalMemory(ttl=600, clock=clock)
    await memory.remember(7, "dosage")
    await memory.remember(7, "side_effects")

    clock.now += 599
    assert await memory.last_entry(7) == "side_effects"
    clock.now += 1
    assert await memory.last_entry(7) is None


async def test_local_memory_keeps_chats_apart_and_forgets_on_request() -> None:
    """One chat's context is not another's; forget drops it."""
    memory = LocalMemory()
    await memory.remember(1, "dosage")
    await memory.remember(2, "food_sources")

    await memory.forget(1)

    assert (await memory.last_entry(1), await memory.last_entry(2)) == (None, "food_sources")


async def test_local_memory_is_bounded_dropping_the_oldest_chats() -> None:
    """Past max_chats the least recently answered chat goes first."""
    memory = LocalMemory(max_chats=3)
    for chat in range(5):
        await memory.remember(chat, f"entry_{chat}")

    assert len(memory) == 3
    assert [await memory.last_entry(c) for c in range(5)] == [
        None,
        None,
        "entry_2",
        "entry_3",
        "entry_4",
    ]


async def test_redis_memory_is_shared_by_two_replicas(redis: Redis) -> None:
    """What one replica remembers, the other reads; forget on either drops it."""
    first = RedisMemory(redis, ttl=600, health=redis_health())
    second = RedisMemory(redis, ttl=600, health=redis_health())

    await first.remember(42, "dosage")
    seen = await second.last_entry(42)
    await second.forget(42)

    assert seen == "dosage"
    assert await first.last_entry(42) is None


async def test_redis_memory_keys_expire_after_the_ttl(redis: Redis) -> None:
    """Redis itself drops the key: nothing outlives the TTL, even if the bot dies."""
    memory = RedisMemory(redis, ttl=1, health=redis_health())
    await memory.remember(42, "dosage")
    [key] = await redis.keys("*")
    ttl_ms = await redis.pttl(key)

    deadline = time.monotonic() + 20
    while await memory.last_entry(42) is not None:
        assert time.monotonic() < deadline, "the key never expired"
        await asyncio.sleep(0.1)

    assert 0 < ttl_ms <= 1000
    assert await redis.get(key) is None


async def test_redis_memory_stores_only_the_entry_id(redis: Redis) -> None:
    """No text of a message or answer: the value is the entry id."""
    memory = RedisMemory(redis, ttl=600, health=redis_health())
    await memory.remember(42, "dosage")

    values = [await redis.get(k) for k in await redis.keys("*")]

    assert values == ["dosage"]


async def test_redis_memory_without_redis_has_no_context_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing listens: no context, no exception, one warning for many calls."""
    client = connect(f"redis://127.0.0.1:{free_port()}/0")
    health = Health("redis", "no context", retry_after=0)
    memory = RedisMemory(client, ttl=600, health=health)
    with caplog.at_level(logging.WARNING, logger="bot.state.health"):
        for _ in range(5):
            await memory.remember(1, "dosage")
            assert await memory.last_entry(1) is None
    await client.aclose()

    assert [r.getMessage() for r in caplog.records].count(
        "redis unavailable (ConnectionError): no context"
    ) == 1
    assert (health.up, health.failures) == (False, 10)

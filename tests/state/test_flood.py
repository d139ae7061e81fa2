"""Flood windows in Redis: replicas share one limit; without Redis each falls back to its own."""

from __future__ import annotations

import logging

import pytest
from redis.asyncio import Redis

from bot.state.flood import FloodGuard, LocalFlood, Verdict
from bot.state.health import Health
from bot.state.redis import RedisFlood, connect, redis_health
from bot.testing.process import free_port
from tests.real_servers import RedisServer


def replica(client: Redis, max_messages: int = 3, window: float = 600) -> RedisFlood:
    """Return the flood windows one replica would use."""
    return RedisFlood(client, FloodGuard(max_messages, window), redis_health())


async def test_messages_spread_over_two_replicas_stay_within_one_limit(redis: Redis) -> None:
    """3 allowed in the window whichever replica gets them; then one warning, then silence."""
    replicas = [replica(redis), replica(redis)]

    verdicts = [await replicas[n % 2].check(7) for n in range(6)]

    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]


async def test_each_user_has_a_window_of_their_own(redis: Redis) -> None:
    """One user's flood leaves the next user alone."""
    flood = replica(redis, max_messages=1)
    await flood.check(1)

    assert (await flood.check(1), await flood.check(2)) == (Verdict.WARN, Verdict.ALLOW)


async def test_flood_keys_expire_with_the_window(redis: Redis) -> None:
    """Every key carries a TTL no longer than the window."""
    flood = replica(redis, max_messages=1, window=30)
    await flood.check(1)
    await flood.check(1)  # the warning flag too

    ttls = [await redis.pttl(key) for key in await redis.keys("*")]

    assert len(ttls) == 2
    assert all(0 < ttl <= 30_000 for ttl in ttls)


async def test_the_local_windows_give_the_same_verdicts() -> None:
    """The default (one process) behaves as the shared one."""
    flood = LocalFlood(FloodGuard(3, 600))

    verdicts = [await flood.check(7) for _ in range(5)]

    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP]


async def test_redis_stopped_falls_back_to_local_windows_and_back_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Redis dies: the limit still holds per process, one line says so; it returns: one line."""
    with RedisServer() as server:
        client = connect(server.url)
        health = Health("redis", "per-process flood limits", retry_after=0)
        flood = RedisFlood(client, FloodGuard(2, 600), health)
        with caplog.at_level(logging.INFO, logger="bot.state.health"):
            shared = [await flood.check(7)]
            server.stop()
            local = [await flood.check(7) for _ in range(4)]
            server.start()
            back = await flood.check(8)
        await client.aclose()

    assert shared == [Verdict.ALLOW]
    assert local == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN, Verdict.DROP]
    assert back is Verdict.ALLOW
    assert [r.getMessage() for r in caplog.records] == [
        "redis unavailable (ConnectionError): per-process flood limits",
        "redis available again",
    ]


async def test_a_dead_redis_is_not_asked_again_until_the_retry_interval() -> None:
    """Down: messages are judged locally without a connection attempt each."""
    client = connect(f"redis://127.0.0.1:{free_port()}/0")
    health = Health("redis", "local", retry_after=3600)
    flood = RedisFlood(client, FloodGuard(5, 600), health)

    for _ in range(4):
        await flood.check(1)
    await client.aclose()

    assert (health.failures, health.fallbacks) == (1, 4)

"""The webhook's update ledger in Redis: two replicas answer each update once."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.state.health import Health
from bot.state.redis import connect, redis_health
from bot.testing.process import free_port
from bot.tg.ledger import Claim
from bot.tg.shared_ledger import LEASE_SECONDS, RedisLedger


async def test_an_update_claimed_by_one_replica_is_busy_then_done_for_the_other(
    redis: Redis,
) -> None:
    """A claims; B sees BUSY while A handles it and DONE once A finished."""
    first, second = RedisLedger(redis, redis_health()), RedisLedger(redis, redis_health())

    claimed = await first.claim(5)
    during = await second.claim(5)
    await first.finish(5)
    after = await second.claim(5)

    assert (claimed, during, after) == (Claim.NEW, Claim.BUSY, Claim.DONE)


async def test_a_released_claim_is_handled_by_the_next_delivery_anywhere(redis: Redis) -> None:
    """Handling cut short on A: B handles the redelivery."""
    first, second = RedisLedger(redis, redis_health()), RedisLedger(redis, redis_health())
    await first.claim(6)

    await first.release(6)

    assert await second.claim(6) is Claim.NEW


async def test_a_claim_carries_a_lease_so_a_dead_replica_does_not_block_forever(
    redis: Redis,
) -> None:
    """The claimed key expires after the lease; a finished one lasts longer."""
    ledger = RedisLedger(redis, redis_health())
    await ledger.claim(7)
    lease = await redis.ttl("gbot:update:7")
    await ledger.finish(7)

    assert 0 < lease <= LEASE_SECONDS
    assert await redis.ttl("gbot:update:7") > LEASE_SECONDS


async def test_without_redis_each_replica_still_answers_a_redelivery_once() -> None:
    """Redis unreachable: the in-memory ledger of the replica takes over."""
    client = connect(f"redis://127.0.0.1:{free_port()}/0")
    ledger = RedisLedger(client, Health("redis", "local", retry_after=0))

    claims = [await ledger.claim(8)]
    await ledger.finish(8)
    claims.append(await ledger.claim(8))
    await client.aclose()

    assert claims == [Claim.NEW, Claim.DONE]

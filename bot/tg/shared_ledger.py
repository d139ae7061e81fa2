"""The update ledger in Redis, so replicas behind one webhook answer each update once.

A claim is `claimed` with a lease (a replica killed mid-update loses its claims when the
lease ends, and the redelivery is handled); a finished update is `done` for a day. When
Redis is down each replica falls back to its own in-memory ledger: a redelivery that
reaches the same replica is still answered once (bot/state/health.py logs the change).
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot.state.health import Health
from bot.state.redis import ERRORS, PREFIX
from bot.state.setup import SharedState
from bot.tg.ledger import Claim, MemoryLedger, UpdateLedger

# Longer than any update takes to handle (timeouts are seconds), short enough that a crash
# delays a redelivery by at most this much.
LEASE_SECONDS = 60
# Telegram stops redelivering long before this.
DONE_SECONDS = 24 * 3600
_CLAIM = """
local held = redis.call('GET', KEYS[1])
if held == 'done' then return 1 end
if held then return 2 end
redis.call('SET', KEYS[1], 'claimed', 'EX', ARGV[1])
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == 'claimed' then redis.call('DEL', KEYS[1]) end
return 0
"""
_CLAIMS = {0: Claim.NEW, 1: Claim.DONE, 2: Claim.BUSY}


class RedisLedger:
    """An UpdateLedger in Redis, with an in-memory one for when Redis is down."""

    def __init__(self, client: Redis, health: Health) -> None:
        self.client = client
        self.health = health
        self.local = MemoryLedger()
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)

    async def claim(self, update_id: int) -> Claim:
        """Claim update_id for handling unless it is done or claimed (by any replica)."""
        local = await self.local.claim(update_id)
        if local is not Claim.NEW:
            return local
        keys, args = [_key(update_id)], [LEASE_SECONDS]
        code = await self.health.call(lambda: self._claim(keys=keys, args=args), None, ERRORS)
        shared = Claim.NEW if code is None else _CLAIMS[int(code)]
        if shared is not Claim.NEW:
            await self.local.release(update_id)
        return shared

    async def finish(self, update_id: int) -> None:
        """Record that update_id was handled, here and for every replica."""
        await self.local.finish(update_id)
        key = _key(update_id)
        await self.health.call(lambda: self.client.set(key, "done", ex=DONE_SECONDS), None, ERRORS)

    async def release(self, update_id: int) -> None:
        """Give up a claim, so that the next delivery (to any replica) is handled."""
        await self.local.release(update_id)
        keys = [_key(update_id)]
        await self.health.call(lambda: self._release(keys=keys, args=[]), None, ERRORS)


def update_ledger(state: SharedState) -> UpdateLedger:
    """Return the ledger for the webhook: in Redis when the shared state is, else in memory."""
    if state.client is None or state.health is None:
        return MemoryLedger()
    return RedisLedger(state.client, state.health)


def _key(update_id: int) -> str:
    return f"{PREFIX}update:{update_id}"

"""Shared state in Redis (REDIS_URL): conversation memory and flood windows for replicas.

Every key has a time to live, so nothing outlives its purpose even if the bot never comes
back. When Redis fails the bot keeps answering: memory falls back to no context and flood
windows to this process's own (bot/state/health.py says it once per change, not per message).
"""

from __future__ import annotations

import secrets

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from bot.state.flood import FloodGuard, Verdict
from bot.state.health import Health

PREFIX = "gbot:"
# A reply waits on Redis at most this long; a slow Redis is treated as a down one.
TIMEOUT_SECONDS = 0.5
ERRORS = (RedisError, OSError, TimeoutError)
# One round trip: drop stamps older than the window, then accept, warn once, or drop.
# Redis's own clock stamps the messages, so replicas whose clocks differ still agree.
_FLOOD_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  redis.call('DEL', KEYS[2])
  return 0
end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', window) then
  return 1
end
return 2
"""
_VERDICTS = {0: Verdict.ALLOW, 1: Verdict.WARN, 2: Verdict.DROP}


def connect(url: str) -> Redis:
    """Return a client for url that fails fast: short timeouts, no retries of its own."""
    client: Redis = Redis.from_url(
        url,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
        decode_responses=True,
    )
    return client


def redis_health() -> Health:
    """Return the health record the Redis stores share (one log line per change)."""
    return Health("redis", "answering without conversation context, flood limits per process")


class RedisMemory:
    """Conversation memory in Redis: one key per chat with the time to live."""

    def __init__(self, client: Redis, ttl: float, health: Health) -> None:
        self.client = client
        self.ttl_ms = max(1, round(ttl * 1000))
        self.health = health

    async def last_entry(self, chat_id: int) -> str | None:
        """Return the last answered entry of this chat; None when none, expired or down."""
        value: bytes | str | None = await self.health.call(
            lambda: self.client.get(_context_key(chat_id)), None, ERRORS
        )
        return value if isinstance(value, str) else None

    async def remember(self, chat_id: int, entry_id: str) -> None:
        """Keep entry_id for this chat for the time to live (nothing when Redis is down)."""
        key = _context_key(chat_id)
        await self.health.call(lambda: self.client.set(key, entry_id, px=self.ttl_ms), None, ERRORS)

    async def forget(self, chat_id: int) -> None:
        """Drop what is kept for this chat."""
        await self.health.call(lambda: self.client.delete(_context_key(chat_id)), None, ERRORS)


class RedisFlood:
    """Flood windows in Redis, so one user's messages spread over replicas share one limit."""

    def __init__(self, client: Redis, local: FloodGuard, health: Health) -> None:
        self.client = client
        self.local = local  # the fallback while Redis is down
        self.health = health
        self._script = client.register_script(_FLOOD_SCRIPT)
        self._window_ms = max(1, round(local.window * 1000))

    async def check(self, user_id: int) -> Verdict:
        """Return the verdict for a message from user_id arriving now."""
        keys = [f"{PREFIX}flood:{{{user_id}}}:stamps", f"{PREFIX}flood:{{{user_id}}}:warned"]
        args: list[int | str] = [self.local.max_messages, self._window_ms, secrets.token_hex(4)]
        code = await self.health.call(lambda: self._script(keys=keys, args=args), None, ERRORS)
        if code is None:
            return self.local.check(user_id, self.health.clock())
        return _VERDICTS[int(code)]


def _context_key(chat_id: int) -> str:
    return f"{PREFIX}context:{chat_id}"

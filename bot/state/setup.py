"""Build the shared state the settings ask for: in this process, or in Redis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.state.flood import FloodGuard, FloodWindows, LocalFlood
from bot.state.health import Health
from bot.state.memory import ConversationMemory, LocalMemory

if TYPE_CHECKING:
    from redis.asyncio import Redis


@dataclass
class SharedState:
    """Conversation memory and flood windows, and what to close at the end."""

    memory: ConversationMemory
    flood: FloodWindows
    health: Health | None = None  # Redis's, when Redis is used
    client: Redis | None = field(default=None, repr=False)

    async def aclose(self) -> None:
        """Close the Redis connections, if any."""
        if self.client is not None:
            await self.client.aclose()


def open_state(settings: Settings) -> SharedState:
    """Return shared state: Redis when REDIS_URL is set, else this process's memory."""
    guard = FloodGuard(settings.flood_max_messages, settings.flood_window_seconds)
    if settings.redis_url is None:
        return SharedState(LocalMemory(settings.context_ttl_seconds), LocalFlood(guard))
    from bot.state.redis import RedisFlood, RedisMemory, connect, redis_health  # noqa: PLC0415

    client, health = connect(settings.redis_url), redis_health()
    memory = RedisMemory(client, settings.context_ttl_seconds, health)
    return SharedState(memory, RedisFlood(client, guard, health), health, client)

"""Typed handler context: the core, the knowledge base and settings, without casts."""

from __future__ import annotations

from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.core.model import KnowledgeBase, Reply
from bot.state.flood import FloodWindows
from bot.state.memory import ConversationMemory
from bot.storage.feedback import Feedback
from bot.tg.health import Health
from bot.tg.ledger import UpdateLedger
from bot.tg.outbox import Outbox


class Core(Protocol):
    """What the adapter needs from the core's Responder."""

    @property
    def kb(self) -> KnowledgeBase:
        """Return the knowledge base: texts, topics, the article."""
        ...

    def reply(self, question: str, context: str | None = None) -> Reply:
        """Return the reply to a message; `context` is the chat's last answered entry."""
        ...

    def reply_to_entry(self, entry_id: str) -> Reply | None:
        """Return the answer of one entry, or None for an unknown id."""
        ...

    def candidates(self, question: str, limit: int = 5) -> tuple[Reply, ...]:
        """Return answers for inline mode, best first."""
        ...


class BotData:
    """The application's `bot_data`: bound once by `build_application`, then read-only."""

    __slots__ = (
        "core", "feedback", "flood", "health", "knowledge_base", "ledger", "memory", "outbox",
        "settings",
    )  # fmt: skip

    core: Core
    knowledge_base: KnowledgeBase
    settings: Settings
    flood: FloodWindows
    memory: ConversationMemory  # per chat: the last answered entry id
    feedback: Feedback | None  # votes and consented questions; None: FEEDBACK=false
    ledger: UpdateLedger  # webhook update ids handled: shared by replicas through Redis
    outbox: Outbox
    health: Health


class BotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler gets, with typed access to what bot_data holds."""

    @property
    def core(self) -> Core:
        """Return the core that answers questions."""
        return self.bot_data.core

    @property
    def knowledge_base(self) -> KnowledgeBase:
        """Return the knowledge base (texts, topics, article)."""
        return self.bot_data.knowledge_base

    @property
    def outbox(self) -> Outbox:
        """Return where every message the bot sends goes through."""
        return self.bot_data.outbox

    @property
    def memory(self) -> ConversationMemory:
        """Return the per-chat memory of the last answered entry (ids, never text)."""
        return self.bot_data.memory


BotApplication = Application[ExtBot[int], BotContext, dict[Any, Any], dict[Any, Any], BotData, None]

"""The pure core: content, matching and replies. Never imports `telegram`."""

from bot.core.errors import ContentError
from bot.core.loader import DEFAULT_CONTENT_DIR, load_knowledge_base
from bot.core.model import (
    Article,
    Entry,
    KnowledgeBase,
    Reply,
    ReplyKind,
    SafetyRule,
    SmallTalk,
    Suggestion,
    Texts,
    Uncovered,
)
from bot.core.responder import Responder

__all__ = [
    "DEFAULT_CONTENT_DIR",
    "Article",
    "ContentError",
    "Entry",
    "KnowledgeBase",
    "Reply",
    "ReplyKind",
    "Responder",
    "SafetyRule",
    "SmallTalk",
    "Suggestion",
    "Texts",
    "Uncovered",
    "load_knowledge_base",
]

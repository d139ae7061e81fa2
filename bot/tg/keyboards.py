"""Inline keyboards and their callback data: short, parsed defensively.

Callback data is at most 64 bytes (UTF-8). Payloads: "e:<entry id>" answers an entry,
"t:<topic index>" lists a topic's questions, "topics" lists the topics again, "none" is
"None of these". Anything else is forged or from an older version: `Unknown`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.model import KnowledgeBase, Reply, ReplyKind, Suggestion

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit
ENTRY = "e:"
TOPIC = "t:"
ALL_TOPICS = "topics"
NONE_OF_THESE = "none"
NONE_OF_THESE_LABEL = "None of these"
ALL_TOPICS_LABEL = "« All topics"


@dataclass(frozen=True, slots=True)
class ChooseEntry:
    """The user tapped a question."""

    entry_id: str


@dataclass(frozen=True, slots=True)
class ChooseTopic:
    """The user tapped a topic."""

    index: int


@dataclass(frozen=True, slots=True)
class ShowTopics:
    """The user asked for the list of topics again."""


@dataclass(frozen=True, slots=True)
class NoneOfThese:
    """None of the offered questions was the one the user meant."""


@dataclass(frozen=True, slots=True)
class Unknown:
    """A payload this version never sends: forged, or stale."""


Choice = ChooseEntry | ChooseTopic | ShowTopics | NoneOfThese | Unknown


def parse_callback(data: object) -> Choice:
    """Return what a callback payload asks for; never raise."""
    if not isinstance(data, str):
        return Unknown()
    if data == NONE_OF_THESE:
        return NoneOfThese()
    if data == ALL_TOPICS:
        return ShowTopics()
    if data.startswith(ENTRY) and len(data) > len(ENTRY):
        return ChooseEntry(data.removeprefix(ENTRY))
    index = data.removeprefix(TOPIC)
    if data.startswith(TOPIC) and index.isascii() and index.isdigit() and len(index) < 4:
        return ChooseTopic(int(index))
    return Unknown()


def fits(data: str) -> bool:
    """Say whether callback data is within Telegram's 64-byte limit."""
    return 0 < len(data.encode()) <= CALLBACK_DATA_LIMIT


def entry_buttons(suggestions: Sequence[Suggestion]) -> list[list[InlineKeyboardButton]]:
    """Return one row per suggested question; ids too long for a payload are left out."""
    rows = []
    for suggestion in suggestions:
        data = ENTRY + suggestion.entry_id
        if fits(data):
            rows.append([InlineKeyboardButton(suggestion.title, callback_data=data)])
    return rows


def reply_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Return the buttons under a reply: candidates, follow-ups or what the bot can answer."""
    rows = entry_buttons(reply.suggestions)
    if reply.kind is ReplyKind.CLARIFY:
        rows.append([InlineKeyboardButton(NONE_OF_THESE_LABEL, callback_data=NONE_OF_THESE)])
    return InlineKeyboardMarkup(rows) if rows else None


def topics_keyboard(knowledge_base: KnowledgeBase) -> InlineKeyboardMarkup:
    """Return one button per topic."""
    rows = [
        [InlineKeyboardButton(title, callback_data=f"{TOPIC}{index}")]
        for index, (title, _) in enumerate(knowledge_base.topics)
    ]
    return InlineKeyboardMarkup(rows)


def topic_keyboard(knowledge_base: KnowledgeBase, index: int) -> InlineKeyboardMarkup | None:
    """Return the questions of one topic, and a way back; None for an unknown topic."""
    if not 0 <= index < len(knowledge_base.topics):
        return None
    _, entry_ids = knowledge_base.topics[index]
    entries = (knowledge_base.entry(entry_id) for entry_id in entry_ids)
    suggestions = [Suggestion(entry.id, entry.title) for entry in entries if entry is not None]
    back = [InlineKeyboardButton(ALL_TOPICS_LABEL, callback_data=ALL_TOPICS)]
    return InlineKeyboardMarkup([*entry_buttons(suggestions), back])


def topic_title(knowledge_base: KnowledgeBase, index: int) -> str:
    """Return a topic's title ('' for an unknown index)."""
    in_range = 0 <= index < len(knowledge_base.topics)
    return knowledge_base.topics[index][0] if in_range else ""

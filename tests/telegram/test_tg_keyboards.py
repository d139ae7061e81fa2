"""Keyboards: callback data within 64 bytes, and payloads parsed defensively."""

from __future__ import annotations

import pytest

from bot.core import Reply, ReplyKind, Responder, Suggestion
from bot.tg.keyboards import (
    ChooseEntry,
    ChooseTopic,
    NoneOfThese,
    ShowTopics,
    Unknown,
    entry_buttons,
    parse_callback,
    reply_keyboard,
    topic_keyboard,
    topics_keyboard,
)


def test_every_entry_fits_in_callback_data_and_round_trips(responder: Responder) -> None:
    """Every entry can be a button, and its payload parses back to the entry."""
    suggestions = [Suggestion(entry.id, entry.title) for entry in responder.kb.entries]

    rows = entry_buttons(suggestions)

    assert len(rows) == len(suggestions)
    for [button], entry in zip(rows, responder.kb.entries, strict=True):
        assert isinstance(button.callback_data, str)
        assert len(button.callback_data.encode()) <= 64
        assert ChooseEntry(entry.id) == parse_callback(button.callback_data)


def test_an_entry_id_too_long_for_a_payload_gets_no_button() -> None:
    """Telegram would reject the whole message; the button is left out instead."""
    assert entry_buttons([Suggestion("x" * 63, "Too long")]) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("e:dosage", ChooseEntry("dosage")),
        ("t:0", ChooseTopic(0)),
        ("t:12", ChooseTopic(12)),
        ("topics", ShowTopics()),
        ("none", NoneOfThese()),
        ("e:", Unknown()),
        ("t:", Unknown()),
        ("t:-1", Unknown()),
        ("t:1e3", Unknown()),
        ("t:٣", Unknown()),  # an Arabic-Indic digit: isdigit() but not ASCII
        ("t:99999999", Unknown()),
        ("", Unknown()),
        (None, Unknown()),
        (b"e:dosage", Unknown()),
        ("E:dosage", Unknown()),
    ],
)
def test_parse_callback_reads_only_what_this_bot_sends(data: object, expected: object) -> None:
    """Anything else is Unknown, never an exception."""
    assert expected == parse_callback(data)


def test_a_clarify_keyboard_ends_with_none_of_these() -> None:
    """Candidates first, then the way out."""
    reply = Reply(ReplyKind.CLARIFY, "Did you mean:", suggestions=(Suggestion("a", "A?"),))

    keyboard = reply_keyboard(reply)

    assert keyboard is not None
    assert [(row[0].text, row[0].callback_data) for row in keyboard.inline_keyboard] == [
        ("A?", "e:a"),
        ("None of these", "none"),
    ]


def test_a_reply_without_suggestions_has_no_keyboard() -> None:
    """No empty keyboards."""
    assert reply_keyboard(Reply(ReplyKind.SAFETY, "Call 112.")) is None


def test_topic_keyboards_cover_every_topic_and_refuse_unknown_ones(responder: Responder) -> None:
    """One button per topic; each topic lists its entries and a way back."""
    kb = responder.kb
    assert len(topics_keyboard(kb).inline_keyboard) == len(kb.topics)
    for index, (_, entry_ids) in enumerate(kb.topics):
        keyboard = topic_keyboard(kb, index)
        assert keyboard is not None
        assert len(keyboard.inline_keyboard) == len(entry_ids) + 1
    assert topic_keyboard(kb, len(kb.topics)) is None

"""The terminal chat: the same core as Telegram, with numbered suggestions."""

from __future__ import annotations

from collections.abc import Iterator

from bot.console import chat, render_plain
from bot.core import Responder


def run_chat(responder: Responder, lines: list[str]) -> list[str]:
    """Feed lines to the chat and return everything it wrote."""
    feed: Iterator[str] = iter(lines)
    written: list[str] = []

    def read(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    chat(responder, read=read, write=written.append)
    return written


def test_the_chat_answers_like_the_core(responder: Responder) -> None:
    """A question gets the core's answer text, disclaimer included."""
    written = run_chat(responder, ["how much glutamine should i take", "/quit"])
    assert responder.reply("how much glutamine should i take").body in written[1]
    assert "Food and Drug Administration" in written[1]


def test_a_number_picks_a_suggestion_of_the_last_reply(responder: Responder) -> None:
    """Typing 1 after an answer answers its first related question."""
    first = responder.reply("dosage")
    written = run_chat(responder, ["dosage", "1"])
    picked = responder.reply_to_entry(first.suggestions[0].entry_id)
    assert picked is not None
    assert picked.body in written[2]


def test_help_and_topics_are_commands(responder: Responder) -> None:
    """/help shows the help text; /topics lists every entry title."""
    written = run_chat(responder, ["/help", "/topics"])
    assert responder.kb.texts.help in written[1]
    assert all(entry.title in written[2] for entry in responder.kb.entries)


def test_end_of_input_ends_the_chat_quietly(responder: Responder) -> None:
    """Ctrl-D leaves without a traceback."""
    assert run_chat(responder, [])[-1] == ""


def test_a_digit_python_cannot_read_as_a_number_is_a_question_not_a_pick(
    responder: Responder,
) -> None:
    """After a reply with suggestions, a superscript or dingbat digit is asked, not picked."""
    written = run_chat(responder, ["dosage", "\u00b2", "\u2790"])

    assert written[2] == f"bot> {render_plain(responder.reply(chr(0xB2)))}\n"
    assert written[3] == f"bot> {render_plain(responder.reply(chr(0x2790)))}\n"

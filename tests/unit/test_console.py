"""The terminal chat: the same core as Telegram, commands, numbered picks, wrapping, goodbyes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.console import COMMANDS, GOODBYES, chat, render_plain
from bot.core import Responder
from bot.tg.commands import COMMANDS as TELEGRAM_COMMANDS

WIDE = 10_000  # no wrapping: the tests below that are not about wrapping read whole lines


def run_chat(responder: Responder, lines: list[str], width: int | None = WIDE) -> list[str]:
    """Feed lines to the chat and return everything it wrote."""
    feed: Iterator[str] = iter(lines)
    written: list[str] = []

    def read(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    chat(responder, read=read, write=written.append, width=width)
    return written


def words(text: str) -> str:
    """Return the text with every run of whitespace (line breaks, indents) as one space."""
    return " ".join(text.split())


def said(reply_text: str) -> str:
    """Return what the chat shows for a text, as words."""
    return words(f"bot> {reply_text}")


def test_the_chat_answers_like_the_core(responder: Responder) -> None:
    """A question gets the core's answer text, disclaimer included."""
    written = run_chat(responder, ["how much glutamine should i take", "/quit"])
    assert words(responder.reply("how much glutamine should i take").body) in words(written[1])
    assert "Food and Drug Administration" in written[1]


def test_a_number_picks_a_suggestion_of_the_last_reply(responder: Responder) -> None:
    """Typing 1 after an answer answers its first related question."""
    first = responder.reply("dosage")
    written = run_chat(responder, ["dosage", "1"])
    picked = responder.reply_to_entry(first.suggestions[0].entry_id)
    assert picked is not None
    assert words(picked.body) in words(written[2])


def test_a_number_out_of_range_says_which_numbers_there_are(responder: Responder) -> None:
    """After a reply with two suggestions, 9 is not asked as a question: it gets the range."""
    count = len(responder.reply("dosage").suggestions)
    written = run_chat(responder, ["dosage", "9"])

    assert f"1 to {count}" in written[2]


def test_help_lists_the_help_text_and_every_command(responder: Responder) -> None:
    """/help shows the help text, then each command with what it does."""
    written = run_chat(responder, ["/help"])

    assert words(responder.kb.texts.help) in words(written[1])
    assert all(f"/{name} - {what}" in written[1] for name, what in COMMANDS)


def test_every_telegram_command_works_in_the_chat(responder: Responder) -> None:
    """The console offers each command of the Telegram menu; none is asked as a question."""
    names = {command.name for command in TELEGRAM_COMMANDS}
    written = run_chat(responder, [f"/{name}" for name in sorted(names)])

    assert names <= {name for name, _ in COMMANDS}
    assert not any("There is no" in text for text in written[1:])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/privacy", lambda kb: kb.texts.privacy),
        ("/disclaimer", lambda kb: kb.texts.disclaimer),
        ("/about", lambda kb: f"{kb.article.title} by {kb.article.author}"),
        ("/start", lambda kb: kb.texts.welcome),
        ("/ABOUT", lambda kb: kb.article.publisher),
    ],
)
def test_the_pages_are_commands_not_questions(responder: Responder, command, expected) -> None:
    """/privacy, /disclaimer, /about and /start show their page (any case)."""
    written = run_chat(responder, [command])

    assert words(expected(responder.kb)) in words(written[1])


def test_an_unknown_command_names_itself_and_lists_the_commands(responder: Responder) -> None:
    """/nope is not asked as a question: the chat says so and lists what there is."""
    written = run_chat(responder, ["/nope"])

    assert "/nope" in written[1]
    assert all(f"/{name}" in written[1] for name, _ in COMMANDS)


def test_topics_numbers_every_entry_and_a_number_reads_it(responder: Responder) -> None:
    """/topics lists each entry title with a number; typing the number answers that entry."""
    last = responder.kb.entries[-1]
    [listing] = run_chat(responder, ["/topics"])[1:2]
    numbers = dict(re.findall(r"^\s*(\d+)\. (.+)$", listing, re.MULTILINE))
    by_title = {title: number for number, title in numbers.items()}

    written = run_chat(responder, ["/topics", by_title[last.title]])

    assert sorted(by_title) == sorted(entry.title for entry in responder.kb.entries)
    assert sorted(map(int, numbers)) == list(range(1, len(numbers) + 1))
    picked = responder.reply_to_entry(last.id)
    assert picked is not None
    assert words(picked.body) in words(written[2])


@pytest.mark.parametrize("word", ["bye", "Goodbye!", "quit", "EXIT", "/quit", "  bye bye. "])
def test_a_goodbye_word_ends_the_chat(responder: Responder, word: str) -> None:
    """After a goodbye word nothing more is read: the next question is never answered."""
    written = run_chat(responder, [word, "how much glutamine should i take"])

    assert word.strip().lower().rstrip(" .!") in GOODBYES
    assert not any("2.5 g" in text for text in written)


def test_bye_gets_the_contents_goodbye(responder: Responder) -> None:
    """The chat's last words are the small-talk goodbye the content has for "bye"."""
    written = run_chat(responder, ["bye"])

    assert said(render_plain(responder.reply("bye"))) == words(written[-1])


def test_end_of_input_ends_the_chat_quietly(responder: Responder) -> None:
    """Ctrl-D leaves without a traceback."""
    assert run_chat(responder, [])[-1] == ""


def test_ctrl_c_ends_the_chat_quietly(responder: Responder) -> None:
    """Ctrl-C at the prompt leaves like Ctrl-D."""
    written: list[str] = []

    def interrupt(prompt: str) -> str:
        raise KeyboardInterrupt

    chat(responder, read=interrupt, write=written.append)
    assert written[-1] == ""


def test_an_empty_line_is_not_a_question(responder: Responder) -> None:
    """Pressing Enter alone shows nothing; the next question is answered as usual."""
    written = run_chat(responder, ["", "   ", "what is leaky gut"])

    assert len(written) == 3  # welcome, one answer, the goodbye of end of input


@pytest.mark.parametrize("width", [40, 63, 100])
def test_replies_wrap_to_the_width_without_breaking_words(responder: Responder, width: int) -> None:
    """Every line fits the width, and the words read exactly as unwrapped."""
    question = "how much glutamine should i take"
    [wrapped] = run_chat(responder, [question], width)[1:2]
    [whole] = run_chat(responder, [question])[1:2]

    assert max(map(len, wrapped.splitlines())) <= width
    assert wrapped.split() == whole.split()


def test_the_width_follows_the_terminal(
    responder: Responder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a width, the terminal's (COLUMNS here) is used."""
    monkeypatch.setenv("COLUMNS", "50")

    [wrapped] = run_chat(responder, ["what is leaky gut"], width=None)[1:2]

    assert max(map(len, wrapped.splitlines())) <= 50
    assert max(map(len, wrapped.splitlines())) > 40  # lines are filled, not cut short


def test_wrapped_list_items_hang_under_their_own_text(responder: Responder) -> None:
    """A numbered title too long for the line continues under the title, not the number."""
    [listing] = run_chat(responder, ["/topics"], width=30)[1:2]
    lines = listing.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^\s+\d+\. ", line)]
    continued = [i for i in starts if i + 1 < len(lines) and re.match(r"^\s+[^\d\s]", lines[i + 1])]

    assert continued, "no title was long enough to wrap at 30 columns"
    for i in continued:
        title_column = re.match(r"^\s+\d+\. ", lines[i]).end()  # type: ignore[union-attr]
        assert len(lines[i + 1]) - len(lines[i + 1].lstrip()) == title_column


def test_a_digit_python_cannot_read_as_a_number_is_a_question_not_a_pick(
    responder: Responder,
) -> None:
    """After a reply with suggestions, a superscript or dingbat digit is asked, not picked."""
    written = run_chat(responder, ["dosage", "\u00b2", "\u2790"])

    assert words(written[2]) == said(render_plain(responder.reply(chr(0xB2))))
    assert words(written[3]) == said(render_plain(responder.reply(chr(0x2790))))

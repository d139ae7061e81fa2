"""Rendering: replies as Telegram HTML, escaped, and split within 4096 characters."""

from __future__ import annotations

import pytest

from bot.core import Reply, ReplyKind, Responder
from bot.testing.html_checks import assert_valid_html, plain_text, utf16_length
from bot.tg.render import Block, pack, render_reply, render_single, split_block

NASTY = "<b>bold?</b> & <a href='x'>link</a> \"quotes\" 'single' &amp; <"


def long_reply(paragraphs: int = 30, words: int = 60) -> Reply:
    """Return an answer of many paragraphs, each full of characters that need escaping."""
    paragraph = " ".join(f"word{n}&<{n}>" for n in range(words))
    body = "\n\n".join(f"{p}: {paragraph}" for p in range(paragraphs))
    return Reply(ReplyKind.ANSWER, body, "dosage", sources=(NASTY,), disclaimer="Not advice.")


def test_everything_dynamic_is_escaped() -> None:
    """User or content text with HTML in it is shown as text, never as markup."""
    reply = Reply(ReplyKind.ANSWER, NASTY, "x", sources=(NASTY,), disclaimer=NASTY)

    [page] = render_reply(reply)

    assert_valid_html(page)
    assert plain_text(page).count(NASTY) == 3


def test_every_real_reply_renders_as_valid_html(responder: Responder) -> None:
    """Each entry's answer, as the bot shows it, is valid HTML within the limit."""
    for entry in responder.kb.entries:
        reply = responder.reply_to_entry(entry.id)
        assert reply is not None
        for page in render_reply(reply):
            assert_valid_html(page)
            assert utf16_length(page) <= 4096


def test_a_long_reply_is_split_on_paragraph_boundaries() -> None:
    """Each message holds whole paragraphs, in order, nothing lost."""
    reply = long_reply()

    pages = render_reply(reply)

    assert len(pages) > 1
    for page in pages:
        assert utf16_length(page) <= 4096
        assert_valid_html(page)
    shown = "\n\n".join(plain_text(page) for page in pages)
    assert shown.startswith(reply.body)
    assert shown.endswith("Not advice.")


def test_a_paragraph_longer_than_a_message_is_cut_at_a_word_and_re_wrapped() -> None:
    """A single huge quote becomes several <blockquote>s, each whole and within the limit."""
    text = " ".join(f"sentence{n} & more." for n in range(1500))

    pieces = split_block(Block(text, "quote"))

    assert len(pieces) > 1
    assert " ".join(piece.text for piece in pieces) == text
    for piece in pieces:
        html = piece.html()
        assert html.startswith("<blockquote>")
        assert html.endswith("</blockquote>")
        assert utf16_length(html) <= 4096


@pytest.mark.parametrize("text", ["&" * 5000, "x" * 9000, "🙂" * 3000, "<" * 4100])
def test_text_without_any_boundary_is_cut_hard_but_never_inside_an_escape(text: str) -> None:
    """No spaces at all: cut anywhere, but escapes and surrogate pairs stay whole."""
    pages = pack([Block(text, "bold")])

    for page in pages:
        assert utf16_length(page) <= 4096
        assert_valid_html(page)
    assert "".join(plain_text(page) for page in pages) == text


def test_a_small_limit_packs_blocks_into_several_messages() -> None:
    """Blocks are kept whole when they fit, joined by a blank line."""
    blocks = [Block("one"), Block("two", "italic"), Block("three")]

    assert pack(blocks, limit=16) == ["one\n\n<i>two</i>", "three"]


def test_an_inline_result_is_one_message_with_the_disclaimer_even_when_long() -> None:
    """Inline mode can share one message only: shortened, with the disclaimer kept."""
    message = render_single(long_reply())

    assert utf16_length(message) <= 4096
    assert_valid_html(message)
    assert message.endswith("<i>Not advice.</i>")
    assert "…" in message


def test_a_blank_reply_still_renders_a_message() -> None:
    """No empty messages (Telegram rejects them) and no silence: a blank reply is "…"."""
    reply = Reply(ReplyKind.ANSWER, "\u2028 \x1f", "x", disclaimer=" ")

    assert (render_reply(reply), render_single(reply)) == (["…"], "…")

"""Properties of rendering (hypothesis): every message is valid HTML within 4096 characters."""

from __future__ import annotations

from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Reply, ReplyKind, Responder, Suggestion, load_knowledge_base
from bot.testing.html_checks import assert_valid_html, plain_text, utf16_length
from bot.tg.keyboards import CALLBACK_DATA_LIMIT, reply_keyboard
from bot.tg.render import MESSAGE_LIMIT, render_reply, render_single
from tests.strategies import questions

RESPONDER = Responder(load_knowledge_base())  # hypothesis wants no function-scoped fixtures
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# What a reply's own text may hold (content, never user text): any character Telegram carries.
SURROGATES: Literal["Cs"] = "Cs"  # not encodable: Telegram never carries them
CONTENT_TEXT = st.text(st.characters(exclude_categories=(SURROGATES,)), max_size=6000)


def assert_sendable(pages: list[str]) -> None:
    """Fail unless every page is non-empty, valid Telegram HTML and within the limit."""
    assert pages
    for page in pages:
        assert page.strip()
        assert_valid_html(page)
        assert utf16_length(page) <= MESSAGE_LIMIT


@PROPERTY
@given(question=questions(RESPONDER, surrogates=False))
def test_the_reply_to_any_question_renders_as_valid_html_within_the_limit(question: str) -> None:
    """Pages, the inline version and the buttons of any reply all fit Telegram's limits."""
    reply = RESPONDER.reply(question)

    pages = render_reply(reply)

    assert_sendable(pages)
    assert_sendable([render_single(reply)])
    keyboard = reply_keyboard(reply)
    for row in keyboard.inline_keyboard if keyboard else ():
        for button in row:
            assert len(str(button.callback_data).encode()) <= CALLBACK_DATA_LIMIT
    if reply.kind in {ReplyKind.ANSWER, ReplyKind.SAFETY}:
        shown = " ".join(plain_text("\n".join(pages)).split())
        assert " ".join(reply.disclaimer.split()) in shown


@PROPERTY
@given(
    body=CONTENT_TEXT,
    sources=st.lists(CONTENT_TEXT, max_size=3),
    disclaimer=CONTENT_TEXT,
    titles=st.lists(st.text(max_size=300), max_size=4),
)
def test_any_reply_text_renders_as_valid_html_within_the_limit(
    body: str, sources: list[str], disclaimer: str, titles: list[str]
) -> None:
    """However long or full of <, > and & the text, every page is balanced HTML that fits."""
    suggestions = tuple(Suggestion(f"id{n}", title) for n, title in enumerate(titles))
    reply = Reply(
        ReplyKind.ANSWER,
        body or ".",
        "x",
        sources=tuple(sources),
        disclaimer=disclaimer,
        suggestions=suggestions,
        suggestions_heading="Related questions:",
    )

    pages = render_reply(reply)

    assert_sendable(pages)
    assert_sendable([render_single(reply)])

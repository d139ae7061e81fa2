"""Checks on what the bot sends: HTML Telegram accepts, text as the user reads it."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

TELEGRAM_TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in TELEGRAM_TAGS, f"Telegram does not support <{tag}>"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> does not close <{self.open[-1]}>"
        self.open.pop()


def assert_valid_html(text: str) -> None:
    """Fail unless text is HTML Telegram accepts: known tags, balanced, & escaped."""
    assert _ENTITY.search(text) is None, "a bare & that is not an entity"
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.open == [], f"tags left open: {checker.open}"


def plain_text(page: str) -> str:
    """Return a message's HTML as the user reads it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def utf16_length(text: str) -> int:
    """Return the length Telegram counts."""
    return len(text.encode("utf-16-le")) // 2

"""Plain-text layout for the terminal chat: numbered lists and wrapping to a width."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from bot.core import Article

SPEAKER = "bot> "
# Narrower than this, a hanging indent leaves no room for words.
MIN_WIDTH = 20
# A list item's marker ("3. ", "- ", "• ", "/help - "): wrapped lines hang under its text.
_ITEM = re.compile(r"(?:\d+\.|[-•]|/\w+ -)\s+")


def numbered(titles: Iterable[str], start: int = 1) -> list[str]:
    """Return the titles as a numbered list, numbers right-aligned so the titles line up."""
    titles = list(titles)
    digits = len(str(start + len(titles) - 1))
    return [f"  {n:>{digits}}. {title}" for n, title in enumerate(titles, start)]


def command_list(commands: Iterable[tuple[str, str]]) -> str:
    """Return the commands as /help lists them."""
    return "\n".join(["Commands:", *(f"  /{name} - {what}" for name, what in commands)])


def about(article: Article) -> str:
    """Return the article's citation, as /about gives it."""
    return (
        f"My answers come from one article:\n\n{article.title}\n"
        f"by {article.author}, {article.publisher}, {article.year}"
    )


def wrap(text: str, width: int) -> str:
    """Wrap each line to width, never inside a word; later lines hang under the first's text.

    The first line starts with the speaker ("bot> "); every other line is indented as far,
    so the reply reads as one block beside it. List items hang under their own text.
    """
    width = max(width, MIN_WIDTH)
    margin = " " * len(SPEAKER)
    lines = []
    for number, line in enumerate(text.split("\n")):
        body = line.lstrip()
        if not body:
            lines.append("")
            continue
        if number == 0:  # it starts with the speaker
            lead, hang = "", margin
        else:
            lead = margin + line[: len(line) - len(body)]
            marker = _ITEM.match(body)
            hang = lead + " " * (marker.end() if marker else 0)
        lines.append(_fill(body, width, lead, hang))
    return "\n".join(lines)


def _fill(body: str, width: int, first: str, rest: str) -> str:
    return textwrap.fill(
        body,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,  # a word longer than the line overflows rather than splits
        break_on_hyphens=False,
    )

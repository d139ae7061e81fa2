"""Turn replies and texts into Telegram HTML messages, escaped and split to fit.

A message is built from blocks (paragraphs), each closed within itself, so a message
can end after any block without leaving a tag open. A block too long for one message
is cut on a line, sentence or word boundary and each piece is wrapped again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.core.model import Article, KnowledgeBase, Reply, ReplyKind
from bot.tg.commands import COMMANDS, Command
from bot.tg.keyboards import topic_title

# Telegram's limit is 4096 characters after entity parsing; measuring the HTML source
# (tags and escapes included, in UTF-16 units as Telegram counts) can only over-count.
MESSAGE_LIMIT = 4096
SEPARATOR = "\n\n"
ELLIPSIS = "…"
# Every "<" in a rendered message opens a tag: text is escaped, so tags are all there is.
_TAG = re.compile(r"<[^>]*>")
# Cut a long block at the last boundary in the second half of the room; otherwise hard.
_BOUNDARIES = ("\n", ". ", "! ", "? ", "; ", ", ", " ")
_TAGS = {
    "plain": ("", ""),
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "quote": ("<blockquote>", "</blockquote>"),
}


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of plain text and how it is shown."""

    text: str
    style: str = "plain"

    def html(self) -> str:
        """Return the block as HTML with everything dynamic escaped."""
        body = html.escape(self.text, quote=False)
        opening, closing = _TAGS[self.style]
        return f"{opening}{body}{closing}"


def size(text: str) -> int:
    """Return the length of text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def paragraphs(text: str, style: str = "plain") -> list[Block]:
    """Return one block per blank-line separated paragraph of text."""
    return [Block(part.strip(), style) for part in text.split("\n\n") if part.strip()]


def reply_blocks(reply: Reply, *, with_sources: bool = True) -> list[Block]:
    """Return the blocks of a reply: body, the article's words, disclaimer, button heading."""
    style = "bold" if reply.kind is ReplyKind.SAFETY else "plain"
    # The loader never lets a blank answer through; a message must never be empty all the same.
    blocks = paragraphs(reply.body, style) or [Block(ELLIPSIS, style)]
    if with_sources and reply.sources:
        blocks.append(Block("From the article:", "italic"))
        blocks.append(Block("\n".join(reply.sources), "quote"))
    blocks += paragraphs(reply.disclaimer, "italic")
    if reply.suggestions and reply.suggestions_heading:
        blocks.append(Block(reply.suggestions_heading, "bold"))  # right above the buttons
    return blocks


def render_reply(reply: Reply, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return a reply as one or more HTML messages."""
    return pack(reply_blocks(reply), limit)


def render_single(reply: Reply, limit: int = MESSAGE_LIMIT) -> str:
    """Return a reply as exactly one message (for inline results), shortened if need be."""
    tail = [block.html() for block in paragraphs(reply.disclaimer, "italic")]
    room = limit - sum(size(SEPARATOR) + size(part) for part in tail)
    body = reply_blocks(replace(reply, disclaimer="", suggestions=()), with_sources=False)
    messages = pack(body, room)
    head = messages[0] if len(messages) == 1 else _shortened(body[0], room)
    return SEPARATOR.join(part for part in (head, *tail) if part)


def plain_text(page: str) -> str:
    """Return a rendered message as the words it shows, to send without a parse mode."""
    return html.unescape(_TAG.sub("", page))


def render_page(*parts: Block | str) -> list[str]:
    """Return texts (strings are split into plain paragraphs) as HTML messages."""
    blocks: list[Block] = []
    for part in parts:
        blocks.extend(paragraphs(part) if isinstance(part, str) else [part])
    return pack(blocks)


def help_blocks(commands: Sequence[Command]) -> list[Block]:
    """Return the command list as shown in /help."""
    lines = [f"/{command.name} - {command.description}" for command in commands]
    return [Block("Commands:", "bold"), Block("\n".join(lines))]


def about_blocks(article: Article) -> list[Block]:
    """Return the article's citation: linked title, author, publisher, year."""
    return [
        Block("My answers come from one article:"),
        Block(article.title, "bold"),
        Block(f"by {article.author}, {article.publisher}, {article.year}", "italic"),
    ]


def pack(blocks: Iterable[Block], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks into as few messages as fit; never split inside a tag."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in split_block(block, limit):
            rendered = piece.html()
            if current and size(current) + size(SEPARATOR) + size(rendered) <= limit:
                current += SEPARATOR + rendered
            else:
                if current:
                    messages.append(current)
                current = rendered
    return [*messages, current] if current else messages


def split_block(block: Block, limit: int = MESSAGE_LIMIT) -> list[Block]:
    """Return the block in pieces that each render within limit."""
    pieces: list[Block] = []
    rest = block.text
    while rest:
        if size(replace(block, text=rest).html()) <= limit:
            pieces.append(replace(block, text=rest))
            break
        cut = _cut_point(rest, _fitting_prefix(block, rest, limit))
        if head := rest[:cut].rstrip():
            pieces.append(replace(block, text=head))
        rest = rest[cut:].lstrip()
    return pieces


def _fitting_prefix(block: Block, text: str, limit: int) -> int:
    """Return the largest n such that text[:n] in this block renders within limit."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if size(replace(block, text=text[:middle]).html()) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _cut_point(text: str, room: int) -> int:
    """Return where to cut text so the head fits in room: a boundary if one is near."""
    for boundary in _BOUNDARIES:
        position = text.rfind(boundary, 0, room)
        if position >= room // 2:
            return position + len(boundary)
    return room


def _shortened(block: Block, room: int) -> str:
    """Return the first piece of a block that fits in room, ending with an ellipsis."""
    piece = split_block(block, room - size(ELLIPSIS))[0]
    return replace(piece, text=piece.text + ELLIPSIS).html()


TOPICS_PROMPT = "Pick a topic:"


def welcome_page(knowledge_base: KnowledgeBase) -> list[str]:
    """Return /start: the welcome (what the bot answers) and the disclaimer."""
    texts = knowledge_base.texts
    return render_page(texts.welcome, *paragraphs(texts.disclaimer, "italic"))


def help_page(knowledge_base: KnowledgeBase) -> list[str]:
    """Return /help: how to ask, then every command."""
    return render_page(knowledge_base.texts.help, *help_blocks(COMMANDS))


def about_page(knowledge_base: KnowledgeBase) -> list[str]:
    """Return /about: the article the answers come from."""
    return render_page(*about_blocks(knowledge_base.article))


def disclaimer_page(knowledge_base: KnowledgeBase) -> list[str]:
    """Return /disclaimer."""
    return render_page(knowledge_base.texts.disclaimer)


def privacy_page(knowledge_base: KnowledgeBase) -> list[str]:
    """Return /privacy: what the bot keeps."""
    return render_page(knowledge_base.texts.privacy)


def not_text_page(knowledge_base: KnowledgeBase) -> list[str]:
    """Return the reply to stickers, photos, voice and the like."""
    return render_page(knowledge_base.texts.not_text)


def topic_page(knowledge_base: KnowledgeBase, index: int) -> str:
    """Return the heading above one topic's questions."""
    return Block(topic_title(knowledge_base, index) or TOPICS_PROMPT, "bold").html()

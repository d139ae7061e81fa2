"""A terminal chat over the same core the Telegram bot uses."""

from __future__ import annotations

from collections.abc import Callable

from bot.core import Reply, ReplyKind, Responder

PROMPT = "you> "
QUIT = frozenset({"/quit", "/exit", "quit", "exit"})


def render_plain(reply: Reply) -> str:
    """Render a reply for the terminal, numbering suggestions so they can be picked."""
    parts = [reply.body]
    if reply.suggestions:
        lines = [reply.suggestions_heading] if reply.suggestions_heading else []
        lines += [f"  {n}. {s.title}" for n, s in enumerate(reply.suggestions, 1)]
        parts.append("\n".join(lines))
    if reply.disclaimer:
        parts.append(reply.disclaimer)
    return "\n\n".join(parts)


def chat(
    responder: Responder,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    """Chat until /quit or end of input; a number picks a suggestion of the last reply."""
    texts = responder.kb.texts
    write(f"{texts.welcome}\n\nType /help for help, /topics to browse, /quit to leave.")
    last: Reply | None = None
    while True:
        try:
            line = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        if line.lower() in QUIT:
            return
        reply = _pick(responder, last, line) or _command(responder, line) or responder.reply(line)
        write(f"bot> {render_plain(reply)}\n")
        last = reply


def _pick(responder: Responder, last: Reply | None, line: str) -> Reply | None:
    # isascii: "²" and "➐" pass isdigit() but int() rejects them.
    if last is None or not (line.isascii() and line.isdigit()):
        return None
    if not 1 <= int(line) <= len(last.suggestions):
        return None
    return responder.reply_to_entry(last.suggestions[int(line) - 1].entry_id)


def _command(responder: Responder, line: str) -> Reply | None:
    texts = responder.kb.texts
    if line == "/help":
        return Reply(ReplyKind.SMALLTALK, texts.help)
    if line == "/topics":
        lines = []
        for title, ids in responder.kb.topics:
            entries = (responder.kb.entry(i) for i in ids)
            lines.append(title + ":\n" + "\n".join(f"  - {e.title}" for e in entries if e))
        return Reply(ReplyKind.SMALLTALK, "\n".join(lines))
    return None

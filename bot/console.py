"""A terminal chat over the same core the Telegram bot uses.

The Telegram commands that make sense in a terminal, numbered picks (after an answer or
/topics, a number reads that question's answer), replies wrapped to the terminal's width,
and goodbye words, Ctrl-D or Ctrl-C to leave. `enable_line_editing` gives the prompt
readline's editing and in-memory history when a person is typing.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass

from bot.console_feedback import TerminalFeedback
from bot.console_text import SPEAKER, about, command_list, numbered, wrap
from bot.core import Reply, ReplyKind, Responder
from bot.storage.feedback import Feedback

PROMPT = "you> "
# Typed alone (any case, trailing punctuation ignored), these end the chat.
GOODBYES = frozenset({"bye", "goodbye", "good bye", "bye bye", "quit", "exit", "/quit", "/exit"})
# The Telegram commands that make sense here (all of them), and /quit; /help lists them.
COMMANDS = (
    ("start", "Welcome, and what I can answer"),
    ("help", "How to ask, and the list of commands"),
    ("topics", "Every question I can answer, numbered: type a number to read one"),
    ("about", "The article my answers come from"),
    ("disclaimer", "Why my answers are not medical advice"),
    ("privacy", "What I keep about you, and for how long"),
    ("forget", "Delete my votes and the questions I sent"),
    ("quit", "Leave (so do bye, goodbye, exit and Ctrl-D)"),
)
HINT = "Type /help for help, /topics to browse, bye to leave."


def render_plain(reply: Reply) -> str:
    """Render a reply for the terminal, numbering suggestions so they can be picked."""
    parts = [reply.body]
    if reply.suggestions:
        titles = [s.title for s in reply.suggestions]
        heading = [reply.suggestions_heading] if reply.suggestions_heading else []
        parts.append("\n".join([*heading, *numbered(titles)]))
    if reply.disclaimer:
        parts.append(reply.disclaimer)
    return "\n\n".join(parts)


@dataclass
class Session:
    """One chat: the core, and the entries the last thing shown numbered for picking."""

    responder: Responder
    choices: tuple[str, ...] = ()
    feedback: TerminalFeedback | None = None  # None: no votes, nothing sent (the default)
    privacy: str | None = None  # the /privacy text with the settings' figures
    last_entry: str | None = None  # the conversation's last answer (its id, never text)

    def respond(self, question: str) -> Reply:
        """Ask the core: the one place a typed question becomes a reply."""
        reply = self.responder.reply(question, self.last_entry)
        self.last_entry = reply.remember or self.last_entry
        return reply

    def handle(self, line: str) -> str:
        """Return what the bot says to one line: a pick, a command, or the core's reply."""
        if self.feedback is not None and (done := self.feedback.take(line)) is not None:
            return done
        if (picked := self._pick(line)) is not None:
            return picked
        if line.startswith("/"):
            return self._command(line.split(maxsplit=1)[0].lower())
        return self.show(self.respond(line), line)

    def farewell(self, line: str) -> str | None:
        """Return the content's goodbye for a goodbye word, if it has one."""
        reply = self.respond(line)
        return render_plain(reply) if reply.kind is ReplyKind.SMALLTALK else None

    def show(self, reply: Reply, question: str | None = None) -> str:
        """Render a reply; its suggestions become the numbers to pick from."""
        self.choices = tuple(s.entry_id for s in reply.suggestions)
        hint = self.feedback.offer(reply, question) if self.feedback is not None else ""
        return "\n\n".join(part for part in (render_plain(reply), hint) if part)

    def _pick(self, line: str) -> str | None:
        # isascii: "²" and "➐" pass isdigit() but int() rejects them.
        if not self.choices or not (line.isascii() and line.isdigit()):
            return None
        if not 1 <= int(line) <= len(self.choices):
            return f"Pick a number from 1 to {len(self.choices)}, or ask a question."
        reply = self.responder.reply_to_entry(self.choices[int(line) - 1])
        if reply is None:
            return None
        self.last_entry = reply.remember or self.last_entry
        return self.show(reply)

    def _command(self, name: str) -> str:
        kb = self.responder.kb
        self.choices = ()
        pages: dict[str, Callable[[], str]] = {
            "/start": lambda: f"{kb.texts.welcome}\n\n{kb.texts.disclaimer}\n\n{HINT}",
            "/help": lambda: f"{kb.texts.help}\n\n{command_list(COMMANDS)}",
            "/topics": self._topics,
            "/about": lambda: about(kb.article),
            "/disclaimer": lambda: kb.texts.disclaimer,
            "/privacy": lambda: self.privacy or kb.texts.privacy,
            "/forget": self._forget,
        }
        if name in pages:
            return pages[name]()
        return f"There is no {name} command.\n\n{command_list(COMMANDS)}"

    def _forget(self) -> str:
        texts = self.responder.kb.texts
        done = self.feedback is None or self.feedback.forget()
        return texts.forgotten if done else texts.forget_failed

    def _topics(self) -> str:
        kb = self.responder.kb
        sections: list[str] = []
        ids: list[str] = []
        for title, entry_ids in kb.topics:
            entries = [e for e in map(kb.entry, entry_ids) if e is not None]
            lines = numbered([e.title for e in entries], start=len(ids) + 1)
            sections.append("\n".join([title, *lines]))
            ids += [e.id for e in entries]
        self.choices = tuple(ids)
        return "\n\n".join(["Type a number to read its answer.", *sections])


def is_goodbye(line: str) -> bool:
    """Say whether a line is a goodbye word, whatever its case and final punctuation."""
    return " ".join(line.lower().rstrip(" .!").split()) in GOODBYES


def chat(
    responder: Responder,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    width: int | None = None,
    *,
    feedback: Feedback | None = None,
    privacy: str | None = None,
) -> None:
    """Chat until a goodbye word or end of input; width defaults to the terminal's."""
    session = Session(responder, privacy=privacy)
    if feedback is not None:
        session.feedback = TerminalFeedback(feedback)

    def say(text: str) -> None:
        columns = width or shutil.get_terminal_size().columns
        write(wrap(SPEAKER + text, columns) + "\n")

    say(f"{responder.kb.texts.welcome}\n\n{HINT}")
    while True:
        try:
            line = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            write("")
            return
        if is_goodbye(line):
            if (goodbye := session.farewell(line)) is not None:
                say(goodbye)
            return
        if line:
            say(session.handle(line))


def enable_line_editing() -> None:
    """Give input() line editing and history when a person types at a terminal."""
    if not sys.stdin.isatty():
        return
    try:
        # Importing readline is what hooks it into input(). The history stays in memory
        # and is never written to a file: what people type here is health data.
        import readline  # noqa: F401, PLC0415
    except ImportError:  # Python built without it (Windows): plain input still works
        return

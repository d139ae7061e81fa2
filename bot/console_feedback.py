"""Feedback in the terminal chat: "helpful? y/n" after an answer, "send" after a miss.

The terminal user is one person (id 0 in the keyed hash). The last question is held in
this process only until the next line, the way it stays on the screen; it is stored only
when the user types "send". `ask` has none of this.
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass

from bot.core import Reply, ReplyKind
from bot.storage.feedback import MISS_KINDS, Feedback
from bot.storage.writer import StorageDownError

TERMINAL_USER = 0
VOTE_HINT = "Helpful? Type y or n."
SEND_HINT = 'Type "send" to send this question to the authors (only then is it kept).'
YES, NO, SEND = frozenset({"y", "yes"}), frozenset({"n", "no"}), "send"
THANKS = "Thanks for the feedback."
SENT = "Sent to the authors, thank you. /forget deletes it."
WAIT_SECONDS = 10.0


@dataclass
class TerminalFeedback:
    """What the last reply offers: a vote on its entry, or sending its question."""

    feedback: Feedback
    entry_id: str | None = None
    question: str | None = None
    reply: Reply | None = None

    def offer(self, reply: Reply, question: str | None) -> str:
        """Remember what the reply offers; return the hint to show under it ('' if none)."""
        self.entry_id, self.question, self.reply = None, None, None
        if reply.kind is ReplyKind.ANSWER and reply.entry_id:
            self.entry_id = reply.entry_id
            return VOTE_HINT
        if reply.kind in MISS_KINDS and question:
            self.question, self.reply = question, reply
            return SEND_HINT
        return ""

    def take(self, line: str) -> str | None:
        """Act on y, n or send if the last reply offered it; None: the line is a question."""
        word = line.strip().lower()
        if self.entry_id is not None and word in YES | NO:
            self.feedback.vote(TERMINAL_USER, self.entry_id, up=word in YES)
            self.entry_id = None
            return THANKS
        if self.question is not None and self.reply is not None and word == SEND:
            self.feedback.send_miss(TERMINAL_USER, self.question, self.reply)
            self.question, self.reply = None, None
            return SENT
        return None

    def forget(self) -> bool:
        """Delete the terminal user's votes and questions; say whether it is done."""
        self.question, self.reply, self.entry_id = None, None, None
        future = self.feedback.writer.submit(lambda store: store.forget(self.person))
        if future is None:
            return False
        try:
            future.result(timeout=WAIT_SECONDS)
        except (StorageDownError, concurrent.futures.TimeoutError):
            return False
        return True

    @property
    def person(self) -> str:
        """Return the keyed hash that stands for the terminal user."""
        return self.feedback.people.of(TERMINAL_USER)

"""Build the core's `Reply` values from what the decision found."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.matcher import ENTRY, Candidate
from bot.core.model import Entry, KnowledgeBase, Language, Reason, Reply, ReplyKind, Suggestion
from bot.core.safety import SafetyDecision

# A clarify or fallback list offers at most this many entries.
CLARIFY_LIMIT = 3


class Replies:
    """Turn entries, rules and candidates into replies, with the right texts and disclaimer."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._entries = {e.id: e for e in kb.entries}
        self._uncovered = {u.id: u for u in kb.uncovered}

    def safety(self, decision: SafetyDecision) -> Reply:
        """Return the guidance of a safety rule, before anything else."""
        rule = decision.rule
        return Reply(
            ReplyKind.SAFETY,
            rule.reply,
            rule=rule.id,
            disclaimer=self.kb.texts.safety_note,
            reason=decision.reason,
        )

    def answer(self, entry: Entry, score: float, reason: Reason) -> Reply:
        """Return an entry's answer with its sources, follow-ups and the disclaimer."""
        return Reply(
            ReplyKind.ANSWER,
            entry.answer,
            entry_id=entry.id,
            score=score,
            suggestions=tuple(self.suggestion(i) for i in entry.follow_ups),
            suggestions_heading="Related questions:",
            sources=entry.sources,
            disclaimer=self.kb.texts.disclaimer,
            reason=reason,
            entries=(entry.id,),
        )

    def combined(self, parts: Sequence[Reply]) -> Reply:
        """Return one reply answering every part of a multi-part question, one disclaimer."""
        ids = tuple(dict.fromkeys(i for part in parts for i in part.entries))
        follow = [s for part in parts for s in part.suggestions if s.entry_id not in ids]
        return Reply(
            ReplyKind.ANSWER,
            "\n\n".join(dict.fromkeys(part.body for part in parts)),
            entry_id=ids[0],
            score=min(part.score for part in parts),
            suggestions=tuple(dict.fromkeys(follow))[:CLARIFY_LIMIT],
            suggestions_heading="Related questions:",
            sources=tuple(dict.fromkeys(s for part in parts for s in part.sources)),
            disclaimer=self.kb.texts.disclaimer,
            reason=Reason.MULTI_PART,
            entries=ids,
        )

    def not_english(self, language: Language) -> Reply:
        """Say, in the message's language too, that the bot reads English only."""
        english = self.kb.texts.not_english
        body = f"{language.notice}\n\n{english}" if language.notice else english
        return Reply(ReplyKind.FALLBACK, body, rule=language.code, reason=Reason.OTHER_LANGUAGE)

    def not_covered(self, best: Candidate) -> Reply:
        """Say honestly that the article does not answer this near-topic question."""
        uncovered = self._uncovered[best.id]
        return Reply(
            ReplyKind.FALLBACK,
            uncovered.reply,
            score=best.score,
            suggestions=tuple(self.suggestion(i) for i in uncovered.suggest),
            suggestions_heading=self.kb.texts.can_answer,
            rule=uncovered.id,
            reason=Reason.NOT_COVERED,
        )

    def clarify(self, options: Sequence[Candidate], score: float) -> Reply:
        """Ask "did you mean" with the closest entries."""
        return Reply(
            ReplyKind.CLARIFY,
            self.kb.texts.clarify,
            score=score,
            suggestions=tuple(self.suggestion(c.id) for c in options[:CLARIFY_LIMIT]),
            reason=Reason.AMBIGUOUS,
        )

    def other_subject(self, subject: str, ranked: Sequence[Candidate]) -> Reply:
        """Say the article says nothing about the subject the question shares a word with."""
        body = self.kb.texts.other_subject.format(subject=subject.replace("_", " "))
        return self.fallback(body, ranked, Reason.OTHER_SUBJECT)

    def fallback(self, body: str, ranked: Sequence[Candidate], reason: Reason) -> Reply:
        """Say the bot cannot answer, offering the nearest entries (or the defaults)."""
        near = [c.id for c in ranked if c.kind == ENTRY][:CLARIFY_LIMIT] or list(
            self.kb.default_suggestions
        )
        return Reply(
            ReplyKind.FALLBACK,
            body,
            score=ranked[0].score if ranked else 0.0,
            suggestions=tuple(self.suggestion(i) for i in near),
            suggestions_heading=self.kb.texts.can_answer,
            reason=reason,
        )

    def suggestion(self, entry_id: str) -> Suggestion:
        """Return the button for one entry."""
        return Suggestion(entry_id, self._entries[entry_id].title)

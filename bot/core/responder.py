"""The one function from a question to a reply, shared by Telegram, the console and `ask`."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.analysis import Analysis, Analyzer
from bot.core.language import LanguageDetector
from bot.core.matcher import ENTRY, UNCOVERED, Candidate, Matcher, Weights, significant_unknown
from bot.core.model import Entry, KnowledgeBase, Language, Reason, Reply, ReplyKind, Suggestion
from bot.core.safety import SafetyCheck, SafetyDecision
from bot.core.smalltalk import SmallTalkMatcher
from bot.core.text import normalize

# Thresholds on the matcher's 0..1 score, chosen with bench/tune.py on
# content/training/questions_tune.yaml (figures in docs/matching.md).
#
# answer_min: below this the bot never answers outright.
# answer_min_unknown: the bar when the question has a word the content does not know (it
#   may be the real subject: "can I give glutamine to my dog").
# min_evidence_unknown: with such a word, the matched phrasing must also share at least this
#   many specific concepts with the question: "does it help keep the lining strong" (help,
#   lining, strong) is still answered, "can I give glutamine to my dog" (glutamine) is not.
# answer_margin: the best entry must beat the next one by this much, or the bot asks
#   "did you mean".
# focus_rescue_below: a last sentence that only names the topic ("what is it?") replaces
#   the whole message when the whole matches an entry less well than this.
# clarify_min: below answer_min but at least this, ask "did you mean" with the top entries;
#   lower, say honestly that the article does not cover it.


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to answer, when to ask "did you mean", when to say "I don't know"."""

    answer_min: float = 0.6
    answer_min_unknown: float = 0.6
    min_evidence_unknown: int = 1
    answer_margin: float = 0.01
    focus_rescue_below: float = 0.7
    clarify_min: float = 0.4


# A clarify list offers at most this many entries, each within CLARIFY_SPREAD of the best.
CLARIFY_LIMIT = 3
CLARIFY_SPREAD = 0.2


class Responder:
    """Answer questions from one knowledge base. Pure and deterministic."""

    def __init__(
        self,
        kb: KnowledgeBase,
        thresholds: Thresholds | None = None,
        weights: Weights | None = None,
    ) -> None:
        self.kb = kb
        self.thresholds = thresholds or Thresholds()
        words = {w for item in kb.matchable for p in item.phrasings for w in normalize(p).split()}
        self._analyzer = Analyzer(kb.lexicon, words)
        self._matcher = Matcher(kb, self._analyzer, weights)
        self._smalltalk = SmallTalkMatcher(kb.smalltalk)
        self._languages = LanguageDetector(
            kb.languages, kb.lexicon.stopwords, self._analyzer.vocabulary
        )
        self._entries = {e.id: e for e in kb.entries}
        self._uncovered = {u.id: u for u in kb.uncovered}
        self._safety_check = SafetyCheck(
            kb.safety,
            kb.safety_context,
            kb.lexicon.safety_words,
            vocabulary=self._analyzer.vocabulary,
        )

    def reply(self, question: str) -> Reply:
        """Return the reply to one question."""
        analysis = self._analyzer.analyze(question)
        decision = self._safety_check.check(analysis)
        if decision is not None:
            return self._safety(decision)
        analysis = self._matcher.unindexed_as_unknown(analysis)
        if analysis.is_empty:
            return self._fallback(self.kb.texts.empty, [], Reason.EMPTY)
        language = self._languages.detect(question, analysis.normalized)
        if language is not None:
            return self._not_english(language)
        smalltalk = self._smalltalk.match(analysis)
        if smalltalk is not None:
            return Reply(
                ReplyKind.SMALLTALK,
                smalltalk.reply,
                entry_id=smalltalk.id,
                score=1.0,
                reason=Reason.SMALLTALK,
            )
        if analysis.foreign:
            # Another substance is named ("zinc", "glutamate"): the article covers only
            # L-glutamine, and says nothing about comparing or combining it with others.
            ranked = self._matcher.rank(analysis)
            return self._fallback(self.kb.texts.fallback, ranked, Reason.OTHER_SUBJECT)
        ranked = self._matcher.rank(analysis)
        focus = self._analyzer.focus(question, analysis)
        if focus is not None:
            focus = self._matcher.unindexed_as_unknown(focus)
            focused = self._matcher.rank(focus)
            if self._prefer_focus(focus, focused, ranked):
                analysis, ranked = focus, focused
        return self._decide(analysis, ranked)

    def _prefer_focus(
        self, focus: Analysis, focused: list[Candidate], ranked: list[Candidate]
    ) -> bool:
        """Tell whether the last sentence alone matches better than the whole message.

        A last sentence that asks something specific ("how many grams?") wins when it scores
        higher. One that only names the topic ("what is it?") is a rescue for messages the
        whole text does not answer: otherwise the context ("I eat steak every day. Am I
        getting glutamine?") says what is asked.
        """
        if not focused:
            return False
        if not ranked:
            return True
        whole = ranked[0]
        if focused[0].score <= whole.score:
            return False
        specific = any(c not in self.kb.lexicon.topic_concepts for c in focus.concepts)
        return specific or whole.kind != ENTRY or whole.score < self.thresholds.focus_rescue_below

    def reply_to_entry(self, entry_id: str) -> Reply | None:
        """Return the answer of one entry (a button or deep link), or None if unknown."""
        entry = self._entries.get(entry_id)
        return self._answer(entry, 1.0, Reason.BUTTON) if entry else None

    def candidates(self, question: str, limit: int = 5) -> tuple[Reply, ...]:
        """Return answers worth offering for a partial question (inline mode), best first."""
        analysis = self._analyzer.analyze(question)
        decision = self._safety_check.check(analysis)
        if decision is not None:
            return (self._safety(decision),)
        ranked = [
            c
            for c in self._matcher.rank(analysis)
            if c.kind == ENTRY and c.score >= self.thresholds.clarify_min
        ]
        return tuple(
            self._answer(self._entries[c.id], c.score, Reason.MATCHED) for c in ranked[:limit]
        )

    def analyze(self, question: str) -> Analysis:
        """Expose the analysis of a question (for `eval` and debugging)."""
        return self._analyzer.analyze(question)

    def analyze_phrasing(self, phrasing: str) -> Analysis:
        """Analyse a content phrasing the way the index does (no typo correction)."""
        return self._analyzer.analyze(phrasing, correct=False)

    def _decide(self, analysis: Analysis, ranked: list[Candidate]) -> Reply:
        limits = self.thresholds
        best = ranked[0] if ranked else None
        if best is None or best.score < limits.clarify_min:
            return self._fallback(self.kb.texts.fallback, ranked, Reason.LOW_SCORE)
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        # A word the content does not know ("dog", "rice", "biotin") may be the real subject.
        unknown = significant_unknown(analysis, self.kb.lexicon)
        bar = limits.answer_min_unknown if unknown else limits.answer_min
        # Without "glutamine" or "leaky gut" in the question the unknown word is more likely
        # its subject ("how much sugar is too much"): ask for one more shared concept.
        about_topic = any(c in self.kb.lexicon.topic_concepts for c in analysis.concepts)
        evidence = limits.min_evidence_unknown + (0 if about_topic else 1) if unknown else 0
        confident = (
            best.score >= bar
            and best.evidence >= evidence
            and best.score - runner_up >= limits.answer_margin
        )
        if best.kind == UNCOVERED:
            return self._not_covered(best)
        if confident:
            return self._answer(self._entries[best.id], best.score, Reason.MATCHED)
        options = [c for c in ranked if c.kind == ENTRY and c.score >= best.score - CLARIFY_SPREAD]
        # With an unknown subject "did you mean" would offer the nearest entry for it: say
        # honestly that the article does not cover it instead.
        if unknown or not options:
            reason = Reason.OTHER_SUBJECT if unknown else Reason.LOW_SCORE
            return self._fallback(self.kb.texts.fallback, ranked, reason)
        suggestions = tuple(self._suggestion(c.id) for c in options[:CLARIFY_LIMIT])
        return Reply(
            ReplyKind.CLARIFY,
            self.kb.texts.clarify,
            score=best.score,
            suggestions=suggestions,
            reason=Reason.AMBIGUOUS,
        )

    def _safety(self, decision: SafetyDecision) -> Reply:
        rule = decision.rule
        return Reply(
            ReplyKind.SAFETY,
            rule.reply,
            rule=rule.id,
            disclaimer=self.kb.texts.safety_note,
            reason=decision.reason,
        )

    def _answer(self, entry: Entry, score: float, reason: Reason) -> Reply:
        return Reply(
            ReplyKind.ANSWER,
            entry.answer,
            entry_id=entry.id,
            score=score,
            suggestions=tuple(self._suggestion(i) for i in entry.follow_ups),
            suggestions_heading="Related questions:",
            sources=entry.sources,
            disclaimer=self.kb.texts.disclaimer,
            reason=reason,
        )

    def _not_covered(self, best: Candidate) -> Reply:
        uncovered = self._uncovered[best.id]
        return Reply(
            ReplyKind.FALLBACK,
            uncovered.reply,
            score=best.score,
            suggestions=tuple(self._suggestion(i) for i in uncovered.suggest),
            suggestions_heading=self.kb.texts.can_answer,
            rule=uncovered.id,
            reason=Reason.NOT_COVERED,
        )

    def _not_english(self, language: Language) -> Reply:
        english = self.kb.texts.not_english
        body = f"{language.notice}\n\n{english}" if language.notice else english
        return Reply(ReplyKind.FALLBACK, body, rule=language.code, reason=Reason.OTHER_LANGUAGE)

    def _fallback(self, body: str, ranked: list[Candidate], reason: Reason) -> Reply:
        near = [c.id for c in ranked if c.kind == ENTRY][:CLARIFY_LIMIT] or list(
            self.kb.default_suggestions
        )
        return Reply(
            ReplyKind.FALLBACK,
            body,
            score=ranked[0].score if ranked else 0.0,
            suggestions=tuple(self._suggestion(i) for i in near),
            suggestions_heading=self.kb.texts.can_answer,
            reason=reason,
        )

    def _suggestion(self, entry_id: str) -> Suggestion:
        return Suggestion(entry_id, self._entries[entry_id].title)
